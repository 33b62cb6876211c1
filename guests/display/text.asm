; text.asm - a text screen for --display's tests (tests/e2e/test_display.sh):
; a title written with INT 10h AH=13h in white on red at row 1, column 4;
; a word stored straight into B800:0000 at row 3, column 10 in yellow on
; blue, next to a cell whose attribute has the blink bit (bright red
; background) and a CP437 box character; then every key read with INT 16h
; AH=00h is echoed on row 6 as its AX in hexadecimal and the character
; itself, until 'q', which halts.  The guest makes a BIOS call per key, so
; it exits to gdbvm while it waits.
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ax, 0x0003		; 80x25 text
	int 0x10
	mov ax, 0x1300		; write string, attribute in BL, cursor unmoved
	mov bx, 0x004f		; page 0, white on red
	mov cx, title_len
	mov dx, 0x0104		; row 1, column 4
	mov bp, title
	int 0x10
	mov ax, 0xb800
	mov es, ax
	mov di, (3 * 80 + 10) * 2
	mov si, direct
	mov ah, 0x1e		; yellow on blue
.copy:	lodsb
	test al, al
	jz .copied
	stosw
	jmp .copy
.copied:
	mov ax, 0xc42a		; '*' in red on blinking red: a bright red background
	stosw
	mov ax, 0x07c4		; CP437 C4h, a horizontal line
	stosw
	xor ax, ax
	mov es, ax
	mov ah, 0x02		; the cursor to row 6, column 0
	xor bh, bh
	mov dx, 0x0600
	int 0x10
.key:	mov ah, 0x00
	int 0x16
	push ax
	mov al, ah
	call puthex8
	pop ax
	push ax
	call puthex8
	mov al, '='
	call putc
	pop ax
	push ax
	call putc
	mov al, ' '
	call putc
	pop ax
	cmp al, 'q'
	jne .key
	cli			; nothing can wake it: HLT ends the guest
	hlt

; putc: AL through the teletype.
putc:
	pusha
	mov ah, 0x0e
	mov bx, 0x0007
	int 0x10
	popa
	ret

; puthex8: AL as two hexadecimal digits.
puthex8:
	pusha
	mov cl, al
	shr al, 4
	call .digit
	mov al, cl
	and al, 0x0f
	call .digit
	popa
	ret
.digit:
	add al, '0'
	cmp al, '9'
	jbe .out
	add al, 'a' - '9' - 1
.out:	jmp putc

title:	db "INT 10h title"
title_len equ $ - title
direct:	db "DIRECT", 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
