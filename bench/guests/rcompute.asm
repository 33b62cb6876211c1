; rcompute.asm - the reverse-debugging benchmark's compute loop (bench.py,
; the recording figures): register arithmetic only, no memory written, so
; the history holds register changes alone.  CX (gdbvm --reg ecx=K) is the
; number of loop passes; the guest runs 4 setup instructions, then 4 per
; pass, and reaches 'done' (a HLT at 0000:100f) after exactly 4 + 4 * K
; instructions.  The setup reads CX without changing it, so setting the pc
; back to 'start' runs the same instructions again.
bits 16
org 0x1000

start:
	mov bp, cx		; passes left
	xor ax, ax
	xor bx, bx
	xor dx, dx
again:
	add ax, bp
	xor dx, ax
	dec bp
	jnz again
done:
	hlt

%if done - start != 0xf
%error "bench.py expects done at 0000:100f"
%endif
