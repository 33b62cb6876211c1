; pit_gdb.asm - for the test that guest time stops while gdb holds the
; guest: starts channel 2 in mode 0 with a count of 65535 (55 ms), latches
; the count into SI, passes the label 'held' (where gdb stops and holds
; it), latches the count again into DI, puts port 0x61 in BL (bit 5:
; channel 2's OUT, high once the 55 ms ran out) and halts at 'done'.
bits 16

start:
	in al, 0x61
	and al, 0xfc
	out 0x61, al		; gate off while programming
	mov al, 0xb0		; channel 2, lo/hi, mode 0
	out 0x43, al
	mov al, 0xff
	out 0x42, al
	out 0x42, al
	in al, 0x61
	or al, 1
	out 0x61, al		; gate on: 55 ms of guest time start
	call latch2
	mov si, ax
held:
	nop
	call latch2
	mov di, ax
	in al, 0x61
	mov bl, al
done:
	hlt

; latch2: AX = channel 2's count, latched.
latch2:
	mov al, 0x80
	out 0x43, al
	in al, 0x42
	mov ah, al
	in al, 0x42
	xchg al, ah
	ret
