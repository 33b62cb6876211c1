; kbd_poll.asm - the crudest keyboard driver, as cirosantilli's
; ps2_keyboard example has it: interrupts off, no status port, just read
; port 60h over and over and print each value that differs from the last
; (in hexadecimal, on COM1).  Ends through the exit port (value 0, status
; 1) after 6 changes.
bits 16

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000
	call com1_init
	in al, 0x60
	mov cl, al			; the value to compare with
	mov ch, 6			; changes to print
.poll:
	in al, 0x60
	cmp al, cl
	je .poll
	mov cl, al
	call com1_puthex8
	mov al, ' '
	call com1_putc
	dec ch
	jnz .poll
	mov al, 10
	call com1_putc
	xor al, al
	out 0xf4, al
	hlt

%include "com1.inc"
%include "num.inc"
