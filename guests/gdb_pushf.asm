; gdb_pushf.asm - for tests/e2e/test_gdb.sh: single-stepping must be
; invisible to the guest.  It pushes FLAGS and prints 'c' when the pushed
; image has TF (bit 8) clear, 'T' when set, then halts.  A debugger that
; single-steps pushf with the trap flag must not leave TF in the image.
bits 16

start:
	xor ax, ax
	mov ss, ax
	mov sp, 0x1000
	mov dx, 0x3f8
at_pushf:
	pushf
after_pushf:
	pop ax
	test ah, 1		; TF
	mov al, 'c'
	jz .print
	mov al, 'T'
.print:
	out dx, al
	mov al, 10
	out dx, al
	hlt
