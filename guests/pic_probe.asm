; pic_probe.asm - the 8259A and the HLT rule as a guest sees them.  The
; PIC is remapped to 20h-2Fh and the PIT runs at 1 kHz; --reg bl picks
; the case:
;   bl=0  IRQ 0 masked: its request shows in IRR (OCW3 read) but never
;         arrives; unmasked, it arrives at once, and the handler reads ISR
;         (bit 0 in service) before and after its EOI.  Prints
;         "masked: irr 01 ticks 0", "unmasked: ticks 1 isr 01 after eoi 00"
;         and exits through the exit port with 1 (status 3).
;   bl=1  the timer unmasked, then cli; hlt: nothing can wake the guest,
;         it ends at once (status 0).
;   bl=2  the timer running but every input masked, then sti; hlt: ends
;         at once too (status 0).
;   bl=3  the timer unmasked, sti; hlt in a loop: waits for ever (until
;         --timeout).
bits 16

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000
	call com1_init
	call pic_remap
	mov word [0x20 * 4], irq0
	mov word [0x20 * 4 + 2], 0
	mov ax, 1193			; 1193182 Hz / 1193: 1 kHz
	call pit_rate
	cmp bl, 1
	je cli_hlt
	cmp bl, 2
	je masked_hlt
	cmp bl, 3
	je waits

	; case 0: masked, the request waits in IRR
	sti
.irr:
	mov al, 0x0a			; OCW3: read IRR
	out 0x20, al
	in al, 0x20
	test al, 0x01
	jz .irr
	mov cx, 1000			; a while longer, interrupts on
.more:
	in al, 0x20
	loop .more
	cli
	mov si, s_masked
	call com1_puts
	call com1_puthex8		; IRR
	mov si, s_ticks
	call com1_puts
	movzx eax, word [ticks]
	call com1_putdec
	mov al, 10
	call com1_putc
	; unmask: the latched request is taken as soon as IF allows
	mov al, 0xfe
	out 0x21, al
	sti
.taken:
	cmp word [ticks], 0
	je .taken
	cli
	mov al, 0xff			; masked again before printing
	out 0x21, al
	mov si, s_unmasked
	call com1_puts
	movzx eax, word [ticks]
	call com1_putdec
	mov si, s_isr
	call com1_puts
	mov al, [isr_in]
	call com1_puthex8
	mov si, s_eoi
	call com1_puts
	mov al, [isr_after]
	call com1_puthex8
	mov al, 10
	call com1_putc
	mov al, 1
	out 0xf4, al
	hlt

cli_hlt:
	mov al, 0xfe
	out 0x21, al
	cli
	hlt
	jmp cli_hlt

masked_hlt:
	sti
	hlt
	jmp masked_hlt

waits:
	mov al, 0xfe
	out 0x21, al
	sti
.wait:
	hlt
	jmp .wait

irq0:
	push ax
	inc word [cs:ticks]
	mov al, 0x0b			; OCW3: read ISR
	out 0x20, al
	in al, 0x20
	mov [cs:isr_in], al
	mov al, 0x20			; non-specific EOI
	out 0x20, al
	in al, 0x20			; ISR again (OCW3 still selects it)
	mov [cs:isr_after], al
	mov al, 0x0a			; back to IRR
	out 0x20, al
	pop ax
	iret

%include "com1.inc"
%include "num.inc"
%include "pic.inc"

ticks:		dw 0
isr_in:		db 0
isr_after:	db 0
s_masked:	db "masked: irr ", 0
s_ticks:	db " ticks ", 0
s_unmasked:	db "unmasked: ticks ", 0
s_isr:		db " isr ", 0
s_eoi:		db " after eoi ", 0
