; keys.asm - prints the key codes INT 16h returns, as AX in hexadecimal:
; first with AH=00h (the original call) until Enter, then with AH=10h (the
; enhanced keyboard's) until Esc.  Feed it a terminal's escape sequences
; on stdin to see the scan codes they become (docs/boot.md has the table).
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
.old:	xor ah, ah		; AH=00h
	int 0x16
	call show
	cmp ax, 0x1c0d		; Enter
	jne .old
	call newline
.new:	mov ah, 0x10		; AH=10h
	int 0x16
	call show
	cmp ax, 0x011b		; Esc
	jne .new
	call newline
	cli			; interrupts off: the HLT ends the guest
	hlt

; show: AX as four hexadecimal digits and a blank.
show:
	push ax
	xchg al, ah
	call puthex8
	xchg al, ah
	call puthex8
	mov ax, 0x0e20
	int 0x10
	pop ax
	ret

newline:
	push ax
	mov ax, 0x0e0d
	int 0x10
	mov ax, 0x0e0a
	int 0x10
	pop ax
	ret

%include "print.inc"

	times 510 - ($ - $$) db 0
	dw 0xaa55
