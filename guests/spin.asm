; spin.asm - prints "spinning" and then loops forever, for --timeout, SIGINT
; and (with gdb) interrupt tests.
bits 16

	mov dx, 0x3f8
	mov si, message
.print:
	lodsb
	test al, al
	jz .spin
	out dx, al
	jmp .print
.spin:
	inc cx
	jmp .spin

message: db "spinning", 10, 0
