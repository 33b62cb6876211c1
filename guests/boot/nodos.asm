; nodos.asm - calls DOS (INT 21h AH=4Ch) where there is none: the vector
; has only the BIOS's default entry, and gdbvm stops the guest naming it.
	bits 16
	org 0x7c00

start:
	mov ax, 0x4c00
	int 0x21
	cli			; interrupts off: the HLT ends the guest
	hlt

	times 510 - ($ - $$) db 0
	dw 0xaa55
