; start.asm - start-up code of the 64-bit C guest (guests/c64/).  gdbvm
; enters it in long mode at _start with paging on and interrupts off; the
; C code needs a stack (16-byte aligned before each call, as the System V
; ABI says) and a zeroed .bss.  This sets both up, calls main() and ends
; the run with its return value: 0 halts (exit status 0), anything else
; goes to the exit port 0xf4 (exit status (value << 1) | 1).
bits 64
default rel
section .text.start

global _start
extern main, __bss_start, __bss_end

_start:
	cli
	cld
	lea rsp, [stack_top]
	xor ebp, ebp		; ends gdb's backtrace at _start
	lea rdi, [__bss_start]	; .bss is zero in the ELF already, but not
	lea rcx, [__bss_end]	; when the flat binary is loaded
	sub rcx, rdi
	xor eax, eax
	rep stosb
	call main
	test eax, eax
	jnz .fail
	hlt
.fail:
	out 0xf4, al
	hlt

section .stack nobits alloc write align=16
	resb 16384
stack_top:
