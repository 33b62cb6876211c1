; bios.asm - gdbvm's built-in minimal BIOS, the ROM at F000:0000-F000:FFFF.
;
; Real guest code, assembled with nasm -f bin at build time and embedded in
; gdbvm (vmm/bios_rom.S).  There is no power-on self test: gdbvm fills the
; interrupt vector table from the table below and the BIOS data area
; itself, sets the boot registers and starts the vCPU at boot_entry, one
; far jump away from the boot sector at 0000:7C00 (docs/boot.md).
;
; Every service is reached through one path: the vector's entry pushes its
; number and jumps to `service`, which saves every register on the caller's
; stack (the "frame") and hands the VMM the frame's address with one 32-bit
; OUT to the BIOS service port.  The VMM (vmm/bios.c) reads the frame, does
; the call, writes the results back into it (registers, and CF/ZF in the
; FLAGS image IRET restores) and says what to do next in the frame's action
; byte: return, call again, wait for an interrupt and call again (INT 16h
; waiting for a key), or boot.  INT 11h
; and INT 12h are answered here from the BIOS data area.
;
; Frame at SS:SP once `service` has saved everything (offsets in bytes):
;   0 EDI  4 ESI  8 EBP  12 ESP  16 EBX  20 EDX  24 ECX  28 EAX  (PUSHAD)
;  32 DS  34 ES  36 vector  37 action  38 IP  40 CS  42 FLAGS  (INT)

	bits 16
	cpu 386
	org 0

BIOS_PORT	equ 0x4b0	; vmm/bios.h BIOS_PORT
ACTION_RETURN	equ 0
ACTION_AGAIN	equ 1
ACTION_BOOT	equ 2
ACTION_HALT	equ 4
BDA_TICKS	equ 0x6c	; in segment 40h: timer ticks since midnight
BDA_MIDNIGHT	equ 0x70	; set when the tick count passes midnight
TICKS_PER_DAY	equ 0x1800b0	; 18.2065 Hz * 86400 s

; ---- header, read by vmm/bios.c ----
header:
	db "GDBVMROM"		; magic
	dw vectors		; table of (vector, pad, offset) entries
	dw (vectors_end - vectors) / 4
	dw stubs		; 256 default entries, STUB_SIZE bytes each
	dw STUB_SIZE
	dw boot_entry		; where the vCPU starts

; Vectors with their own entry; every other vector goes to its stub in
; `stubs`, which reports the call as unsupported.
vectors:
	db 0x08, 0
	dw int08		; IRQ 0: the timer tick
	db 0x09, 0
	dw int09		; IRQ 1: the keyboard
	db 0x0a, 0
	dw irq_master
	db 0x0b, 0
	dw irq_master
	db 0x0c, 0
	dw irq_master
	db 0x0d, 0
	dw irq_master
	db 0x0e, 0
	dw irq_master
	db 0x0f, 0
	dw irq_master
	db 0x10, 0
	dw int10
	db 0x11, 0
	dw int11
	db 0x12, 0
	dw int12
	db 0x13, 0
	dw int13
	db 0x14, 0
	dw int14
	db 0x15, 0
	dw int15
	db 0x16, 0
	dw int16
	db 0x19, 0
	dw int19
	db 0x1a, 0
	dw int1a
	db 0x1b, 0
	dw just_iret		; Ctrl-Break hook
	db 0x1c, 0
	dw just_iret		; user timer tick hook
	db 0x1e, 0
	dw diskette_params	; a data pointer, not code
	db 0x70, 0
	dw irq_slave
	db 0x71, 0
	dw irq_slave
	db 0x72, 0
	dw irq_slave
	db 0x73, 0
	dw irq_slave
	db 0x74, 0
	dw irq_slave
	db 0x75, 0
	dw irq_slave
	db 0x76, 0
	dw irq_slave
	db 0x77, 0
	dw irq_slave
vectors_end:

; ---- entries that call the VMM ----
%macro ENTRY 1
int%1:
	push word 0x%1
	jmp service
%endmacro

	ENTRY 10		; video
	ENTRY 13		; disk
	ENTRY 14		; serial
	ENTRY 15		; system: memory map, A20, wait
	ENTRY 16		; keyboard
	ENTRY 19		; bootstrap loader
	ENTRY 1a		; time

; The one way into the VMM: save everything, pass the frame, act on the
; answer.
service:
	push es
	push ds
	pushad
	mov bp, sp
