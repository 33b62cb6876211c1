; int1c.asm - a boot sector that hooks the user timer tick, INT 1Ch, which
; the BIOS's INT 08h calls after counting each tick: its handler counts
; its calls and chains to the previous one.  The main loop waits in HLT
; for 18 calls (about a second), restores the vector and prints the calls
; and how far the BIOS tick count at 0040:006C moved meanwhile, both in
; hexadecimal: "int 1ch: calls 0012 ticks 0012".  Then CLI; HLT.
	bits 16
	org 0x7c00

CALLS	equ 18

start:
	xor ax, ax
	mov ds, ax
	cli
	mov ax, [0x1c * 4]		; save the old vector, install ours
	mov [old], ax
	mov ax, [0x1c * 4 + 2]
	mov [old + 2], ax
	mov word [0x1c * 4], hook
	mov word [0x1c * 4 + 2], 0
	mov bx, [0x46c]
.wait:
	sti
	hlt
	cli
	cmp word [calls], CALLS
	jb .wait
	mov dx, [0x46c]
	sub dx, bx
	mov ax, [old]			; put the old vector back
	mov [0x1c * 4], ax
	mov ax, [old + 2]
	mov [0x1c * 4 + 2], ax
	mov si, s_calls
	call puts
	mov ax, [calls]
	call puthex16
	mov si, s_ticks
	call puts
	mov ax, dx
	call puthex16
	mov si, newline
	call puts
	cli
	hlt

hook:
	inc word [cs:calls]
	jmp far [cs:old]

puthex16:
	xchg al, ah
	call puthex8
	xchg al, ah
	jmp puthex8

%include "print.inc"

old:		dd 0
calls:		dw 0
s_calls:	db "int 1ch: calls ", 0
s_ticks:	db " ticks ", 0
newline:	db 13, 10, 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
