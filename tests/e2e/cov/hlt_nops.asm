; hlt_nops.asm - for test_coverage.sh: the guest's HLT with a line of
; one-byte code on either side of it, every one of them carrying a
; coverage trap, so the bytes around the HLT are all planted HLTs, as are
; the bytes around each of those traps; the lines before it run (their
; traps lifted, the same byte eight times over).  The run must end at the
; HLT (status 0) and count the lines before it, not take the HLT for a
; copy of a trap and run on into the lines after it.
bits 16
global _start
_start:
	mov ax, 1		; once
	jmp .go			; once
	inc ax			; never
	inc ax			; never
	inc ax			; never
	inc ax			; never
	inc ax			; never
	inc ax			; never
	inc ax			; never
	inc ax			; never
	inc ax			; never
	inc ax			; never
	inc ax			; never
	inc ax			; never
.go:
	inc bx			; once
	inc bx			; once
	inc bx			; once
	inc bx			; once
	inc bx			; once
	inc bx			; once
	inc bx			; once
	inc bx			; once
	inc bx			; once
	inc bx			; once
	inc bx			; once
	inc bx			; once
	hlt			; once
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
	inc cx			; never