.call:
	mov ax, ss
	shl eax, 16
	mov ax, sp
	mov dx, BIOS_PORT
	out dx, eax		; the VMM serves the call here
	cmp byte [bp + 37], ACTION_AGAIN
	je .again
	cmp byte [bp + 37], ACTION_HALT
	je .halt
	cmp byte [bp + 37], ACTION_BOOT
	je boot
	popad
	pop ds
	pop es
	add sp, 2		; the vector number
	iret
; Not done yet: let pending interrupts in (one instruction after STI),
; then ask again.  The IN (of the PIC's mask: no side effect) is an exit
; at which the VMM injects what is pending: some hosts (kvm_pvm) do not
; give the interrupt-window exit within so short a window.
.again:
	sti
	nop
	in al, 0x21
	cli
	jmp .call
; Not done until an interrupt comes (a key, a tick): wait for one.
.halt:
	sti
	hlt
	cli
	jmp .call

; INT 19h: the VMM has copied sector 0 to 0000:7C00 and put the boot
; drive in the frame's DL.
boot:
	mov dl, [bp + 20]
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x7c00
	jmp 0x0000:0x7c00

; The vCPU starts here, with the registers a boot sector expects already
; set by the VMM.  One instruction in the BIOS before the boot sector means
; a debugger attached at the start is not already at 0000:7C00, so
; "break *0x7c00" and "continue" stop on the boot sector's first
; instruction.
boot_entry:
	jmp 0x0000:0x7c00

; INT 09h, IRQ 1: a byte from the keyboard.  Read here from port 60h (so the
; 8042 sees it taken), offered to the keyboard intercept (INT 15h AH=4Fh,
; which may change AL, or take the byte by clearing CF), then handed to the
; VMM in AL through the same `service` path (pushf + near call: an INT
; frame returning here), which translates it into the shift flags and the
; key buffer, once per byte (a handler that read the byte first and chains
; here reads it again, as on a PC); then the end of interrupt.
int09:
	push ax
	in al, 0x60
	mov ah, 0x4f
	stc
	int 0x15
	jnc .eoi		; taken by the intercept
	pushf
	push cs
	call int09_service
.eoi:
	mov al, 0x20
	out 0x20, al
	pop ax
	iret
int09_service:
	push word 0x09
	jmp service

; ---- answered here, from the BIOS data area ----
int11:				; equipment list
	push ds
	push word 0x40
	pop ds
	mov ax, [0x10]
	pop ds
	iret

int12:				; conventional memory size in KiB
	push ds
	push word 0x40
	pop ds
	mov ax, [0x13]
	pop ds
	iret

; INT 08h, IRQ 0 at 18.2 Hz: count the tick in the BIOS data area (wrapping
; at midnight and setting the midnight flag), call the user hook INT 1Ch,
; then end the interrupt at the PIC.
int08:
	push ds
	push eax
	push word 0x40
	pop ds
	mov eax, [BDA_TICKS]
	inc eax
	cmp eax, TICKS_PER_DAY
	jb .store
	xor eax, eax
	mov byte [BDA_MIDNIGHT], 1
.store:
	mov [BDA_TICKS], eax
	int 0x1c
	mov al, 0x20
	out 0x20, al
	pop eax
	pop ds
	iret

irq_slave:
	push ax
	mov al, 0x20
	out 0xa0, al
	jmp irq_eoi
irq_master:
	push ax
irq_eoi:
	mov al, 0x20
	out 0x20, al
	pop ax
just_iret:
	iret

; The 1.44M diskette parameter table INT 1Eh points to.
diskette_params:
	db 0xdf, 0x02, 0x25, 0x02, 0x12, 0x1b, 0xff, 0x54, 0xf6, 0x0f, 0x08

; ---- one default entry per vector: reported as unsupported ----
STUB_SIZE equ 6
stubs:
%assign v 0
%rep 256
	push strict word v
	jmp near service
%assign v v + 1
%endrep

; ---- reset vector, BIOS date and model byte ----
reset:
	int 0x19

	times 0xfff0 - ($ - $$) db 0
	jmp 0xf000:reset
	db "01/01/25"
	db 0
	db 0xfc			; model: AT
	db 0
%if (reset - stubs) != 256 * STUB_SIZE
%error "a stub is not STUB_SIZE bytes"
%endif
