; stall.asm - a boot sector for --display's tests: it shows READY, reads
; one key with INT 16h (so the keyboard takes stdin), shows STALLED and
; then spins with interrupts on, never reading the keyboard again: the
; BIOS's buffer fills, then gdbvm's queue, and the quit key must still be
; seen.
	bits 16
	org 0x7c00

start:
	mov ax, 0xb800
	mov es, ax
	mov si, ready
	xor di, di
	call show
	xor ah, ah
	int 0x16		; one key
	mov si, stalled
	mov di, 160
	call show
	sti
.spin:
	jmp .spin

; show: the NUL-terminated string at DS:SI at ES:DI, light grey.
show:
	mov ah, 0x07
.next:
	lodsb
	test al, al
	jz .done
	stosw
	jmp .next
.done:
	ret

ready:	db "READY", 0
stalled: db "STALLED", 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
