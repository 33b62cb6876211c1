; flood.asm - floods COM1: prints the same 64-byte line forever, counting
; the lines in BX, for tests that gdb can still interrupt, inspect, detach
; from and kill a guest whose output never stops.  Each line is
; "flood 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU\n".
bits 16

start:
	xor ax, ax
	mov ds, ax
	xor bx, bx
	mov dx, 0x3f8
next_line:
	mov si, line
next_char:
	lodsb
	out dx, al
	cmp al, 10
	jne next_char
	inc bx				; lines written so far
	jmp next_line

line:	db "flood 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU", 10
