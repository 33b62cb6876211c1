; kbdhook.asm - hooks INT 09h the way TSRs and games do: its own handler
; reads the scan code from port 60h, counts it, and chains to the BIOS's
; handler (which reads port 60h again and still gets the byte, as on a
; PC).  Then reads keys with INT 16h AH=10h until Esc, prints them, and
; prints how many make codes (key presses) its handler saw.
	bits 16
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	cli
	mov ax, [9 * 4]
	mov [old9], ax
	mov ax, [9 * 4 + 2]
	mov [old9 + 2], ax
	mov word [9 * 4], hook
	mov [9 * 4 + 2], cs
	sti
.read:
	mov ah, 0x10
	int 0x16
	call show
	cmp ax, 0x011b		; Esc
	jne .read
	call newline
	mov si, seen
	call puts
	mov ax, [count]
	call show
	call newline
	cli			; interrupts off: the HLT ends the guest
	hlt

hook:
	push ax
	in al, 0x60
	test al, 0x80		; break codes and the E0h prefix: not counted
	jnz .chain
	inc word [cs:count]
.chain:
	pop ax
	jmp far [cs:old9]

; show: AX as four hexadecimal digits and a blank.
show:
	push ax
	xchg al, ah
	call puthex8
	xchg al, ah
	call puthex8
	mov ax, 0x0e20
	int 0x10
	pop ax
	ret

newline:
	push ax
	mov ax, 0x0e0d
	int 0x10
	mov ax, 0x0e0a
	int 0x10
	pop ax
	ret

%include "print.inc"

old9:	dd 0
count:	dw 0
seen:	db "key presses seen by the hook: ", 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
