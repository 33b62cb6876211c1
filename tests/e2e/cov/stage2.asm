; stage2.asm - the second stage for stage1.asm (linked at 0, run at
; 0800:0000): a short loop with an untaken branch, then the exit port with 2
; (exit status 5).
bits 16
global _start
_start:
	mov cx, 3
again:
	dec cx
	jz done
	jmp again
	mov al, 9
done:
	mov al, 2
	out 0xf4, al
	hlt
