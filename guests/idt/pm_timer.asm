; pm_timer.asm - the timer tutorial in 32-bit protected mode: starts in
; real mode (a flat binary at 0x1000), enters protected mode, installs an
; IDT whose gate 20h is the IRQ 0 handler, remaps the 8259A pair to
; 20h-2Fh (only IRQ 0 unmasked), programs the PIT's channel 0 at 100 Hz
; and waits with STI; HLT for 100 ticks.  Prints "pm_timer: protected
; mode, IDT loaded" and "pm_timer: 100 ticks" on COM1 and ends through
; the exit port with 1 (status 3).
; Needs a host that delivers through a protected-mode IDT: VT-x or AMD-V
; (kvm_pvm cannot; docs/modes.md).
bits 16

IDT		equ 0x22000	; 256 gates of 8 bytes
STACK_TOP	equ 0x30000
TICKS_WANTED	equ 100
PIT_COUNT	equ 11932	; 1193182 Hz / 100

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x1000
	lgdt [gdt_desc]
	mov eax, cr0
	or eax, 1		; CR0.PE
	mov cr0, eax
	jmp 0x08:pm32

bits 32
pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	mov esp, STACK_TOP
	cld
	mov edi, IDT
	xor eax, eax
	mov ecx, 2 * 256
	rep stosd
	mov edi, IDT + 0x20 * 8	; gate 20h: IRQ 0, a 32-bit interrupt gate
	mov eax, irq0
	mov [edi], ax
	mov word [edi + 2], 0x08
	mov word [edi + 4], 0x8e00
	shr eax, 16
	mov [edi + 6], ax
	lidt [idt_desc]
	mov esi, s_start
	call puts

	mov al, 0x11		; ICW1: edge triggered, cascade, ICW4
	out 0x20, al
	out 0xa0, al
	mov al, 0x20		; ICW2: vectors 20h-27h and 28h-2Fh
	out 0x21, al
	mov al, 0x28
	out 0xa1, al
	mov al, 0x04		; ICW3: the slave on input 2
	out 0x21, al
	mov al, 0x02
	out 0xa1, al
	mov al, 0x01		; ICW4: 8086 mode
	out 0x21, al
	out 0xa1, al
	mov al, 0xfe		; only IRQ 0
	out 0x21, al
	mov al, 0xff
	out 0xa1, al
	mov al, 0x34		; channel 0, lo/hi byte, mode 2
	out 0x43, al
	mov ax, PIT_COUNT
	out 0x40, al
	mov al, ah
	out 0x40, al
	sti
.wait:
	hlt
	cmp dword [ticks], TICKS_WANTED
	jb .wait
	cli
	mov esi, s_ticks
	call puts
	mov al, 1
	out EXIT_PORT, al
	hlt

irq0:
	push eax
	inc dword [ticks]
	mov al, 0x20		; non-specific EOI
	out 0x20, al
	pop eax
	iret

%include "idt.inc"

align 8
gdt:
	dq 0				; null descriptor
	dq 0x00cf9a000000ffff		; 0x08: code, base 0, 4 GiB, 32-bit
	dq 0x00cf92000000ffff		; 0x10: data, base 0, 4 GiB
gdt_end:
gdt_desc:
	dw gdt_end - gdt - 1
	dd gdt
idt_desc:
	dw 256 * 8 - 1
	dd IDT

align 4
ticks:		dd 0
s_start:	db "pm_timer: protected mode, IDT loaded", 10, 0
s_ticks:	db "pm_timer: 100 ticks", 10, 0
