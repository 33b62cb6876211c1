; unsupported.asm - makes a BIOS call the built-in BIOS does not have
; (INT 13h AH=77h); gdbvm stops it and names the call.
	bits 16
	org 0x7c00

start:
	mov ah, 0x77
	int 0x13
	cli			; interrupts off: the HLT ends the guest
	hlt

	times 510 - ($ - $$) db 0
	dw 0xaa55
