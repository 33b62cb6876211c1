; overwrite.asm - a boot sector with a bug, for docs/gdb.md's reverse
; debugging tutorial ("who overwrote this variable?") and
; tests/e2e/test_reverse_kvm.sh.  It adds up the points of three levels in
; score, clears the player's name, and prints the score: 300 is right, but
; it prints something else.  Built as an ELF linked at 0x7c00 (symbols and
; line numbers for gdb) whose flat image is the 512-byte boot sector.  The
; stack is not on the page of score: gdb's `watch` makes the watched page
; read-only, and an instruction that stores into such a page more than
; once (the BIOS's pushad, int) keeps only its last store (docs/gdb.md).
bits 16
global _start

LEVELS   equ 3
NAME_LEN equ 8

section .text
_start:
	jmp 0:main			; CS = 0, whatever the BIOS used
main:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x9000			; a page of its own: see below
	cld
	mov word [score], 0
	mov cx, LEVELS
.level:
	mov ax, 100			; each level is worth 100 points
	call add_points
	loop .level
	call clear_name
	mov si, score_msg
	call puts
	mov ax, [score]
	call putdec
	mov si, newline
	call puts
	cli
	hlt

; add_points: score += AX.
add_points:
	add [score], ax
	ret

; clear_name: fill the player's name with spaces.
clear_name:
	xor bx, bx
.next:
	mov byte [name + bx], ' '
	inc bx
	cmp bx, NAME_LEN
	jbe .next
	ret

; puts: print the NUL-terminated string at DS:SI (BIOS teletype).
puts:
	lodsb
	test al, al
	jz .done
	mov ah, 0x0e
	mov bx, 0x0007
	int 0x10
	jmp puts
.done:
	ret

; putdec: print AX in decimal.
putdec:
	mov bx, 10
	xor cx, cx
.divide:
	xor dx, dx
	div bx
	push dx
	inc cx
	test ax, ax
	jnz .divide
.print:
	pop ax
	add al, '0'
	mov ah, 0x0e
	mov bx, 0x0007
	int 0x10
	loop .print
	ret

score_msg db "score: ", 0
newline   db 13, 10, 0
name      times NAME_LEN db 'x'
score     dw 0xffff

	times 510 - ($ - $$) db 0
	dw 0xaa55
