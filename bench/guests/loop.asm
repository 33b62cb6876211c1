; loop.asm - the stepping and breakpoint benchmark guest: counts CX up
; forever, passing the label 'tick' (offset 3: 0000:1003) once per round.
; gdb steps it (stepi) or continues to a breakpoint at tick.  Loaded and
; entered at 0000:1000; the same bytes run under gdbvm and, copied to
; 0x1000 by bench/guests/qemu-fw.asm, under QEMU.
bits 16
org 0x1000

start:
	xor cx, cx
again:
	inc cx
tick:
	nop
	jmp again
