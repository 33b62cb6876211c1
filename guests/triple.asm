; triple.asm - a guest that fails on every host: it enters 32-bit protected
; mode with an empty IDT (limit 0) and executes int3.  On Intel VT-x and
; AMD-V that is #GP, then #DF, then a triple fault (KVM_EXIT_SHUTDOWN); on
; KVM hosts that emulate every instruction (kvm_pvm) it ends in
; KVM_EXIT_INTERNAL_ERROR instead.  Either way gdbvm must report it.
bits 16

start:
	cli
	xor ax, ax
	mov ds, ax
	lgdt [gdt_desc]
	lidt [idt_desc]
	mov eax, cr0
	or eax, 1		; CR0.PE
	mov cr0, eax
	jmp 0x08:pm32

bits 32
pm32:
	mov ax, 0x10
	mov ds, ax
	mov ss, ax
	int3			; no IDT entry: #GP -> #DF -> triple fault
	hlt

align 8
gdt:
	dq 0				; null descriptor
	dq 0x00cf9a000000ffff		; 0x08: code, base 0, 4G, 32-bit
	dq 0x00cf92000000ffff		; 0x10: data, base 0, 4G
gdt_end:
gdt_desc:
	dw gdt_end - gdt - 1
	dd gdt
idt_desc:
	dw 0				; limit 0: every vector is out of bounds
	dd 0
