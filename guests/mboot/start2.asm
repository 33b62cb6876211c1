; start2.asm - entry of the Multiboot 2 kernel (guests/mboot/kernel2.c):
; the Multiboot 2 header with its tags, then _start, entered in 32-bit
; protected mode with EAX = 0x36D76289 and EBX = the information's address.
; It sets up a stack, calls kmain2(magic, info) and ends the run through
; the exit port 0xf4 with kmain2's value (status (value << 1) | 1).
bits 32

MB2_MAGIC	equ 0xE85250D6
MB2_ARCH	equ 0		; i386, 32-bit protected mode
MB2_LENGTH	equ mb2_end - mb2_header

section .multiboot
align 8, db 0
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH
	dd MB2_LENGTH
	dd 0x100000000 - (MB2_MAGIC + MB2_ARCH + MB2_LENGTH)

	; information request (required): command line, boot loader name,
	; modules, memory sizes, memory map
align 8, db 0
	dw 1, 0
	dd 8 + 5 * 4
	dd 1, 2, 3, 4, 6
	; information request (optional): the ACPI tables, which gdbvm lacks
align 8, db 0
	dw 1, 1
	dd 8 + 4
	dd 14
	; framebuffer: the 80x25 text screen (depth 0: text)
align 8, db 0
	dw 5, 0
	dd 20
	dd 80, 25, 0
	; end of the tags
align 8, db 0
	dw 0, 0
	dd 8
mb2_end:

section .bss
align 16
stack:	resb 16384
stack_top:

section .text
global _start
extern kmain2

_start:
	mov esp, stack_top
	xor ebp, ebp		; ends gdb's backtrace here
	push ebx		; the information tags
	push eax		; the magic number
	call kmain2
	out 0xf4, al
.halt:	hlt
	jmp .halt
