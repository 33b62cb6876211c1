; int1a.asm - a boot sector that uses the BIOS's time services:
;   INT 1Ah AH=02h and AH=04h: "time HH:MM:SS" and "date CCYY-MM-DD" (BCD,
;   from the RTC);
;   INT 1Ah AH=00h before and after INT 15h AH=86h waits 500000 us:
;   "wait 500000 us: ticks +XXXX" (hex; about 9 at 18.2 Hz);
;   INT 1Ah AH=01h sets the tick count to 00123456h, AH=00h reads it back:
;   "set ticks 00123456 read XXXXXXXX";
;   INT 1Ah AH=03h sets the time to 12:34:56, AH=02h reads it back:
;   "set time 12:34:56 read HH:MM:SS".
; Then CLI; HLT.
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	mov si, s_time
	call puts
	mov ah, 0x02
	int 0x1a
	call print_time
	mov si, s_date
	call puts
	mov ah, 0x04
	int 0x1a
	mov al, ch
	call puthex8
	mov al, cl
	call puthex8
	mov al, '-'
	call putc
	mov al, dh
	call puthex8
	mov al, '-'
	call putc
	mov al, dl
	call puthex8

	mov si, s_wait
	call puts
	xor ah, ah
	int 0x1a
	mov bx, dx
	mov cx, 0x0007			; 500000 = 0007A120h microseconds
	mov dx, 0xa120
	mov ah, 0x86
	int 0x15
	xor ah, ah
	int 0x1a
	sub dx, bx
	mov ax, dx
	call puthex16

	mov si, s_set_ticks
	call puts
	mov cx, 0x0012
	mov dx, 0x3456
	mov ah, 0x01
	int 0x1a
	xor ah, ah
	int 0x1a
	mov ax, cx
	call puthex16
	mov ax, dx
	call puthex16

	mov si, s_set_time
	call puts
	mov cx, 0x1234
	mov dx, 0x5600
	mov ah, 0x03
	int 0x1a
	mov ah, 0x02
	int 0x1a
	call print_time
	mov si, newline
	call puts
	cli
	hlt

; print_time: CH:CL:DH as BCD HH:MM:SS.
print_time:
	mov al, ch
	call puthex8
	mov al, ':'
	call putc
	mov al, cl
	call puthex8
	mov al, ':'
	call putc
	mov al, dh
	jmp puthex8

putc:
	pusha
	mov ah, 0x0e
	mov bx, 0x0007
	int 0x10
	popa
	ret

puthex16:
	xchg al, ah
	call puthex8
	xchg al, ah
	jmp puthex8

%include "print.inc"

s_time:		db "time ", 0
s_date:		db 13, 10, "date ", 0
s_wait:		db 13, 10, "wait 500000 us: ticks +", 0
s_set_ticks:	db 13, 10, "set ticks 00123456 read ", 0
s_set_time:	db 13, 10, "set time 12:34:56 read ", 0
newline:	db 13, 10, 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
