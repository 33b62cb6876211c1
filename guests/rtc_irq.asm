; rtc_irq.asm - the RTC's periodic interrupt: unmask IRQ 8 on the slave
; 8259A and the cascade (IRQ 2) on the master, set the rate in status
; register A (rate 6: 1024 Hz), enable it with status B's PIE bit, and
; count the IRQ 8 handler's calls (each reads status C and sends EOI to
; both chips) over one second of the RTC's own clock (from one change of
; its seconds register to the next).  Prints "rtc irq8: N in 1 s at 1024
; Hz" on COM1 and exits through the exit port with 1 (status 3).
bits 16

RATE		equ 6			; 32768 >> (6 - 1) = 1024 Hz

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000
	call com1_init
	call pic_remap
	mov word [0x28 * 4], irq8	; vector 28h: IRQ 8 after the remap
	mov word [0x28 * 4 + 2], 0
	mov al, 0xfb			; master: only the cascade
	out 0x21, al
	mov al, 0xfe			; slave: only IRQ 8
	out 0xa1, al
	mov al, 0x8a			; status A (NMI off while we program)
	out 0x70, al
	mov al, 0x20 | RATE		; 32768 Hz time base, the rate
	out 0x71, al
	mov al, 0x8b			; status B: set PIE
	out 0x70, al
	in al, 0x71
	or al, 0x40
	mov ah, al
	mov al, 0x8b
	out 0x70, al
	mov al, ah
	out 0x71, al
	mov al, 0x0c			; status C: clear what is pending
	out 0x70, al
	in al, 0x71
	call rtc_second
	mov bl, al
.first:					; wait for a second to begin
	sti
	hlt
	cli
	call rtc_second
	cmp al, bl
	je .first
	mov bl, al
	mov dword [count], 0
.second:				; count until it ends
	sti
	hlt
	cli
	call rtc_second
	cmp al, bl
	je .second
	mov eax, [count]
	mov si, msg1
	call com1_puts
	call com1_putdec
	mov si, msg2
	call com1_puts
	mov al, 1
	out 0xf4, al
	hlt

irq8:
	push ax
	inc dword [cs:count]
	mov al, 0x0c			; status C: acknowledge the RTC
	out 0x70, al
	in al, 0x71
	mov al, 0x20			; EOI to the slave, then the master
	out 0xa0, al
	out 0x20, al
	pop ax
	iret

%include "com1.inc"
%include "num.inc"
%include "pic.inc"

count:	dd 0
msg1:	db "rtc irq8: ", 0
msg2:	db " in 1 s at 1024 Hz", 10, 0
