; loader.asm - a two-stage boot loader.  Stage 1 (the boot sector) reads
; stage 2 from sector 2 (CHS 0/0/2) with INT 13h AH=02h and jumps to it;
; stage 2 checks the EDD extensions (AH=41h) and reads stage 3 (LBA 2-3)
; with AH=42h; stage 3 writes sector 4 with AH=43h, reads it back with
; AH=02h, and prints the drive geometry from AH=08h.
	bits 16
	org 0x7c00

stage1:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov [drive], dl
	mov si, msg1
	call puts
	mov ax, 0x0201		; read 1 sector
	mov cx, 0x0002		; cylinder 0, sector 2
	xor dh, dh		; head 0
	mov dl, [drive]
	mov bx, 0x7e00
	int 0x13
	jc fail
	cmp word [0x7e00], STAGE2_MAGIC
	jne fail
	jmp 0x0000:0x7e02

fail:
	mov si, msg_fail
	call puts
	mov al, ah
	call puthex8
	mov si, newline
	call puts
	cli			; interrupts off: the HLT ends the guest
	hlt

%include "print.inc"

msg1:		db "stage 1", 13, 10, 0
msg_fail:	db "disk error ", 0
newline:	db 13, 10, 0
drive:		db 0

	times 510 - ($ - $$) db 0
	dw 0xaa55

; ---- sector 2 (LBA 1): stage 2, at 0x7e00 ----
STAGE2_MAGIC equ 0x5332
	dw STAGE2_MAGIC
stage2:
	mov si, msg2
	call puts
	mov ah, 0x41
	mov bx, 0x55aa
	mov dl, [drive]
	int 0x13
	jc fail
	cmp bx, 0xaa55
	jne fail
	mov si, dap
	mov ah, 0x42
	mov dl, [drive]
	int 0x13
	jc fail
	cmp word [0x8000], STAGE3_MAGIC
	jne fail
	jmp 0x0000:0x8002

msg2:		db "stage 2: read with CHS", 13, 10, 0
dap:		db 16, 0
		dw 2			; sectors
		dw 0x8000, 0x0000	; buffer offset, segment
		dq 2			; LBA

	times 1024 - ($ - $$) db 0

; ---- sectors 3-4 (LBA 2-3): stage 3, at 0x8000 ----
STAGE3_MAGIC equ 0x5333
	dw STAGE3_MAGIC
stage3:
	mov si, msg3
	call puts
	; write a pattern to LBA 4, then read it back with CHS 0/0/5
	mov si, wdap
	mov ah, 0x43
	xor al, al
	mov dl, [drive]
	int 0x13
	jc fail
	mov ax, 0x0201
	mov cx, 0x0005
	xor dh, dh
	mov dl, [drive]
	mov bx, 0x9000
	int 0x13
	jc fail
	mov si, pattern
	mov di, 0x9000
	mov cx, pattern_len
	repe cmpsb
	jne fail
	mov si, msg_written
	call puts
	; geometry: last cylinder, heads, sectors per track
	mov ah, 0x08
	mov dl, [drive]
	int 0x13
	jc fail
	mov si, msg_geo
	call puts
	mov al, dh
	call puthex8
	mov al, ' '
	mov ah, 0x0e
	int 0x10
	mov al, cl
	and al, 0x3f
	call puthex8
	mov si, newline
	call puts
	cli			; interrupts off: the HLT ends the guest
	hlt

msg3:		db "stage 3: read with LBA", 13, 10, 0
msg_written:	db "sector written and read back", 13, 10, 0
msg_geo:	db "last head, sectors per track: ", 0
wdap:		db 16, 0
		dw 1
		dw pattern, 0x0000
		dq 4
pattern:	db "written by stage 3"
pattern_len	equ $ - pattern

	times 2048 - ($ - $$) db 0
; ---- sector 5 (LBA 4): overwritten by stage 3 ----
	db "original sector 5"
	times 2560 - ($ - $$) db 0
