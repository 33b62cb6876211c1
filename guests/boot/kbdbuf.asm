; kbdbuf.asm - the BIOS keyboard buffer as a PC keeps it: prints the
; buffer's head and tail (BDA 041Ah, 041Ch), waits with STI; HLT until the
; BIOS's INT 09h (IRQ 1) has put a key there - without calling INT 16h -,
; then reads the keys with INT 16h AH=10h until Esc, printing each key
; code and the head after it, and at the end the shift flags (0417h) and
; whether the buffer is empty.
	bits 16
	org 0x7c00

KBD_FLAGS	equ 0x417
KBD_HEAD	equ 0x41a
KBD_TAIL	equ 0x41c

start:
	xor ax, ax
	mov ds, ax
	mov ax, [KBD_HEAD]
	call show
	mov ax, [KBD_TAIL]
	call show
	call newline
.wait:				; INT 09h fills the buffer; nobody calls INT 16h yet
	sti
	hlt
	mov ax, [KBD_HEAD]
	cmp ax, [KBD_TAIL]
	je .wait
	mov si, filled
	call puts
.read:
	mov ah, 0x10
	int 0x16
	call show
	push ax
	mov ax, [KBD_HEAD]
	call show
	call newline
	pop ax
	cmp ax, 0x011b		; Esc
	jne .read
	mov si, flags
	call puts
	mov al, [KBD_FLAGS]
	call puthex8
	mov ax, [KBD_HEAD]
	cmp ax, [KBD_TAIL]
	jne .done
	mov si, empty
	call puts
.done:
	call newline
	cli			; interrupts off: the HLT ends the guest
	hlt

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

filled:	db "filled by INT 09h", 13, 10, 0
flags:	db "shift flags ", 0
empty:	db ", buffer empty", 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
