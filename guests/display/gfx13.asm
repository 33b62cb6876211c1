; gfx13.asm - mode 13h for --display's tests (tests/e2e/test_display.sh):
; the screen's left half in DAC colour 4 (the default palette's red,
; AAh 00h 00h), its right half in colour 1 (blue, 00h 00h AAh), and the
; bottom half of the right half in entry 200, set through the DAC ports to
; (63, 63, 0): yellow.  Then it waits for keys (INT 16h) and halts on 'q'.
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	mov ax, 0x0013
	int 0x10
	mov dx, 0x3c8		; DAC entry 200 = (63, 63, 0)
	mov al, 200
	out dx, al
	inc dx
	mov al, 63
	out dx, al
	out dx, al
	xor al, al
	out dx, al
	mov ax, 0xa000
	mov es, ax
	xor di, di
	xor dx, dx		; row
.row:	mov cx, 160
	mov al, 4
	rep stosb
	mov cx, 160
	mov al, 1
	cmp dx, 100
	jb .top
	mov al, 200
.top:	rep stosb
	inc dx
	cmp dx, 200
	jb .row
.key:	mov ah, 0x00
	int 0x16
	cmp al, 'q'
	jne .key
	cli			; nothing can wake it: HLT ends the guest
	hlt

	times 510 - ($ - $$) db 0
	dw 0xaa55
