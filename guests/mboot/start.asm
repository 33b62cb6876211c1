; start.asm - entry of the Multiboot kernel (guests/mboot/): the Multiboot
; header, then _start, which the boot loader enters in 32-bit protected
; mode with EAX = 0x2BADB002 and EBX = the information structure's address.
; It sets up a stack, calls kmain(magic, info) and ends the run through the
; exit port 0xf4 with kmain's value (status (value << 1) | 1).
bits 32

MB_MAGIC	equ 0x1BADB002
; bit 0: modules on page boundaries; bit 1: memory information;
; bit 2: a video mode (the header's video fields: EGA text, 80x25)
MB_FLAGS	equ (1 << 0) | (1 << 1) | (1 << 2)

section .multiboot
align 4
mb_header:
	dd MB_MAGIC
	dd MB_FLAGS
	dd -(MB_MAGIC + MB_FLAGS)
	dd 0, 0, 0, 0, 0	; address fields: unused without flag 16 (an ELF kernel)
	dd 1			; mode_type: EGA text
	dd 80, 25, 0		; width, height, depth

section .bss
align 16
stack:	resb 16384
stack_top:

section .text
global _start
extern kmain

_start:
	mov esp, stack_top
	xor ebp, ebp		; ends gdb's backtrace here
	push ebx		; the information structure
	push eax		; the magic number
	call kmain
	out 0xf4, al
.halt:	hlt
	jmp .halt
