; add.asm - the classic first KVM guest, self-contained: 2 + 2, printed as a
; digit and a newline on COM1, then HLT.  ./gdbvm guests/add.bin prints "4".
bits 16

	mov al, 2
	mov bl, 2
	mov dx, 0x3f8
	add al, bl
	add al, '0'
	out dx, al
	mov al, 10
	out dx, al
	hlt
