; trace.asm - the guest of reverse debugging's round trip
; (tests/e2e/test_reverse_kvm.sh): every kind of instruction whose effect
; the recorder must undo and redo.  Each of its PASSES passes stores a word,
; pushes and pops, calls and returns, reads the 8254's channel 0 (a count
; that differs from run to run: replay must give the recorded one back),
; copies a block with rep movsb and prints one letter on COM1.  Then a
; newline, and the exit port ends the run with status (EXIT_CODE << 1) | 1.
; The guest writes only between data_lo and data_hi and between stack_lo
; and stack_hi (absolute symbols the test reads from the ELF).
bits 16

PASSES    equ 64
EXIT_CODE equ 0x15
COM1      equ 0x3f8

data_lo   equ 0x4000
counter   equ 0x4000		; word: the pass being run
checksum  equ 0x4002		; word: a running sum of the PIT reads
pit_log   equ 0x4010		; PASSES bytes: the count read on each pass
src       equ 0x4100		; 32 bytes, the first 4 rewritten by mix on each pass
dst       equ 0x4200		; rep movsb copies src here
data_hi   equ 0x4300
stack_lo  equ 0x8f00
stack_hi  equ 0x9000

start:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, stack_hi
	cld
	mov cx, PASSES
pass:
	mov [counter], cx		; word store
	push cx
	push ax
	call mix			; call, ret, stores into src
	in al, 0x40			; PIT channel 0: port input
	mov bx, cx
	mov [pit_log + bx - 1], al
	xor ah, ah
	add [checksum], ax		; read-modify-write
	mov si, src
	mov di, dst
	mov cx, 32
	rep movsb
	pop ax
	pop cx
	mov al, cl
	and al, 15
	add al, 'A'
	mov dx, COM1
	out dx, al			; port output
	loop pass
	mov al, 10
	out dx, al
	mov al, EXIT_CODE
	out 0xf4, al			; the exit port ends the run
	hlt

; mix: src[i] = i + CL for i in 0..3, a byte at a time, with a stack frame.
mix:
	push bp
	mov bp, sp
	push di
	mov di, src
	xor bx, bx
.byte:
	mov al, bl
	add al, cl
	mov [di + bx], al
	inc bx
	cmp bx, 4
	jb .byte
	pop di
	pop bp
	ret
