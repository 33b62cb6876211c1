; ticks.asm - a boot sector that sleeps on the BIOS tick count, like
; cirosantilli's bios_sleep: it prints a counter (0000, 0001, 0002), and
; between two prints waits in HLT until the count at 0040:006C (kept by
; the BIOS's INT 08h, 18.2 Hz) has advanced 9 times (about half a
; second).  Then CLI; HLT.
	bits 16
	org 0x7c00

NTICKS	equ 9

start:
	xor ax, ax
	mov ds, ax
	xor di, di			; the counter
.print:
	mov ax, di
	xchg al, ah
	call puthex8
	xchg al, ah
	call puthex8
	mov si, newline
	call puts
	cmp di, 2
	je .end
	mov bx, [0x46c]
.wait:
	sti
	hlt
	mov ax, [0x46c]
	sub ax, bx
	cmp ax, NTICKS
	jb .wait
	inc di
	jmp .print
.end:
	cli
	hlt

%include "print.inc"

newline:	db 13, 10, 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
