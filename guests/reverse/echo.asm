; echo.asm - reverse debugging's COM1 input guest
; (tests/e2e/test_reverse_kvm.sh): reads bytes from COM1 and echoes each
; one, until it has echoed a '.'; each byte read is also kept in memory at
; inbuf (a count at inlen).  Then the exit port ends the run with status
; (EXIT_CODE << 1) | 1.  Going back over the reads and forward again must
; give the same bytes (from the history, not from COM1) and print nothing
; twice.
bits 16

EXIT_CODE equ 0x11
TERMINATOR equ '.'

inlen equ 0x3000		; word: bytes read so far
inbuf equ 0x3002		; the bytes

start:
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x2000
	call com1_init
next:
	call com1_getc
got_byte:			; AL: the byte just read
	mov bx, [inlen]
	mov [inbuf + bx], al
	inc word [inlen]
	call com1_putc
	cmp al, TERMINATOR
	jne next
	mov al, EXIT_CODE
	out 0xf4, al
	hlt

%include "com1.inc"
