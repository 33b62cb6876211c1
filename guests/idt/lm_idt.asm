; lm_idt.asm - interrupt and exception delivery through a 64-bit IDT.
; Starts in real mode (a flat binary at 0x1000), builds 4-level page tables
; identity-mapping the first 4 MiB with 2 MiB pages, enters 64-bit long mode
; directly, installs an IDT, then takes int 0x80, a divide error and a page
; fault (a write to the unmapped 0x0dead000), printing on COM1 for each the
; vector, the error code and CR2 as the handler sees them.  It ends through
; the exit port with the number of deliveries: status (N << 1) | 1.
;   --reg bl=0 (default): every case; bl=1 int 0x80 only, 2 the divide
;   error only, 3 the page fault only.
; Needs a host that delivers through a long-mode IDT: VT-x or AMD-V (the
; kvm_pvm module cannot; docs/modes.md).  Long mode needs the CPUID gdbvm
; gives the guest (EFER.LME is refused without it).
bits 16

PML4		equ 0x20000
PDPT		equ 0x21000
PD		equ 0x22000	; two 2 MiB pages: 0..4 MiB
IDT		equ 0x23000	; 256 gates of 16 bytes
STACK_TOP	equ 0x30000
FAULT_ADDR	equ 0x0dead000	; not mapped
EFER		equ 0xc0000080

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x1000
	mov [cases], bl
	cld
	mov ax, PML4 >> 4	; clear the tables and the IDT (16 KiB)
	mov es, ax
	xor di, di
	xor eax, eax
	mov cx, 4 * 1024
	rep stosd
	mov dword [es:PML4 - PML4], PDPT | 3
	mov dword [es:PDPT - PML4], PD | 3
	mov dword [es:PD - PML4], 0x000000 | 0x83	; present, writable, 2 MiB
	mov dword [es:PD - PML4 + 8], 0x200000 | 0x83
	xor ax, ax
	mov es, ax
	mov eax, cr4
	or eax, 1 << 5		; CR4.PAE
	mov cr4, eax
	mov eax, PML4
	mov cr3, eax
	mov ecx, EFER
	rdmsr
	or eax, 1 << 8		; EFER.LME
	wrmsr
	lgdt [gdt_desc]
	mov eax, cr0
	or eax, 0x80000001	; CR0.PG and CR0.PE at once: long mode
	mov cr0, eax
	jmp 0x08:lm64

bits 64
lm64:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	mov rsp, STACK_TOP

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
	mov qword [resume], .de_done
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
	mov qword [resume], .pf_done
	mov dword [FAULT_ADDR], 1
.pf_done:
.end:
	mov esi, s_done
	call puts
	mov al, [delivered]
	out EXIT_PORT, al
	hlt

; set_gate: EAX handler (below 4 GiB), EBX vector: a present 64-bit
; interrupt gate, DPL 0, no IST.
set_gate:
	mov edi, ebx
	shl edi, 4
	add edi, IDT
	mov [rdi], ax
	mov word [rdi + 2], 0x08
	mov word [rdi + 4], 0x8e00
	shr eax, 16
	mov [rdi + 6], ax
	mov dword [rdi + 8], 0
	mov dword [rdi + 12], 0
	ret

isr_de:
	push 0			; no error code
	push 0x00
	jmp isr_common
isr_pf:
	push 0x0e		; the CPU pushed the error code
	jmp isr_common
isr_80:
	push 0
	push 0x80
	jmp isr_common

; The frame: [rsp] vector, [rsp+8] error code, [rsp+16] RIP, CS, RFLAGS, RSP, SS.
isr_common:
	mov esi, s_vector
	call puts
	mov eax, [rsp]
	mov ecx, 2
	call hex
	mov esi, s_error
	call puts
	mov eax, [rsp + 8]
	mov ecx, 8
	call hex
	mov esi, s_cr2
	call puts
	mov rax, cr2
	mov ecx, 8
	call hex
	mov al, 10
	call putc
	inc byte [delivered]
	mov rax, [resume]	; a fault returns past the faulting instruction
	test rax, rax
	jz .back
	mov [rsp + 16], rax
	mov qword [resume], 0
.back:
	add rsp, 16
	iretq

%include "idt.inc"

align 8
gdt:
	dq 0				; null descriptor
	dq 0x00af9a000000ffff		; 0x08: 64-bit code
	dq 0x00cf92000000ffff		; 0x10: data
gdt_end:
gdt_desc:
	dw gdt_end - gdt - 1
	dd gdt
idt_desc:
	dw 256 * 16 - 1
	dq IDT

cases:		db 0
delivered:	db 0
align 8
resume:		dq 0

s_start:	db "lm_idt: long mode, IDT loaded", 10, 0
s_int80:	db "int 0x80: ", 0
s_de:		db "divide error: ", 0
s_pf:		db "page fault: ", 0
s_vector:	db "vector 0x", 0
s_error:	db " error 0x", 0
s_cr2:		db " cr2 0x", 0
s_done:		db "lm_idt: done", 10, 0
