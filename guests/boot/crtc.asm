; crtc.asm - a boot sector that drives the text cursor through the VGA's
; CRT controller ports, as kernels and tutorials do: it moves the cursor to
; row 2, column 5 with registers 0Eh/0Fh (index 0x3D4, data 0x3D5) and
; prints "X" there by INT 10h teletype (so the BIOS sees the ports'
; cursor); moves the cursor with INT 10h AH=02h to row 4, column 10 and
; prints the location the ports then read (4 * 80 + 10 = 0x014a); waits
; for the start of a vertical retrace at 0x3DA (bit 3) twice, and says so.
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	mov bx, 2 * 80 + 5	; row 2, column 5
	mov dx, 0x3d4
	mov al, 0x0e
	mov ah, bh
	out dx, ax		; index 0Eh, then the high byte
	mov al, 0x0f
	mov ah, bl
	out dx, ax		; index 0Fh, then the low byte
	mov ax, 0x0e58		; 'X' at the cursor
	xor bx, bx
	int 0x10

	mov ah, 0x02		; cursor to row 4, column 10
	xor bh, bh
	mov dx, 0x040a
	int 0x10
	mov dx, 0x3d4
	mov al, 0x0e
	out dx, al
	inc dx
	in al, dx
	mov ch, al
	dec dx
	mov al, 0x0f
	out dx, al
	inc dx
	in al, dx
	mov cl, al
	mov si, loc
	call puts
	mov al, ch
	call puthex8
	mov al, cl
	call puthex8

	mov cx, 2
	mov dx, 0x3da
.frame:
.out_of_retrace:
	in al, dx
	test al, 8
	jnz .out_of_retrace
.in_retrace:
	in al, dx
	test al, 8
	jz .in_retrace
	loop .frame
	mov si, synced
	call puts
	cli
	hlt

%include "print.inc"

loc:	db "cursor ", 0
synced:	db " retrace", 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
