; count.asm - counts CX from 1 to 200, passing the label 'tick' once per
; count, then halts.  Used to check breakpoints hit the right number of
; times: a breakpoint at tick sees CX = 1, 2, ... 200.
bits 16

start:
	xor cx, cx
again:
	inc cx
tick:
	nop			; breakpoint target: CX holds the count here
	cmp cx, 200
	jne again
	hlt
