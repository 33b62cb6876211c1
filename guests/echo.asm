; echo.asm - copies COM1 input back to COM1 output, byte for byte, until it
; has echoed a '.'; then it halts.  Try: printf 'abc.' | ./gdbvm guests/echo.bin
bits 16

TERMINATOR equ '.'

start:
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x1000
	call com1_init
.loop:
	call com1_getc
	call com1_putc
	cmp al, TERMINATOR
	jne .loop
	hlt

%include "com1.inc"
