; steps.asm - one of each instruction that is awkward to single-step: out,
; in, int (into a handler set up here), iret, rep movsb, a far jump, and
; finally hlt.  Labels name each instruction so tests can check that every
; stepi lands exactly on the next one.
bits 16

start:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x1000
	mov word [0x40 * 4], handler	; IVT entry for int 0x40
	mov word [0x40 * 4 + 2], 0
	mov dx, 0x3f8
	mov al, 'S'
at_out:
	out dx, al
at_in:
	in al, dx
at_int:
	int 0x40
after_int:
	mov si, src
	mov di, 0x3000
	mov cx, 5
	cld
at_rep:
	rep movsb
after_rep:
	jmp 0x0100:(far_target - 0x1000)	; far jump: CS = 0x100, same linear code
at_hlt_before:
	nop
far_target:
	mov al, 10
	out dx, al
at_hlt:
	hlt

handler:
	nop				; first instruction of the int 0x40 handler
	iret

src: db "hello"
