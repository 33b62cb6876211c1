; int3.asm - a guest with an int3 of its own and user-mode code, for
; breakpoints planted as int3 (docs/gdb.md, tests/e2e/test_paging_gdb.sh).
; It climbs from real mode to long mode like remap.asm, identity-maps its
; first 2 MiB with one large page (supervisor only) and maps one 4 KiB page
; at 4 MiB, user-accessible:
;   0x400000 (USER_VIRT) -> page U, code that runs at CPL 3
; It installs an IDT whose vector 3 counts and returns, executes an int3
; itself at CPL 0 (label own_int3), then drops to CPL 3 (IRETQ, IOPL 3)
; into page U, which ends through the exit port: value 0x10 (exit status 33)
; when its handler ran exactly once, 0x11 (status 35) otherwise.  A
; debugger's int3 in page U must stop there; the guest's own must still
; reach its handler.  Needs a host that delivers exceptions through a
; long-mode IDT (VT-x, AMD-V, the nested VM; not kvm_pvm).
; Run it as a flat binary at the default 0000:1000.
global _start
PML4		equ 0x10000	; the tables lie in RAM beyond the image (zeros)
PDPT		equ 0x11000
PD		equ 0x12000
PT_HIGH		equ 0x13000
IDT		equ 0x14000
USER_VIRT	equ 0x400000
PTE_P		equ 1 << 0
PTE_W		equ 1 << 1
PTE_U		equ 1 << 2
PTE_PS		equ 1 << 7
CR0_PE		equ 1 << 0
CR0_PG		equ 1 << 31
CR4_PAE		equ 1 << 5
MSR_EFER	equ 0xc0000080
EFER_LME	equ 1 << 8
EXIT_PORT	equ 0xf4
GATE_INT64	equ 0x8e00	; present, DPL 0, 64-bit interrupt gate

section .text align=4096
bits 16
_start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x1000
	lgdt [gdt_desc]
	mov eax, cr0
	or eax, CR0_PE
	mov cr0, eax
	jmp dword 0x08:protected

bits 32
protected:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esp, 0x1000
	mov dword [PML4], PDPT + PTE_P + PTE_W + PTE_U
	mov dword [PDPT], PD + PTE_P + PTE_W + PTE_U
	mov dword [PD], 0 + PTE_P + PTE_W + PTE_PS
	mov dword [PD + 2 * 8], PT_HIGH + PTE_P + PTE_W + PTE_U
	mov dword [PT_HIGH], page_u + PTE_P + PTE_U
	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, PML4
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME
	wrmsr
	mov eax, cr0
	or eax, CR0_PG
	mov cr0, eax
	jmp 0x18:long_mode

bits 64
long_mode:
	mov rsp, 0x1000
	; Gate 3: the handler below (its address fits in 32 bits).
	mov eax, bp_handler
	mov [IDT + 3 * 16], ax
	mov word [IDT + 3 * 16 + 2], 0x18
	mov word [IDT + 3 * 16 + 4], GATE_INT64
	shr eax, 16
	mov [IDT + 3 * 16 + 6], ax
	lidt [idt_desc]
own_int3:
	int3
after_int3:
	cmp dword [count], 1
	mov al, 0x10
	je .out
	mov al, 0x11
.out:
	; To CPL 3 at USER_VIRT, AL kept: SS, RSP, RFLAGS (IOPL 3), CS, RIP.
	push qword 0x20 | 3
	push qword 0x1000
	push qword 0x3002
	push qword 0x28 | 3
	push qword USER_VIRT
	iretq

bp_handler:
	inc dword [count]
	iretq

align 4
count:
	dd 0
align 8
gdt:
	dq 0
	dq 0x00cf9a000000ffff		; 0x08: code, 32-bit, base 0, 4 GiB
	dq 0x00cf92000000ffff		; 0x10: data, base 0, 4 GiB
	dq 0x00af9a000000ffff		; 0x18: code, 64-bit (L set)
	dq 0x00cff2000000ffff		; 0x20: data, DPL 3
	dq 0x00affa000000ffff		; 0x28: code, 64-bit, DPL 3
gdt_end:
gdt_desc:
	dw gdt_end - gdt - 1
	dd gdt
idt_desc:
	dw 256 * 16 - 1
	dq IDT

align 4096
page_u:				; runs at CPL 3
	nop
user_entry:
	out EXIT_PORT, al
	hlt
