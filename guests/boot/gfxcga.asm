; gfxcga.asm - CGA mode 04h (320x200, 4 colours, even rows at B800:0000 and
; odd rows at B800:2000): pixels with INT 10h AH=0Ch, one XORed (AL bit 7),
; read back with AH=0Dh; palette 0 and a blue background chosen with AH=0Bh.
; Prints what it read (the BIOS draws that text on the screen too, in the
; top rows); run with --screenshot FILE.png to see the picture.
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	mov ax, 0x0004		; mode 04h
	int 0x10
	mov ah, 0x0b		; palette 0: green, red, brown
	mov bx, 0x0100
	int 0x10
	mov ah, 0x0b		; background blue
	mov bx, 0x0001
	int 0x10
	; (0,100)=1, (1,100)=2, (2,100)=3, (3,101)=3 then XOR 1 -> 2,
	; (319,199)=1
	xor bh, bh
	mov ax, 0x0c01
	xor cx, cx
	mov dx, 100
	int 0x10
	mov ax, 0x0c02
	inc cx
	int 0x10
	mov ax, 0x0c03
	inc cx
	int 0x10
	mov ax, 0x0c03
	mov cx, 3
	mov dx, 101
	int 0x10
	mov ax, 0x0c81		; XOR with 1
	int 0x10
	mov ax, 0x0c01
	mov cx, 319
	mov dx, 199
	int 0x10
	; read back (2,100) and (3,101): prints 03 02
	mov ah, 0x0d
	mov cx, 2
	mov dx, 100
	int 0x10
	call puthex8
	mov ax, 0x0e20
	int 0x10
	mov ah, 0x0d
	mov cx, 3
	mov dx, 101
	int 0x10
	call puthex8
	; the bytes as stored: row 100 at B800:0FA0 (50 rows of 80 bytes),
	; row 101 at B800:2FA0 (prints 6c 02)
	mov ax, 0xb800
	mov es, ax
	mov ax, 0x0e20
	int 0x10
	mov al, [es:0x0fa0]
	call puthex8
	mov ax, 0x0e20
	int 0x10
	mov al, [es:0x2fa0]
	call puthex8
	mov si, done
	call puts
	cli			; interrupts off: the HLT ends the guest
	hlt

%include "print.inc"

done:	db 13, 10, 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
