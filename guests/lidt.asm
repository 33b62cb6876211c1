; lidt.asm - real-mode interrupts through a vector table that lidt moved
; (as x86-bare-metal-examples' lidt2 does), for the stepping path that
; carries out INT itself:
;  - 'int 0' goes through the table at 'table' (IDTR base), not through
;    physical address 0, to int0_handler, which sets bit 0 of BL;
;  - the table's limit covers vectors 0-13 only, so 'int 0x20' raises #GP
;    (vector 13, a fault: the pushed IP is the INT itself) on a CPU that
;    checks the limit; gp_handler sets bit 1 of BL and returns past it;
;  - the guest ends through the exit port with BL: 3 (status 7) when both
;    handlers ran.  Some hosts (kvm_pvm) do not check the limit when the
;    guest runs freely: there 'int 0x20' reaches entry 0x20 of the table,
;    past its limit, which goes to limit_ignored (bit 2): BL 5, status 11.
;  - zero_limit: lidt with limit 0, then 'int 5': no vector can be
;    delivered, a triple fault.  Only reached when a debugger moves pc there.
bits 16

start:
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x8000
	xor bx, bx
	mov word [table + 0 * 4], int0_handler
	mov word [table + 0 * 4 + 2], 0
	mov word [table + 13 * 4], gp_handler
	mov word [table + 13 * 4 + 2], 0
	mov word [table + 0x20 * 4], limit_ignored
	mov word [table + 0x20 * 4 + 2], 0
	lidt [idtr_small]
int0_site:
	int 0
int20_site:
	int 0x20
after_ints:
	mov al, bl
	out 0xf4, al			; 3: status 7
	hlt

int0_handler:
	or bl, 1
	iret

gp_handler:
	or bl, 2
	push bp
	mov bp, sp
	add word [bp + 2], 2		; return past the 2-byte INT
	pop bp
	iret

limit_ignored:
	or bl, 4
	iret

zero_limit:
	lidt [idtr_zero]
zero_int:
	int 5
	hlt

idtr_small:
	dw 13 * 4 + 3
	dd table
idtr_zero:
	dw 0
	dd 0

align 4
table:
	times 0x21 * 4 db 0
