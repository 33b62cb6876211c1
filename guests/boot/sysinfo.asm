; sysinfo.asm - asks the BIOS about the machine and prints the answers:
; INT 12h (KiB of conventional memory), INT 11h (equipment word), the
; INT 15h E820 memory map, the A20 status (INT 15h AX=2402h) and whether
; INT 1Ah gives a time (AH=02h).
	bits 16
	cpu 386
	org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov si, m_mem
	call puts
	int 0x12
	call puthex16
	mov si, m_equip
	call puts
	int 0x11
	call puthex16
	mov si, newline
	call puts
	; the E820 map, one "base length type" line per entry
	xor ebx, ebx
.e820:
	mov eax, 0xe820
	mov edx, 0x534d4150
	mov ecx, 24
	mov di, entry
	int 0x15
	jc .e820_done
	mov eax, [entry + 4]
	call puthex32
	mov eax, [entry]
	call puthex32
	mov al, ' '
	call putc
	mov eax, [entry + 12]
	call puthex32
	mov eax, [entry + 8]
	call puthex32
	mov al, ' '
	call putc
	mov al, [entry + 16]
	call puthex8
	mov si, newline
	call puts
	test ebx, ebx
	jnz .e820
.e820_done:
	mov si, m_a20
	call puts
	mov ax, 0x2402
	int 0x15
	call puthex8
	mov si, m_time
	call puts
	mov ah, 0x02
	int 0x1a
	mov al, '1'
	jnc .time_ok
	mov al, '0'
.time_ok:
	call putc
	mov si, newline
	call puts
	cli			; interrupts off: the HLT ends the guest
	hlt

putc:
	pusha
	mov ah, 0x0e
	mov bx, 0x0007
	int 0x10
	popa
	ret

puthex32:
	ror eax, 16
	call puthex16
	ror eax, 16
puthex16:
	xchg al, ah
	call puthex8
	xchg al, ah
	jmp puthex8

%include "print.inc"

m_mem:		db "int12 ", 0
m_equip:	db " int11 ", 0
m_a20:		db "a20 ", 0
m_time:		db " time ", 0
newline:	db 13, 10, 0
entry:		times 24 db 0

	times 510 - ($ - $$) db 0
	dw 0xaa55
