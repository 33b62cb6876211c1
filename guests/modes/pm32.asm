; pm32.asm - a flat 32-bit protected-mode guest, linked at 1 MiB (run it
; with --mode protected and at least 2M of RAM).  gdbvm enters it with
; CR0.PE set, paging off and flat 4 GiB segments; it sets up its own
; stack, then:
;   - prints the EAX it was entered with (set it with --reg eax=VALUE)
;     and which entry point it was entered at (_start, or alt_entry
;     through -e),
;   - checks CR0 (PE set, PG clear),
;   - copies its message to a buffer above 1 MiB with 32-bit string
;     instructions, compares the copy and prints the buffer's address and
;     the copy's FNV-1a hash,
;   - detects the port-E9 debug console (reading it gives 0xe9) and
;     prints a line there, between lines on COM1,
; and ends through the exit port with 0x20 plus one bit per failed check
; (0x20 when all passed: exit status 65).
;   bit 0: CR0.PE clear   bit 1: CR0.PG set   bit 2: the copy differs
;   bit 3: no debug console at port 0xe9

global _start, alt_entry, buffer

CR0_PE		equ 1 << 0
CR0_PG		equ 1 << 31
FNV_BASIS	equ 0x811c9dc5
FNV_PRIME	equ 0x01000193

%include "print.inc"

section .text
bits 32
_start:
	mov [entry_eax], eax
	mov dword [entry_name], name_start
	jmp main

alt_entry:			; a second entry point, for -e
	mov [entry_eax], eax
	mov dword [entry_name], name_alt

main:
	mov esp, stack_top
	cld
	xor ebx, ebx		; failed checks
	mov esi, msg_hello
	call puts_com1_32
	mov esi, msg_entry
	call puts_com1_32
	mov esi, [entry_name]
	call puts_com1_32
	mov esi, msg_eax
	call puts_com1_32
	mov eax, [entry_eax]
	mov ecx, 8
	call puthex_com1_32
	call newline

	mov eax, cr0
	test eax, CR0_PE
	jnz .pe_ok
	or ebx, 1
.pe_ok:
	test eax, CR0_PG
	jz .pg_ok
	or ebx, 2
.pg_ok:
	mov esi, msg_pe
	call puts_com1_32
	mov edx, eax
	and eax, CR0_PE
	add al, '0'
	call putc_com1_32
	mov esi, msg_pg
	call puts_com1_32
	mov eax, edx
	shr eax, 31
	add al, '0'
	call putc_com1_32
	call newline

	; The message, whole dwords of it, to the buffer; then compare.
	mov esi, msg_hello
	mov edi, buffer
	mov ecx, MSG_DWORDS
	rep movsd
	mov esi, msg_hello
	mov edi, buffer
	mov ecx, MSG_DWORDS * 4
	repe cmpsb
	je .copy_ok
	or ebx, 4
.copy_ok:
	mov esi, msg_copied
	call puts_com1_32
	mov eax, buffer
	mov ecx, 8
	call puthex_com1_32
	mov esi, msg_fnv
	call puts_com1_32
	mov esi, buffer		; FNV-1a over the copy
	mov ecx, MSG_DWORDS * 4
	mov eax, FNV_BASIS
.fnv:
	movzx edx, byte [esi]
	xor eax, edx
	imul eax, eax, FNV_PRIME
	inc esi
	loop .fnv
	mov ecx, 8
	call puthex_com1_32
	call newline

	in al, DEBUGCON
	cmp al, 0xe9
	je .e9_found
	or ebx, 8
	mov esi, msg_no_e9
	call puts_com1_32
	jmp .done
.e9_found:
	mov esi, msg_e9
	call puts_e9_32
	mov esi, msg_after_e9
	call puts_com1_32
.done:
	mov eax, ebx
	or al, 0x20
	out EXIT_PORT, al
	hlt

newline:
	push eax
	mov al, 10
	call putc_com1_32
	pop eax
	ret

PRINT_ROUTINES 32

section .data
align 4
msg_hello:	db "pm32: 32-bit protected mode, flat segments, no paging", 10, 0
		align 4, db 0
MSG_DWORDS	equ ($ - msg_hello) / 4
msg_entry:	db "entered at ", 0
name_start:	db "_start", 0
name_alt:	db "alt_entry", 0
msg_eax:	db " with eax=", 0
msg_pe:		db "CR0.PE=", 0
msg_pg:		db " CR0.PG=", 0
msg_copied:	db "copied the first line to ", 0
msg_fnv:	db ", FNV-1a ", 0
msg_e9:		db "pm32: this line went to port 0xe9", 10, 0
msg_after_e9:	db "pm32: back on COM1", 10, 0
msg_no_e9:	db "pm32: no debug console at port 0xe9", 10, 0

section .bss
alignb 4
entry_eax:	resd 1
entry_name:	resd 1
alignb 4096
buffer:		resb 4096
		resb 4096
stack_top:
