; stage1.asm - the boot sector of a two-stage loader for test_coverage.sh
; (linked at 0x7c00): reads sector 2 to 0x8000 with INT 13h AH=02h and
; jumps to it as 0800:0000.  Stage 2 is linked at 0, so its line table
; needs --symbols stage2.elf@0x8000.
bits 16
global _start
_start:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ax, 0x0201
	mov cx, 0x0002
	xor dh, dh
	mov bx, 0x8000
	int 0x13
	jc failed
	jmp 0x0800:0x0000
failed:
	mov al, 1
	out 0xf4, al
	hlt
