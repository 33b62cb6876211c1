; pit_wait.asm - waits one second of guest time the way BIOS-era delay
; code does: channel 2 in mode 0 with a count of 59659 (50 ms at
; 1.193182 MHz), gated on through port 0x61 bit 0, polling channel 2's
; output in port 0x61 bit 5; twenty times.  Prints "pit: waited 20 x 50 ms"
; and exits with status 1.
bits 16

start:
	call com1_init
	mov cx, 20
.again:
	in al, 0x61
	and al, 0xfc		; gate off, speaker data off
	out 0x61, al
	mov al, 0xb0		; channel 2, lo/hi, mode 0, binary
	out 0x43, al
	mov ax, 59659
	out 0x42, al
	mov al, ah
	out 0x42, al
	in al, 0x61
	or al, 1		; gate on: counting starts
	out 0x61, al
.poll:
	in al, 0x61
	test al, 0x20		; channel 2's OUT: high at terminal count
	jz .poll
	loop .again
	mov si, msg
	call com1_puts
	xor al, al
	out 0xf4, al
	hlt

%include "com1.inc"

msg: db "pit: waited 20 x 50 ms", 10, 0
