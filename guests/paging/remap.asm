; remap.asm - a guest whose page tables change under the debugger.  It
; climbs from real mode to long mode (4-level paging: this host's KVM
; refuses paging outside long mode), identity-maps its first 2 MiB with
; one large page, and maps three 4 KiB pages at 4 MiB:
;   0x400000 (CODE_VIRT)  -> page A, a routine that returns 0xa1 in EAX
;   0x401000 (DATA_VIRT)  -> the page "data" (it stores its result there)
;   0x402000 (USER_VIRT)  -> page U, user-accessible code (U/S set)
; It calls CODE_VIRT, then maps CODE_VIRT to page B (a routine returning
; 0xb2 at the same offset), reloads CR3, and calls CODE_VIRT again: the
; same virtual address, other code.  It stores the sum at DATA_VIRT, then
; drops to CPL 3 (IRETQ, IOPL 3) into page U, which ends through the exit
; port: value 0x10 (exit status 33) when the sum is 0xa1 + 0xb2, value 0x11
; (status 35) otherwise.  The rest of 0x400000 .. 0x5fffff is unmapped.
; Run it as a flat binary at the default 0000:1000.
; Labels the tests stop at: first_call, after_remap, after_store.

global _start

PML4		equ 0x10000	; the tables lie in RAM beyond the image (zeros)
PDPT		equ 0x11000
PD		equ 0x12000
PT_HIGH		equ 0x13000	; the three pages at 4 MiB
CODE_VIRT	equ 0x400000
DATA_VIRT	equ 0x401000
USER_VIRT	equ 0x402000
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
	mov dword [PT_HIGH], page_a + PTE_P + PTE_W
	mov dword [PT_HIGH + 8], data + PTE_P + PTE_W
	mov dword [PT_HIGH + 16], page_u + PTE_P + PTE_U
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
first_call:
	mov eax, CODE_VIRT
	call rax
	mov ebx, eax
	; The same virtual page, now page B.
	mov dword [PT_HIGH], page_b + PTE_P + PTE_W
	mov rax, cr3
	mov cr3, rax		; flush the TLB
after_remap:
	mov eax, CODE_VIRT
	call rax
	add ebx, eax
	mov [DATA_VIRT], ebx
after_store:
	cmp ebx, 0xa1 + 0xb2
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

align 4096
page_a:
	mov eax, 0xa1
	ret
align 4096
page_b:
	mov eax, 0xb2
	ret
align 4096
page_u:				; runs at CPL 3
	out EXIT_PORT, al
	hlt
align 4096
data:
	dd 0
