; vga.asm - writes to the text screen: directly into video memory at
; B800:0000, and with INT 10h (set cursor AH=02h, write characters AH=09h,
; teletype AH=0Eh).  Run with --screen to see it.
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	mov ax, 0xb800
	mov es, ax
	mov si, direct
	xor di, di
	mov ah, 0x1f		; white on blue
	cld
.copy:
	lodsb
	test al, al
	jz .bios
	stosw
	jmp .copy
.bios:
	mov ah, 0x02		; cursor to row 2, column 4
	xor bh, bh
	mov dx, 0x0204
	int 0x10
	mov ax, 0x092a		; '*' x 5, attribute 0x4e
	mov bx, 0x004e
	mov cx, 5
	int 0x10
	mov ah, 0x02		; row 4, column 0
	mov dx, 0x0400
	int 0x10
	mov ax, 0x0e3e		; '>' by teletype
	int 0x10
	cli			; interrupts off: the HLT ends the guest
	hlt

direct:	db "Written to B800:0000", 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
