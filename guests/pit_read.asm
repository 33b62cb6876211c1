; pit_read.asm - reads the 8254's channel 0 the way boot-sector games do for
; randomness (in al, 0x40 with no programming: the count a PC BIOS leaves
; running), then programs it (mode 2, count 0) and reads latched counts.
; Prints "pit: changes" when the plain reads differ and "pit: counts down"
; when successive latched counts fall (allowing the wrap from 0 to 65535);
; exits with status 1 (BL=0) on success, 3 (BL=1) on a failure.
bits 16

start:
	call com1_init
	; 1. Unprogrammed reads: the low byte (lo/hi access alternates bytes,
	; so read both and keep the low one) must not stay the same.
	in al, 0x40
	mov dl, al
	in al, 0x40
	mov cx, 1000
.plain:
	in al, 0x40
	mov bl, al
	in al, 0x40
	cmp bl, dl
	jne .changed
	loop .plain
	jmp fail
.changed:
	mov si, msg_changes
	call com1_puts
	; 2. Mode 2, lo/hi, count 0 (65536): latched counts fall.
	mov al, 0x34
	out 0x43, al
	xor al, al
	out 0x40, al
	out 0x40, al
	call latch0
	mov di, ax
	mov cx, 200
	xor bp, bp		; how many reads fell
.latched:
	call latch0
	mov dx, di
	sub dx, ax		; how far it fell since the last read (mod 65536)
	mov di, ax
	jz .same
	cmp dx, 0x8000		; a rise would show as a huge fall
	jae fail
	inc bp
.same:
	loop .latched
	cmp bp, 100		; most reads see it fall
	jb fail
	mov si, msg_down
	call com1_puts
	xor bl, bl
	jmp exit

fail:
	mov si, msg_fail
	call com1_puts
	mov bl, 1
exit:
	mov al, bl
	out 0xf4, al
	hlt

; latch0: AX = channel 0's count, latched.
latch0:
	xor al, al
	out 0x43, al
	in al, 0x40
	mov ah, al
	in al, 0x40
	xchg al, ah
	ret

%include "com1.inc"

msg_changes: db "pit: changes", 10, 0
msg_down: db "pit: counts down", 10, 0
msg_fail: db "pit: FAILED", 10, 0
