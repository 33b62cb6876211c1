; gfx13.asm - mode 13h (320x200, 256 colours at A000:0000): palette entries
; set through the DAC ports (3C8h/3C9h) and INT 10h AX=1010h, one read back
; through 3C7h/3C9h and one with AX=1015h; pixels drawn with INT 10h AH=0Ch
; and written directly to video memory; one read back with AH=0Dh.  Prints
; what it read (drawn in the top rows too); then text with AH=09h and a
; window cleared with AH=06h.  Run with --screenshot FILE.png to see it.
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	mov ax, 0x0013		; mode 13h
	int 0x10
	; DAC entry 200 = (10, 20, 30) through the ports
	mov dx, 0x3c8
	mov al, 200
	out dx, al
	inc dx
	mov al, 10
	out dx, al
	mov al, 20
	out dx, al
	mov al, 30
	out dx, al
	; DAC entry 201 = (40, 50, 60) with INT 10h AX=1010h
	mov ax, 0x1010
	mov bx, 201
	mov dh, 40
	mov ch, 50
	mov cl, 60
	int 0x10
	; read entry 200 back through the ports: prints 0a 14 1e
	mov dx, 0x3c7
	mov al, 200
	out dx, al
	mov dx, 0x3c9
	mov cx, 3
.rd:	in al, dx
	call puthex8
	call space
	loop .rd
	; read entry 201 back with AX=1015h: prints 28 32 3c
	mov ax, 0x1015
	mov bx, 201
	int 0x10
	mov al, dh
	call puthex8
	call space
	mov al, ch
	call puthex8
	call space
	mov al, cl
	call puthex8
	call space
	; pixels with INT 10h AH=0Ch: (0,0)=200, (319,199)=201, (10,5)=15
	mov ax, 0x0cc8
	xor bh, bh
	xor cx, cx
	xor dx, dx
	int 0x10
	mov ax, 0x0cc9
	mov cx, 319
	mov dx, 199
	int 0x10
	mov ax, 0x0c0f
	mov cx, 10
	mov dx, 5
	int 0x10
	; a line of colour 40 (red in the default palette) written directly:
	; row 100, columns 0-99
	mov ax, 0xa000
	mov es, ax
	mov di, 100 * 320
	mov al, 40
	mov cx, 100
	cld
	rep stosb
	; read (10,5) and (50,100) back with AH=0Dh: prints 0f 28
	mov ah, 0x0d
	mov cx, 10
	mov dx, 5
	int 0x10
	call puthex8
	call space
	mov ah, 0x0d
	mov cx, 50
	mov dx, 100
	int 0x10
	call puthex8
	mov si, done
	call puts
	; text calls in a graphics mode: 'X' 3 times in colour 12 at row 20
	; (AH=02h, AH=09h); clear rows 22-24, columns 0-9 to colour 3 (AH=06h)
	mov ah, 0x02
	xor bh, bh
	mov dx, 0x1400
	int 0x10
	mov ax, 0x0958
	mov bx, 0x000c
	mov cx, 3
	int 0x10
	mov ax, 0x0600
	mov bh, 3
	mov cx, 0x1600
	mov dx, 0x1809
	int 0x10
	cli			; interrupts off: the HLT ends the guest
	hlt

space:
	push ax
	mov ax, 0x0e20
	int 0x10
	pop ax
	ret

%include "print.inc"

done:	db 13, 10, 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
