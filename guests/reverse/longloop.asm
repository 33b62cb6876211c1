; longloop.asm - a guest that runs longer than a small --record-limit
; holds (tests/e2e/test_reverse_kvm.sh): PASSES passes of a loop that
; stores the pass number into a ring of words, so that every recorded step
; of the loop body costs memory as well as registers.  The loop body is
; LOOP_LEN instructions; when it is done, the exit port ends the run with
; status (EXIT_CODE << 1) | 1.
bits 16

PASSES    equ 20000
EXIT_CODE equ 0x0b
ring      equ 0x4000		; 256 words

start:
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x9000
	xor bx, bx
	mov cx, PASSES
body:				; LOOP_LEN instructions, body to the loop
	mov [ring + bx], cx
	add bx, 2
	and bx, 0x1fe
	loop body
body_end:
	mov al, EXIT_CODE
	out 0xf4, al
	hlt
