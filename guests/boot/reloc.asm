; reloc.asm - a boot sector that moves itself twice before its real work,
; as MBRs and bootOS do, for tests of breakpoints in relocated code:
;  1. at 0x7C00: copies its 512 bytes to 0x0600 with rep movsw, jumps there;
;  2. at 0x06xx: copies the 0x0600 copy to 0x7A00 with a byte loop, jumps;
;  3. at 0x7Axx: adds 1..10 in a loop and prints "R55" on COM1, then ends
;     through the exit port with 55 (status 111).
; A copied breakpoint that stopped the guest as a HLT would end it with
; status 0 instead (and no "R55").  The addresses the tests use are the
; labels' offsets in the sector plus 0x7C00, 0x0600 or 0x7A00; the listing
; comments give them for the 0x7C00 original.
	bits 16
	org 0x7c00

LOW equ 0x0600
HIGH equ 0x7a00

start:
	xor ax, ax			; 7c00
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x7c00
	cld
	mov si, 0x7c00
	mov di, LOW
	mov cx, 256
	rep movsw			; 7c15: the first copy, 0x7C00 -> 0x0600
	jmp 0:(low_entry - start + LOW)

low_entry:				; runs at 0x06xx only
	mov si, LOW			; 7c1c
	mov di, HIGH
	mov cx, 512
.copy:
	mov al, [si]			; 7c25: the second copy, 0x0600 -> 0x7A00
	mov [di], al
	inc si
	inc di
	loop .copy
	jmp 0:(high_entry - start + HIGH)

high_entry:				; runs at 0x7Axx only
	xor bx, bx			; 7c32
	mov cx, 10
.sum:
	add bx, cx			; 7c37
	loop .sum
	mov dx, 0x3f8
	mov al, 'R'
	out dx, al
	mov ax, bx
	mov cl, 10
	div cl				; AL = tens, AH = units
	add ax, '00'
	out dx, al
	mov al, ah
	out dx, al
	mov al, 10
	out dx, al
	mov al, bl
	out 0xf4, al			; 55: status 111
	cli			; interrupts off: the HLT ends the guest
	hlt

	times 510 - ($ - $$) db 0
	dw 0xaa55
