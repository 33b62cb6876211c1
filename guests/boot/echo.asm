; echo.asm - a keyboard echo through INT 16h: each key read with AH=00h is
; printed with INT 10h (Enter as CR LF), until a '.'.  AH=01h first checks
; whether a key is waiting, as a polling loop would.
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
.poll:
	mov ah, 0x01
	int 0x16
	jz .poll		; ZF: no key yet
	mov ah, 0x00
	int 0x16
	mov bx, 0x0007
	mov ah, 0x0e
	int 0x10
	cmp al, 13
	jne .not_enter
	mov ax, 0x0e0a
	int 0x10
.not_enter:
	cmp al, '.'
	jne .poll
	cli			; interrupts off: the HLT ends the guest
	hlt

	times 510 - ($ - $$) db 0
	dw 0xaa55
