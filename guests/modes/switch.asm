; switch.asm - a real-mode guest that climbs to long mode by itself, the
; way a boot loader does: it checks with CPUID that the CPU has long mode,
; enters 32-bit protected mode through its own GDT, builds its own page
; tables (the low 2 MiB identity-mapped, and the same 2 MiB again at
; 0xffffffff80000000, the usual higher-half kernel address), enables long
; mode, jumps to the higher-half copy of its 64-bit code, drops the
; identity mapping and prints from up there.  It reports each stage on
; COM1 (and greets the port-E9 debug console, when there is one, from
; real mode) and ends through the exit port:
;   value 0x10 (exit status 33): every stage passed
;   value 0x11 (exit status 35): CPUID says there is no long mode
;   value 0x12 (exit status 37): no CPUID instruction at all (a 486 or older)
; Run it as a flat binary at the default 0000:1000 (no --mode).

global _start

HIGH_BASE	equ 0xffffffff80000000	; virtual address of physical 0
CR0_PE		equ 1 << 0
CR0_PG		equ 1 << 31
CR4_PAE		equ 1 << 5
MSR_EFER	equ 0xc0000080
EFER_LME	equ 1 << 8
EFER_LMA	equ 1 << 10
PTE_P		equ 1 << 0
PTE_W		equ 1 << 1
PTE_PS		equ 1 << 7	; in a page-directory entry: a 2 MiB page
CPUID_LM	equ 1 << 29	; CPUID 0x80000001 EDX: long mode
EFLAGS_ID	equ 1 << 21

SEL_CODE32	equ 0x08
SEL_DATA	equ 0x10
SEL_CODE64	equ 0x18

%include "print.inc"

section .text
bits 16
_start:
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x1000		; just below the code
	cld
	mov si, msg_real
	call puts_com1_16
	in al, DEBUGCON		; the debug console answers 0xe9
	cmp al, 0xe9
	jne .no_e9
	mov si, msg_real_e9
	call puts_e9_16
.no_e9:

	; Is there a CPUID instruction?  Only if EFLAGS.ID can be toggled.
	pushfd
	pop eax
	mov ecx, eax
	xor eax, EFLAGS_ID
	push eax
	popfd
	pushfd
	pop eax
	push ecx
	popfd			; restore the original flags
	xor eax, ecx
.check_id:			; (a test clears EAX here, through gdb)
	test eax, EFLAGS_ID
	jz .no_cpuid

	; The largest extended leaf first: leaf 0x80000001 may not exist.
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
.check_lm:			; (a test clears EDX here, through gdb)
	test edx, CPUID_LM
	jz .no_long_mode
	mov si, msg_cpuid
	call puts_com1_16

	lgdt [gdt_desc]
	mov eax, cr0
	or eax, CR0_PE
	mov cr0, eax
	jmp dword SEL_CODE32:protected

.no_long_mode:
	mov si, msg_no_lm
	call puts_com1_16
	mov al, 0x11
	out EXIT_PORT, al
	hlt
.no_cpuid:
	mov si, msg_no_cpuid
	call puts_com1_16
	mov al, 0x12
	out EXIT_PORT, al
	hlt

PRINT_ROUTINES 16

bits 32
protected:
	mov ax, SEL_DATA
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	mov esp, stack_top
	mov esi, msg_protected
	call puts_com1_32

	; Zero the four tables, then link them:
	;   pml4[0]   -> pdpt_low,  pdpt_low[0]    -> pd  (0 .. 2 MiB)
	;   pml4[511] -> pdpt_high, pdpt_high[510] -> pd  (HIGH_BASE .. +2 MiB)
	; and pd[0] maps physical 0 as one 2 MiB page.
	mov edi, pml4
	mov ecx, 4 * 4096 / 4
	xor eax, eax
	rep stosd
	mov dword [pml4], pdpt_low + PTE_P + PTE_W
	mov dword [pml4 + 511 * 8], pdpt_high + PTE_P + PTE_W
	mov dword [pdpt_low], pd + PTE_P + PTE_W
	mov dword [pdpt_high + 510 * 8], pd + PTE_P + PTE_W
	mov dword [pd], 0 + PTE_P + PTE_W + PTE_PS

	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, pml4
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME
	wrmsr
	mov eax, cr0
	or eax, CR0_PG		; with EFER.LME set: long mode (EFER.LMA)
	mov cr0, eax
	jmp SEL_CODE64:long_low

PRINT_ROUTINES 32

bits 64
default rel
long_low:
	mov ecx, MSR_EFER
	rdmsr
	test eax, EFER_LMA
	jz .fail
	lea rsi, [msg_long]
	call puts_com1_64
	; The same code, 0xffffffff80000000 higher: continue there.
	mov rax, HIGH_BASE
	lea rbx, [higher_half]
	add rax, rbx
	jmp rax
.fail:
	mov al, 0x13
	out EXIT_PORT, al
	hlt

; From here on the code runs at HIGH_BASE + its link address, and reaches
; its data RIP-relative, so at HIGH_BASE as well.
higher_half:
	lea rsp, [stack_top]	; the stack moves up too
	lea rsi, [msg_higher]
	call puts_com1_64
	lea rax, [higher_half]
	mov ecx, 16
	call puthex_com1_64
	mov al, 10
	call putc_com1_64

	; Drop the identity mapping: only the higher half is left.
	mov qword [pml4], 0
	mov rax, cr3
	mov cr3, rax		; flush the TLB
	lea rsi, [msg_unmapped]
	call puts_com1_64
	lea rax, [stack_top]
	mov ecx, 16
	call puthex_com1_64
	mov al, 10
	call putc_com1_64
	mov al, 0x10
	out EXIT_PORT, al
	hlt

PRINT_ROUTINES 64

section .data
align 8
gdt:
	dq 0				; the null descriptor
	dq 0x00cf9a000000ffff		; 0x08: code, 32-bit, base 0, 4 GiB
	dq 0x00cf92000000ffff		; 0x10: data, base 0, 4 GiB
	dq 0x00af9a000000ffff		; 0x18: code, 64-bit (L set)
gdt_end:
gdt_desc:
	dw gdt_end - gdt - 1
	dd gdt

msg_real:	db "real mode: checking CPUID", 10, 0
msg_real_e9:	db "real mode: hello on port 0xe9", 10, 0
msg_cpuid:	db "CPUID: long mode supported", 10, 0
msg_no_lm:	db "no long mode", 10, 0
msg_no_cpuid:	db "no CPUID instruction", 10, 0
msg_protected:	db "protected mode: 32-bit code, own GDT", 10, 0
msg_long:	db "long mode: EFER.LMA set, identity-mapped", 10, 0
msg_higher:	db "higher half: running at ", 0
msg_unmapped:	db "identity mapping dropped, stack at ", 0

section .bss
alignb 4096
pml4:		resb 4096
pdpt_low:	resb 4096
pdpt_high:	resb 4096
pd:		resb 4096
		resb 4096
stack_top:
