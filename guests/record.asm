; record.asm - a guest for the recorder (reverse debugging, vmm/record.h):
; a loop that does, on each of its 500 passes, a word store, push and pop,
; a call and ret, an `in` from COM1's line status register, and a 512-byte
; rep movsb into a buffer whose contents change every pass; then a 64 KiB
; rep movsw of the first 64 KiB (code, stack, buffers) to segment 0x3000,
; then hlt.  Every write goes to
; memory the guest owns, so undoing the whole run must give back zeros.
bits 16

PASSES equ 500
VAR    equ 0x4000
SRC    equ 0x5000
DST    equ 0x6000

start:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x9000
	mov cx, PASSES
pass:
	mov [VAR], cx			; word store
	push cx
	call fill			; writes SRC[0..3] from CX
	mov dx, 0x3fd
	in al, dx			; COM1 line status
	mov si, SRC
	mov di, DST
	mov cx, 512
	cld
	rep movsb
	pop cx
	loop pass
	; one 64 KiB copy between segments
	xor ax, ax
	mov ds, ax
	mov ax, 0x3000
	mov es, ax
	xor si, si
	xor di, di
	mov cx, 0x8000
	rep movsw
	hlt

fill:
	mov [SRC], cx
	mov [SRC + 2], cx
	inc byte [SRC + 511]
	ret
