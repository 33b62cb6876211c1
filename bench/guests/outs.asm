; outs.asm - the port-I/O exit benchmark guest: ECX OUTs (ECX >= 1, set by
; the VMM: gdbvm --reg ecx=N, or "floor N") to COM1's scratch register
; (port 0x3ff, which gdbvm's UART keeps and the floor ignores), then HLT.
; Each OUT is one KVM_EXIT_IO.  Loaded and entered at 0000:1000.
bits 16
org 0x1000

	mov dx, 0x3ff
again:
	out dx, al
	dec ecx
	jnz again
	hlt
