; reboot.asm - boots twice: the first time it marks memory and calls
; INT 19h, which reads the boot sector again and jumps to it; the second
; time it finds the mark, says so and halts.
	bits 16
	org 0x7c00

MARK equ 0x600

start:
	xor ax, ax
	mov ds, ax
	cmp word [MARK], 0x1234
	je .again
	mov word [MARK], 0x1234
	mov si, first
	call puts
	int 0x19
.again:
	mov si, second
	call puts
	mov al, dl
	call puthex8
	mov si, newline
	call puts
	cli			; interrupts off: the HLT ends the guest
	hlt

%include "print.inc"

first:		db "first boot", 13, 10, 0
second:		db "booted again by INT 19h, drive ", 0
newline:	db 13, 10, 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
