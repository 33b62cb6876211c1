; irq_step.asm - a guest to debug interrupts in (tests/e2e/test_irq.sh):
; the PIC remapped to 20h-2Fh, IRQ 0 counted by the handler `irq0` in
; `ticks`, and a main loop that never ends.  --reg bl picks it:
;   bl=0  the PIT at 1 kHz, the main loop `busy` a loop of four
;         instructions (stepping in it must stay in it);
;   bl=1  the PIT at 18.2 Hz (count 65536), the main loop `idle` waits in
;         HLT for each tick.
bits 16

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000
	call pic_remap
	mov word [0x20 * 4], irq0
	mov word [0x20 * 4 + 2], 0
	mov ax, 1193			; 1 kHz
	test bl, bl
	jz .rate
	xor ax, ax			; 0 counts 65536: 18.2 Hz
.rate:
	call pit_rate
	mov al, 0xfe			; only IRQ 0
	out 0x21, al
	xor cx, cx
	xor dx, dx
	sti
	test bl, bl
	jnz idle
busy:
	inc cx
	add dx, 3
	xor bx, cx
	jmp busy
busy_end:

idle:
	hlt
	jmp idle

irq0:
	inc word [cs:ticks]
	push ax
	mov al, 0x20			; non-specific EOI
	out 0x20, al
	pop ax
	iret

%include "pic.inc"

ticks:	dw 0
