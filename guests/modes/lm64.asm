; lm64.asm - a flat 64-bit long-mode guest (run it with --mode long; it is
; loaded at the default 0x1000).  gdbvm enters it in 64-bit mode with
; paging on (its identity map of the low 4 GiB); it sets up its own stack,
; then:
;   - prints the RAX it was entered with (set it with --reg rax=VALUE),
;   - checks EFER.LMA (MSR 0xc0000080 bit 10),
;   - does what only 64-bit code can: a 64 x 64 -> 128-bit multiplication
;     (MUL r64 into RDX:RAX) and a sum in R8..R15, printed in hex,
;   - prints a line on the port-E9 debug console,
; and ends through the exit port with 0x30 plus one bit per failed check
; (0x30 when all passed: exit status 97).
;   bit 0: EFER.LMA clear   bit 1: the product's high half is wrong
;   bit 2: no debug console at port 0xe9
; It never touches memory above 4 GiB: gdbvm maps only the low 4 GiB.

global _start

MSR_EFER	equ 0xc0000080
EFER_LMA	equ 1 << 10

%include "print.inc"

section .text
bits 64
default rel
_start:
	mov [entry_rax], rax
	lea rsp, [stack_top]
	cld
	xor ebx, ebx		; failed checks
	lea rsi, [msg_hello]
	call puts_com1_64
	lea rsi, [msg_rax]
	call puts_com1_64
	mov rax, [entry_rax]
	mov ecx, 16
	call puthex_com1_64
	call newline

	mov ecx, MSR_EFER
	rdmsr
	shr eax, 10		; EFER.LMA
	and eax, 1
	jnz .lma_ok
	or ebx, 1
.lma_ok:
	lea rsi, [msg_lma]
	call puts_com1_64
	add al, '0'
	call putc_com1_64
	call newline

	; 0xfedcba9876543210 * 0x0123456789abcdef: a 128-bit product.
	mov rax, 0xfedcba9876543210
	mov r8, 0x0123456789abcdef
	mul r8
	mov r9, rdx
	mov r10, rax
	lea rsi, [msg_mul]
	call puts_com1_64
	mov rax, r9
	mov ecx, 16
	call puthex_com1_64
	mov rax, r10
	lea rsi, [msg_low]
	call puts_com1_64
	mov ecx, 16
	call puthex_com1_64
	call newline
	mov rax, 0x0121fa00ad77d742	; the high half, computed beforehand
	cmp r9, rax
	je .mul_ok
	or ebx, 2
.mul_ok:

	; R8..R15 = 1..8 times 0x1111111111111111, summed (mod 2^64).
	mov r8, 0x1111111111111111
	lea r9, [r8 + r8]
	lea r10, [r9 + r8]
	lea r11, [r10 + r8]
	lea r12, [r11 + r8]
	lea r13, [r12 + r8]
	lea r14, [r13 + r8]
	lea r15, [r14 + r8]
	mov rax, r8
	add rax, r9
	add rax, r10
	add rax, r11
	add rax, r12
	add rax, r13
	add rax, r14
	add rax, r15
	lea rsi, [msg_sum]
	call puts_com1_64
	mov ecx, 16
	call puthex_com1_64
	call newline

	in al, DEBUGCON
	cmp al, 0xe9
	je .e9_found
	or ebx, 4
	jmp .done
.e9_found:
	lea rsi, [msg_e9]
	call puts_e9_64
.done:
	lea rsi, [msg_bye]
	call puts_com1_64
	mov eax, ebx
	or al, 0x30
	out EXIT_PORT, al
	hlt

newline:
	push rax
	mov al, 10
	call putc_com1_64
	pop rax
	ret

PRINT_ROUTINES 64

section .data
msg_hello:	db "lm64: 64-bit long mode", 10, 0
msg_rax:	db "rax at entry: ", 0
msg_lma:	db "EFER.LMA=", 0
msg_mul:	db "0xfedcba9876543210 * 0x0123456789abcdef = high ", 0
msg_low:	db ", low ", 0
msg_sum:	db "r8 + r9 + ... + r15 = ", 0
msg_e9:		db "lm64: hello on port 0xe9", 10, 0
msg_bye:	db "lm64: done", 10, 0

section .bss
alignb 8
entry_rax:	resq 1
alignb 16
		resb 4096
stack_top:
