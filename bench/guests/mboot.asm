; mboot.asm - the smallest Multiboot (version 1) kernel: it checks the boot
; loader's magic in EAX, prints "4" and a newline on COM1 and writes 10 to
; port 0xf4, which ends the run with status (10 << 1) | 1 = 21 on gdbvm's
; exit port and on QEMU's isa-debug-exit device alike.  Linked at 1 MiB
; (bench.mk) and run by both as a kernel: gdbvm FILE, qemu -kernel FILE.
bits 32
section .text
align 4
	dd 0x1BADB002		; magic
	dd 0			; flags: nothing asked of the boot loader
	dd -0x1BADB002		; checksum
global _start
_start:
	cmp eax, 0x2BADB002
	jne .stop
	mov dx, 0x3f8
	mov al, '4'
	out dx, al
	mov al, 10
	out dx, al
	out 0xf4, al
.stop:	hlt
	jmp .stop
