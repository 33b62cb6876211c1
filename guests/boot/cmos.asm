; cmos.asm - a boot sector that prints what the CMOS RAM says about the
; machine (ports 0x70/0x71), each field in hexadecimal: the floppy types
; (0x10), the equipment byte (0x14), base memory in K (0x15-0x16),
; extended memory in K (0x17-0x18 and 0x30-0x31), memory above 16M in 64K
; units (0x34-0x35), then the checksum stored at 0x2E-0x2F and the one it
; computes over 0x10-0x2D.
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	mov si, fields
.field:
	mov al, [si]		; the register, or 0 at the end
	test al, al
	jz .checksum
	push si
	mov si, [si + 1]	; the label
	call puts
	pop si
	mov al, [si + 3]	; the high byte's register, or 0 for one byte
	test al, al
	jz .low
	call cmos_read
	call puthex8
.low:
	mov al, [si]
	call cmos_read
	call puthex8
	add si, 4
	jmp .field

.checksum:
	mov si, sum_label
	call puts
	mov al, 0x2e
	call cmos_read
	call puthex8
	mov al, 0x2f
	call cmos_read
	call puthex8
	mov si, computed_label
	call puts
	xor dx, dx
	mov cl, 0x10
.add:
	mov al, cl
	call cmos_read
	xor ah, ah
	add dx, ax
	inc cl
	cmp cl, 0x2e
	jne .add
	mov al, dh
	call puthex8
	mov al, dl
	call puthex8
	mov si, newline
	call puts
	cli			; interrupts off: the HLT ends the guest
	hlt

; cmos_read: AL = CMOS register AL.
cmos_read:
	out 0x70, al
	in al, 0x71
	ret

%include "print.inc"

; register, label, high byte's register (0: a one-byte field)
fields:
	db 0x10
	dw floppy_label
	db 0
	db 0x14
	dw equip_label
	db 0
	db 0x15
	dw base_label
	db 0x16
	db 0x17
	dw ext_label
	db 0x18
	db 0x30
	dw ext2_label
	db 0x31
	db 0x34
	dw high_label
	db 0x35
	db 0

floppy_label:	db "floppy ", 0
equip_label:	db " equipment ", 0
base_label:	db " base ", 0
ext_label:	db " ext ", 0
ext2_label:	db " ext2 ", 0
high_label:	db " high ", 0
sum_label:	db 13, 10, "checksum ", 0
computed_label:	db " computed ", 0
newline:	db 13, 10, 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
