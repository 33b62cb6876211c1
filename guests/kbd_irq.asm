; kbd_irq.asm - the keyboard the way OS-dev tutorials drive it, without a
; BIOS: remap the 8259A pair to vectors 20h-2Fh, talk to the 8042 (turn its
; interrupt off, self-test, empty its output buffer, turn the interrupt on
; again), install an IRQ 1 handler and wait with STI; HLT.  The handler
; reads each scan code from port 60h and prints it in hexadecimal on COM1,
; a line for each Enter key.
; The guest ends (HLT with nothing left to wake it) once stdin has ended
; and every key has been read.
bits 16

KBD_DATA	equ 0x60
KBD_STATUS	equ 0x64		; read: status, write: command
STATUS_OBF	equ 0x01

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000
	call com1_init
	mov word [0x21 * 4], irq1	; vector 21h: IRQ 1 after the remap
	mov word [0x21 * 4 + 2], 0
	; ICW1-ICW4 to both chips: edge triggered, cascade, 8086 mode
	mov al, 0x11
	out 0x20, al
	out 0xa0, al
	mov al, 0x20			; master: vectors 20h-27h
	out 0x21, al
	mov al, 0x28			; slave: vectors 28h-2Fh
	out 0xa1, al
	mov al, 0x04
	out 0x21, al
	mov al, 0x02
	out 0xa1, al
	mov al, 0x01
	out 0x21, al
	out 0xa1, al
	mov al, 0xfd			; OCW1: only IRQ 1
	out 0x21, al
	mov al, 0xff
	out 0xa1, al
	; the 8042: command byte without the keyboard interrupt, self-test
	mov al, 0x20
	call kbd_command
	call kbd_read
	mov [command_byte], al
	mov al, 0x60
	call kbd_command
	mov al, [command_byte]
	and al, 0xfe
	out KBD_DATA, al
	mov al, 0xaa
	call kbd_command
	call kbd_read
	mov si, selftest
	call com1_puts
	call puthex
	mov al, 10
	call com1_putc
.flush:					; nothing stale in the output buffer
	in al, KBD_STATUS
	test al, STATUS_OBF
	jz .flushed
	in al, KBD_DATA
	jmp .flush
.flushed:
	mov al, 0x60			; the keyboard interrupt on again
	call kbd_command
	mov al, [command_byte]
	or al, 0x01
	out KBD_DATA, al
	sti
.wait:
	hlt				; woken by each key
	jmp .wait

; IRQ 1: one byte from the keyboard, printed as two hex digits and a blank
; (a newline after Enter's break code).
irq1:
	push ax
	in al, KBD_STATUS
	test al, STATUS_OBF
	jz .eoi
	in al, KBD_DATA
	call puthex
	cmp al, 0x9c			; Enter released: the line ends
	mov al, ' '
	jne .separate
	mov al, 10
.separate:
	call com1_putc
.eoi:
	mov al, 0x20			; non-specific EOI
	out 0x20, al
	pop ax
	iret

; kbd_command: send AL to the controller.
kbd_command:
	out KBD_STATUS, al
	ret

; kbd_read: wait for the output buffer, return its byte in AL.
kbd_read:
	in al, KBD_STATUS
	test al, STATUS_OBF
	jz kbd_read
	in al, KBD_DATA
	ret

; puthex: AL as two hexadecimal digits on COM1.
puthex:
	push ax
	push ax
	shr al, 4
	call .digit
	pop ax
	and al, 0x0f
	call .digit
	pop ax
	ret
.digit:
	add al, '0'
	cmp al, '9'
	jbe .out
	add al, 'a' - '9' - 1
.out:
	jmp com1_putc

%include "com1.inc"

command_byte:	db 0
selftest:	db "8042 self-test: ", 0
