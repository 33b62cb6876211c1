; long.asm - the demo in 64-bit long mode (gdbvm --mode long): the same
; output as the real-mode demo ("4" and a newline on COM1), then HLT, so the
; start-up figure compares the cost of entering long mode (gdbvm's page
; tables, GDT and CPUID) with the real-mode start.
bits 64
org 0x1000
	mov rax, 2
	add rax, 2
	add al, '0'
	mov dx, 0x3f8
	out dx, al
	mov al, 10
	out dx, al
	hlt
