; squares.asm - a boot sector with a bug, for the reverse-debugging tutorial
; in docs/gdb.md: it sets a score of 100, fills a table of the squares 0..7,
; then prints the score through the BIOS.  The loop runs one time too many,
; and its ninth store lands on the score, which sits right after the table.
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7c00
	mov word [score], 100
	xor bx, bx		; i
	mov cx, 9		; the bug: the table holds 8 squares
fill:
	mov ax, bx
	mul bx			; ax = i * i
	mov di, bx
	shl di, 1
	mov [table + di], ax
	inc bx
	loop fill
	mov si, msg
	call puts
	mov ax, [score]
	call putdec
	mov si, newline
	call puts
	cli
	hlt

; Print the NUL-terminated string at ds:si (INT 10h teletype).
puts:
	lodsb
	test al, al
	jz .done
	mov ah, 0x0e
	int 0x10
	jmp puts
.done:
	ret

; Print ax in decimal.
putdec:
	mov cx, 0
	mov bx, 10
.divide:
	xor dx, dx
	div bx
	push dx
	inc cx
	test ax, ax
	jnz .divide
.digit:
	pop ax
	add al, '0'
	mov ah, 0x0e
	int 0x10
	loop .digit
	ret

msg:	db "score: ", 0
newline: db 13, 10, 0
table:	times 8 dw 0
score:	dw 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
