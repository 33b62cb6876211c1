; branch.asm - a guest for test_coverage.sh: a loop that runs LOOPS times
; (nasm -DLOOPS=N) with a branch it never takes, then HLT.  The comments
; mark what each line must show: "once" (runs once), "loop" (runs LOOPS
; times), "never" (the untaken branch's lines: 0 hits).
bits 16
global _start
_start:
	xor ax, ax		; once
	mov cx, LOOPS		; once
again:
	inc ax			; loop
	cmp ax, 0xffff		; loop
	je never_taken		; loop
	loop again		; loop
	hlt			; once
never_taken:
	mov bx, 1		; never
	mov dx, 2		; never
	hlt			; never
