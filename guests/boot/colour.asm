; colour.asm - a 40x25 text screen (mode 01h) drawn in colour: a row of
; blanks on a red background (the way tetros draws its blocks), a word in
; yellow on blue, a NUL cell between two letters, a CP437 box-drawing
; character.  Prints the column count INT 10h AH=0Fh and the BIOS data
; area (0040:004A) report.  Run with --screen, --screen=ansi or =plain.
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	mov ax, 0x0001		; mode 01h: 40x25 text
	int 0x10
	mov ah, 0x0f		; AH = columns
	int 0x10
	mov al, ah
	call puthex8
	mov al, [0x44a]		; the BDA's column count
	call puthex8
	mov si, newline
	call puts
	mov ah, 0x02		; row 1, column 2: 6 red blanks
	xor bh, bh
	mov dx, 0x0102
	int 0x10
	mov ax, 0x0920
	mov bx, 0x0040
	mov cx, 6
	int 0x10
	; row 2: "Hi" in yellow on blue, a NUL cell, "!", then a CP437 line
	; character (C4h), written directly at B800:(2*40+0)*2
	mov ax, 0xb800
	mov es, ax
	mov di, 2 * 40 * 2
	mov ax, 0x1e48		; 'H'
	stosw
	mov al, 'i'
	stosw
	mov ax, 0x0700		; NUL
	stosw
	mov al, '!'
	stosw
	mov al, 0xc4
	stosw
	; the last column of row 3: a '#' shows where 40 columns end
	mov di, (3 * 40 + 39) * 2
	mov ax, 0x0723
	stosw
	cli			; interrupts off: the HLT ends the guest
	hlt

%include "print.inc"

newline: db 13, 10, 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
