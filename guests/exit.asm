; exit.asm - ends the run through the exit port (0xf4, isa-debug-exit
; compatible): gdbvm exits with status (BL << 1) | 1.  Give BL with
; --reg bl=N; a 16-bit write of BX is used when BH is not 0.
bits 16

	mov dx, 0x3f8
	mov al, 'x'
	out dx, al
	mov al, 10
	out dx, al
	test bh, bh
	jnz .word
	mov al, bl
	out 0xf4, al		; 8-bit write
	jmp .fell_through
.word:
	mov ax, bx
	out 0xf4, ax		; 16-bit write
.fell_through:
	; The write ends the run; reaching here is a bug in the VMM.
	mov al, '!'
	out dx, al
	hlt
