; hello.asm - a boot sector that prints through the BIOS: a greeting, the
; boot drive BIOS passed in DL, and where its stack is (SS:SP).
	bits 16
	org 0x7c00

start:
	mov bx, ss
	xor ax, ax
	mov ds, ax
	mov [drive], dl
	mov [stack_sp], sp
	mov [stack_ss], bx
	mov si, hello
	call puts
	mov al, [drive]
	call puthex8
	mov si, stack_msg
	call puts
	mov ax, [stack_ss]
	xchg al, ah
	call puthex8
	xchg al, ah
	call puthex8
	mov al, ':'
	mov ah, 0x0e
	int 0x10
	mov ax, [stack_sp]
	xchg al, ah
	call puthex8
	xchg al, ah
	call puthex8
	mov si, newline
	call puts
	cli			; interrupts off: the HLT ends the guest
	hlt

%include "print.inc"

hello:		db "Hello from the boot sector! drive ", 0
stack_msg:	db ", stack ", 0
newline:	db 13, 10, 0
drive:		db 0
stack_ss:	dw 0
stack_sp:	dw 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
