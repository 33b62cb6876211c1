; irq_timer.asm - the first step of every OS-dev tutorial after the boot
; sector, without a BIOS: remap the 8259A pair to vectors 20h-2Fh, program
; the PIT's channel 0 as a 100 Hz rate generator, install an IRQ 0 handler
; in the interrupt vector table and wait for 100 ticks with STI; HLT.
; Prints "irq0: 100 ticks" on COM1 and exits with status 1 through the
; exit port.
bits 16

TICKS_WANTED	equ 100
PIT_COUNT	equ 11932		; 1193182 Hz / 100

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000
	call com1_init
	mov word [0x20 * 4], irq0	; vector 20h: IRQ 0 after the remap
	mov word [0x20 * 4 + 2], 0
	; ICW1-ICW4 to both chips: edge triggered, cascade, 8086 mode
	mov al, 0x11
	out 0x20, al
	out 0xa0, al
	mov al, 0x20			; master: vectors 20h-27h
	out 0x21, al
	mov al, 0x28			; slave: vectors 28h-2Fh
	out 0xa1, al
	mov al, 0x04			; master: a slave on input 2
	out 0x21, al
	mov al, 0x02			; slave: its id is 2
	out 0xa1, al
	mov al, 0x01
	out 0x21, al
	out 0xa1, al
	mov al, 0xfe			; OCW1: only IRQ 0
	out 0x21, al
	mov al, 0xff
	out 0xa1, al
	; channel 0, lo/hi byte, mode 2 (rate generator), binary
	mov al, 0x34
	out 0x43, al
	mov ax, PIT_COUNT
	out 0x40, al
	mov al, ah
	out 0x40, al
	sti
.wait:
	hlt				; woken by each tick
	cmp word [ticks], TICKS_WANTED
	jb .wait
	cli
	mov si, msg
	call com1_puts
	mov al, 1
	out 0xf4, al
	hlt

irq0:
	inc word [cs:ticks]
	push ax
	mov al, 0x20			; non-specific EOI
	out 0x20, al
	pop ax
	iret

%include "com1.inc"

ticks:	dw 0
msg:	db "irq0: 100 ticks", 10, 0
