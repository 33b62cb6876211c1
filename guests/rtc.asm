; rtc.asm - reads the real-time clock through the CMOS ports 0x70/0x71 and
; prints the UTC date and time on COM1 twice: first with status register B
; asking for BCD values, then for binary ones, each read after waiting for
; the update-in-progress bit of status A to clear.  Output:
;   bcd    2026-11-30 10:48:26
;   binary 2026-11-30 10:48:26
bits 16

CMOS_INDEX	equ 0x70
CMOS_DATA	equ 0x71
REG_A		equ 0x0a
REG_B		equ 0x0b
UIP		equ 0x80
B_24H		equ 0x02
B_BINARY	equ 0x04

start:
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x1000		; stack just below the code
	call com1_init

	mov ah, B_24H		; 24-hour BCD
	call set_b
	call read_clock
	mov si, bcd_label
	call com1_puts
	mov bx, put_bcd
	call print_clock

	mov ah, B_24H | B_BINARY
	call set_b
	call read_clock
	mov si, binary_label
	call com1_puts
	mov bx, put_binary
	call print_clock
	hlt

; set_b: status register B = AH (NMI stays unmasked).
set_b:
	mov al, REG_B
	out CMOS_INDEX, al
	mov al, ah
	out CMOS_DATA, al
	ret

; cmos_read: AL = CMOS register AL.
cmos_read:
	out CMOS_INDEX, al
	in al, CMOS_DATA
	ret

; read_clock: wait while an update is in progress, then copy the century,
; year, month, day, hours, minutes and seconds registers to clock[].
read_clock:
.wait:
	mov al, REG_A
	call cmos_read
	test al, UIP
	jnz .wait
	mov si, registers
	mov di, clock
.next:
	mov al, [si]
	call cmos_read
	mov [di], al
	inc si
	inc di
	cmp si, registers + 7
	jne .next
	ret

; print_clock: clock[] as "CCYY-MM-DD HH:MM:SS\n", each value printed by
; the routine at BX (put_bcd or put_binary).
print_clock:
	mov si, clock
	mov di, separators
.next:
	mov al, [si]
	call bx
	mov al, [di]
	test al, al
	jz .last
	call com1_putc
.last:
	inc si
	inc di
	cmp si, clock + 7
	jne .next
	mov al, 10
	call com1_putc
	ret

; put_bcd: print the two BCD digits of AL.
put_bcd:
	push ax
	shr al, 4
	add al, '0'
	call com1_putc
	pop ax
	and al, 0x0f
	add al, '0'
	call com1_putc
	ret

; put_binary: print AL (0-99) as two decimal digits.
put_binary:
	xor ah, ah
	mov dl, 10
	div dl			; AL = tens, AH = units
	add al, '0'
	call com1_putc
	mov al, ah
	add al, '0'
	call com1_putc
	ret

%include "com1.inc"

registers:	db 0x32, 0x09, 0x08, 0x07, 0x04, 0x02, 0x00
separators:	db 0, '-', '-', ' ', ':', ':', 0
bcd_label:	db "bcd    ", 0
binary_label:	db "binary ", 0
clock:		times 7 db 0
