; step.asm - a boot sector for stepping with gdb: two BIOS calls in a row
; at fixed addresses (docs/boot.md walks through it).
	bits 16
	org 0x7c00

start:
	mov ax, 0x0e41		; 7c00
	int 0x10		; 7c03: 'A'
	mov ax, 0x0e42		; 7c05
	int 0x10		; 7c08: 'B'
	mov ax, 0x0e0d		; 7c0a
	int 0x10		; 7c0d
	mov ax, 0x0e0a		; 7c0f
	int 0x10		; 7c12
	cli			; 7c14: IF is set at boot (a PC BIOS leaves it so)
	hlt			; 7c15

	times 510 - ($ - $$) db 0
	dw 0xaa55
