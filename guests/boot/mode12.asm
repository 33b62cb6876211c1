; mode12.asm - switches to mode 12h (640x480, 16 colours, planar) and
; stops: a screen --screenshot cannot capture (docs/boot.md shows what
; gdbvm says).
	bits 16
	org 0x7c00

start:
	mov ax, 0x0012
	int 0x10
	cli			; interrupts off: the HLT ends the guest
	hlt

	times 510 - ($ - $$) db 0
	dw 0xaa55
