; pit_fast.asm - IRQ 0 as fast as the PIT can be programmed: channel 0 as
; a rate generator with the count in --reg cx (default, and at least, 2:
; 596591 Hz) and an IRQ 0 handler that counts the interrupts of one second
; of the RTC's clock (from one change of its seconds register to the next,
; looked at every 16th interrupt), then masks IRQ 0.  The handler does it
; all because at such rates nothing else may get to run: when a handler
; takes longer than the timer's period the next interrupt is due at its
; IRET, as on a PC, and requests that come meanwhile are lost (the PIC
; latches one per input).  The main loop waits in HLT.  Prints "pit count
; N: M interrupts in 1 s" on COM1, exits through the exit port with 1.
bits 16

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000
	cmp cx, 2
	jae .count
	mov cx, 2
.count:
	mov [pit_count], cx
	call com1_init
	call pic_remap
	mov word [0x20 * 4], irq0
	mov word [0x20 * 4 + 2], 0
	call rtc_second
	mov [second], al
	mov ax, [pit_count]
	call pit_rate
	mov al, 0xfe			; only IRQ 0
	out 0x21, al
.wait:
	sti
	hlt
	cli
	cmp byte [phase], 2
	jne .wait
	mov si, s_count
	call com1_puts
	movzx eax, word [pit_count]
	call com1_putdec
	mov si, s_colon
	call com1_puts
	mov eax, [ticks]
	sub eax, [start_ticks]
	call com1_putdec
	mov si, s_end
	call com1_puts
	mov al, 1
	out 0xf4, al
	hlt

; phase 0: waiting for a second to begin; 1: counting it; 2: done.
irq0:
	push ax
	mov al, 0x20
	out 0x20, al
	inc dword [cs:ticks]
	test byte [cs:ticks], 0x0f
	jnz .out
	call rtc_second
	cmp al, [cs:second]
	je .out
	mov [cs:second], al
	inc byte [cs:phase]
	cmp byte [cs:phase], 1
	jne .done
	push eax
	mov eax, [cs:ticks]
	mov [cs:start_ticks], eax
	pop eax
	jmp .out
.done:
	mov al, 0xff			; the second is over: no more IRQ 0
	out 0x21, al
.out:
	pop ax
	iret

%include "com1.inc"
%include "num.inc"
%include "pic.inc"

ticks:		dd 0
start_ticks:	dd 0
pit_count:	dw 0
second:		db 0
phase:		db 0
s_count:	db "pit count ", 0
s_colon:	db ": ", 0
s_end:		db " interrupts in 1 s", 10, 0
