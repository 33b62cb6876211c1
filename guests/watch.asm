; watch.asm - writes to a variable at 0x2000 in several ways, for write
; watchpoint tests: a byte store, a word store, a store next to the
; variable (must not trigger a watch on it), and rep stosb over it.
; Each store is followed by a nop so tests can check where the stop lands.
bits 16

VAR equ 0x2000

start:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov byte [VAR + 8], 0x11	; same page, outside a 1-byte watch on VAR
after_near:
	nop
	mov byte [VAR], 0x42		; byte store to VAR
after_byte:
	nop
	mov word [VAR], 0x1234		; word store to VAR
after_word:
	nop
	mov di, VAR
	mov cx, 4
	mov al, 0x77
	rep stosb			; four bytes from VAR on
after_rep:
	nop
	mov dx, 0x3f8
	mov al, [VAR]
	out dx, al			; prints 'w' (0x77)
	mov al, 10
	out dx, al
	hlt
