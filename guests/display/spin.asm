; spin.asm - a guest that never exits to gdbvm once it runs: interrupts
; off, "SPINNING" in white on green stored at row 10, column 20 of the text
; screen, then a loop that keeps changing the cell at row 10, column 40.
; --display shows it only through its own timer (no BIOS call, no port
; I/O, no HLT comes).  A boot sector (--boot), or a flat GUEST loaded at
; 0x7C00 (-l 0x7c00), as a kernel writing to 0xB8000 would be.
	bits 16
	org 0x7c00

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ax, 0xb800
	mov es, ax
	mov di, (10 * 80 + 20) * 2
	mov si, msg
	mov ah, 0x2f		; white on green
.copy:	lodsb
	test al, al
	jz .spin
	stosw
	jmp .copy
.spin:	inc byte [es:(10 * 80 + 40) * 2]
	jmp .spin

msg:	db "SPINNING", 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
