; idle.asm - the idle-guest benchmark (figure 8): the PIT's channel 0 at
; 1 kHz (count 1193: 1000.15 Hz) into IRQ 0 (the PIC remapped to 20h), a
; handler that counts, and a main loop that waits in HLT for ECX seconds
; of the RTC's clock (host time: from one change of its seconds register
; to the ECX-th next; ECX >= 1, set by the VMM: gdbvm --reg ecx=N).  Then
; it writes the ticks counted meanwhile in decimal and a newline to the
; debug console (port 0xE9: gdbvm's stdout) and ends with CLI; HLT.
; Loaded and entered at 0000:1000.
bits 16
org 0x1000

start:
	cli
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x7000
	mov word [0x20 * 4], irq0
	mov word [0x20 * 4 + 2], 0
	mov al, 0x11			; ICW1-ICW4: vectors 20h-27h, 28h-2Fh
	out 0x20, al
	out 0xa0, al
	mov al, 0x20
	out 0x21, al
	mov al, 0x28
	out 0xa1, al
	mov al, 0x04
	out 0x21, al
	mov al, 0x02
	out 0xa1, al
	mov al, 0x01
	out 0x21, al
	out 0xa1, al
	mov al, 0xfe			; only IRQ 0
	out 0x21, al
	mov al, 0xff
	out 0xa1, al
	mov al, 0x34			; channel 0, lo/hi, mode 2
	out 0x43, al
	mov ax, 1193
	out 0x40, al
	mov al, ah
	out 0x40, al
	call second
	mov bl, al
.first:					; wait for a second to begin
	sti
	hlt
	cli
	call second
	cmp al, bl
	je .first
	mov bl, al
	mov dword [ticks], 0
.count:					; then ECX more
	sti
	hlt
	cli
	call second
	cmp al, bl
	je .count
	mov bl, al
	dec ecx
	jnz .count
	mov eax, [ticks]
	mov ebx, 10
	xor cx, cx
.div:
	xor edx, edx
	div ebx
	push dx
	inc cx
	test eax, eax
	jnz .div
.out:
	pop ax
	add al, '0'
	out 0xe9, al
	loop .out
	mov al, 10
	out 0xe9, al
	hlt

second:
	xor al, al
	out 0x70, al
	in al, 0x71
	ret

irq0:
	inc dword [cs:ticks]
	push ax
	mov al, 0x20
	out 0x20, al
	pop ax
	iret

ticks:	dd 0
