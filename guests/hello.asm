; hello.asm - initialises COM1 like a real driver, then prints a greeting
; byte by byte, polling the line status register before each one.
bits 16

start:
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x1000		; stack just below the code
	call com1_init
	mov si, message
	call com1_puts
	hlt

%include "com1.inc"

message: db "Hello, world!", 10, 0
