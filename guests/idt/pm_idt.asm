; pm_idt.asm - interrupt and exception delivery through a 32-bit IDT.
; Starts in real mode (a flat binary at 0x1000), enters 32-bit protected
; mode, installs an IDT, then takes int 0x80, a divide error and, after
; turning on 4 KiB paging that identity-maps the first 4 MiB, a page fault
; (a write to the unmapped 0x0dead000), printing on COM1 for each the
; vector, the error code and CR2 as the handler sees them.  Paging comes
; on only for the last case, so that a host which refuses it (kvm_pvm)
; still shows how it fails at the first two.  It ends through the exit port with
; the number of deliveries: status (N << 1) | 1.
;   --reg bl=0 (default): every case; bl=1 int 0x80 only, 2 the divide
;   error only, 3 the page fault only.
; Needs a host that delivers through a protected-mode IDT: VT-x or AMD-V
; (the kvm_pvm module cannot; docs/modes.md).
bits 16

PD		equ 0x20000	; page directory
PT		equ 0x21000	; page table for 0..4 MiB
IDT		equ 0x22000	; 256 gates of 8 bytes
STACK_TOP	equ 0x30000
FAULT_ADDR	equ 0x0dead000	; not mapped

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x1000
	mov [cases], bl
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
	mov edi, PD		; clear the directory, the table and the IDT
	xor eax, eax
	mov ecx, 3 * 1024
	rep stosd
	mov dword [PD], PT | 3	; present, writable
	mov edi, PT
	mov eax, 3
	mov ecx, 1024
.map:
	stosd
	add eax, 0x1000
	loop .map
	mov eax, PD
	mov cr3, eax

	mov eax, isr_de
	mov ebx, 0x00
	call set_gate
	mov eax, isr_pf
	mov ebx, 0x0e
	call set_gate
	mov eax, isr_80
	mov ebx, 0x80
	call set_gate
	lidt [idt_desc]
	mov esi, s_start
	call puts

	cmp byte [cases], 0
	je .int80
	cmp byte [cases], 1
	jne .de
.int80:
	mov esi, s_int80
	call puts
	int 0x80
.de:
	cmp byte [cases], 0
	je .de_go
	cmp byte [cases], 2
	jne .pf
.de_go:
	mov esi, s_de
	call puts
	mov dword [resume], .de_done
	mov eax, 1
	xor edx, edx
	xor ecx, ecx
	div ecx
.de_done:
.pf:
	cmp byte [cases], 0
	je .pf_go
	cmp byte [cases], 3
	jne .end
.pf_go:
	mov esi, s_pf
	call puts
	mov eax, cr0
	or eax, 0x80000000	; CR0.PG: paging on, with the tables ready since the start
	mov cr0, eax
	mov dword [resume], .pf_done
	mov dword [FAULT_ADDR], 1
.pf_done:
.end:
	mov esi, s_done
	call puts
	mov al, [delivered]
	out EXIT_PORT, al
	hlt

; set_gate: EAX handler, EBX vector: a present 32-bit interrupt gate, DPL 0.
set_gate:
	lea edi, [IDT + ebx * 8]
	mov [edi], ax
	mov word [edi + 2], 0x08
	mov word [edi + 4], 0x8e00
	shr eax, 16
	mov [edi + 6], ax
	ret

isr_de:
	push dword 0		; no error code
	push dword 0x00
	jmp isr_common
isr_pf:
	push dword 0x0e		; the CPU pushed the error code
	jmp isr_common
isr_80:
	push dword 0
	push dword 0x80
	jmp isr_common

; The frame: [esp] vector, [esp+4] error code, [esp+8] EIP, CS, EFLAGS.
isr_common:
	mov esi, s_vector
	call puts
	mov eax, [esp]
	mov ecx, 2
	call hex
	mov esi, s_error
	call puts
	mov eax, [esp + 4]
	mov ecx, 8
	call hex
	mov esi, s_cr2
	call puts
	mov eax, cr2
	mov ecx, 8
	call hex
	mov al, 10
	call putc
	inc byte [delivered]
	mov eax, [resume]	; a fault returns past the faulting instruction
	test eax, eax
	jz .back
	mov [esp + 8], eax
	mov dword [resume], 0
.back:
	add esp, 8
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

cases:		db 0
delivered:	db 0
align 4
resume:		dd 0

s_start:	db "pm_idt: protected mode, IDT loaded", 10, 0
s_int80:	db "int 0x80: ", 0
s_de:		db "divide error: ", 0
s_pf:		db "page fault: ", 0
s_vector:	db "vector 0x", 0
s_error:	db " error 0x", 0
s_cr2:		db " cr2 0x", 0
s_done:		db "pm_idt: done", 10, 0
