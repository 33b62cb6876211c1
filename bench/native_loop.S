/*
 * native_loop.S - the native process GNU gdbserver steps, for comparison
 * with gdbvm: the same loop as bench/guests/loop.asm (count ECX up forever,
 * passing 'tick' once per round), as a static x86-64 Linux program with no
 * libc, so gdb steps the loop from the first instruction; and 1 MiB at
 * 'buf' for gdb to dump and restore.
 */
	.text
	.globl _start
_start:
	xorl %ecx, %ecx
again:
	incl %ecx
	.globl tick
tick:
	nop
	jmp again

	.bss
	.globl buf
	.balign 4096
buf:				/* 1 MiB that gdb dumps and restores */
	.skip 1048576
	.section .note.GNU-stack,"",@progbits
