; ud_loop.asm - an invalid-opcode loop, for gdb tests of a guest that never
; gets anywhere: interrupt vector 6 (#UD) points back at the ud2 that
; raises it, so the CPU takes #UD, pushes FLAGS, CS and IP, and runs the
; same ud2 again, forever.  The stack is a 64K segment of its own (SS =
; 0x2000), so the endless pushes wrap inside it and never reach the vector
; table or the code.  Prints "ud" first, so a test can see it started.
bits 16

start:
	xor ax, ax
	mov ds, ax
	mov word [6 * 4], ud_loop	; IVT vector 6 (#UD): back at the ud2
	mov word [6 * 4 + 2], 0
	mov ax, 0x2000
	mov ss, ax
	xor sp, sp			; first frame at 2000:fffa
	mov dx, 0x3f8
	mov al, 'u'
	out dx, al
	mov al, 'd'
	out dx, al
	mov al, 10
	out dx, al
ud_loop:
	ud2				; #UD -> vector 6 -> here again
