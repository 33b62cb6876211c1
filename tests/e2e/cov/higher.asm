; higher.asm - for test_coverage.sh: a 64-bit kernel linked in the higher
; half (higher.ld): its .text runs at 0xffffffff80101000 and is loaded at
; physical 0x101000 (the ELF segment's p_paddr), as higher-half kernels are
; built.  gdbvm enters _start (physical, in .boot) in long mode with its own
; page tables; the boot code maps the top 2 GiB onto the first 1 GiB too,
; by pointing the last PML4 entry and PDPT entry 510 at the tables that
; map 0-1 GiB, and jumps up.  There it runs a loop, a call and a branch it
; never takes, and ends through the exit port (value 0: status 1).
bits 64

KERNEL_VMA	equ 0xffffffff80000000
LOOPS		equ 5
EXIT_PORT	equ 0xf4

section .boot
global _start
_start:
	mov rbx, cr3
	and rbx, ~0xfff			; the PML4
	mov rax, [rbx]			; entry 0: the PDPT that maps 0-512 GiB
	mov [rbx + 511 * 8], rax	; 0xffffff80_00000000 up: the same PDPT
	and rax, ~0xfff
	mov rcx, [rax]			; PDPT entry 0: the PD that maps 0-1 GiB
	mov [rax + 510 * 8], rcx	; 0xffffffff_80000000 up: the same PD
	mov cr3, rbx			; flush the TLB
	mov rax, high_start
	jmp rax

section .text
high_start:
	lea rsp, [rel stack_top]
	xor edx, edx
	mov ecx, LOOPS
.loop:
	call add_one
	dec ecx
	jnz .loop
	cmp edx, LOOPS
	jne .wrong
	xor eax, eax
	out EXIT_PORT, al
	hlt
.wrong:
	mov al, 1			; never
	out EXIT_PORT, al		; never
	hlt				; never

add_one:
	inc edx
	ret

section .bss
align 16
	resb 4096
stack_top:
