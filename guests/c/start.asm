; start.asm - start-up code of the C guest (guests/c/).  gcc -m16 code
; assumes flat segments (CS = DS = ES = SS = 0), a 32-bit ESP whose upper
; half is zero, zeroed .bss, and calls that push 32-bit return addresses.
; This sets all of that up, calls main(), and ends the run with main's
; return value: 0 halts (exit status 0); anything else goes to the exit
; port 0xf4 (exit status (value << 1) | 1).
bits 16
section .text.start

global _start
extern main, __bss_start, __bss_end

_start:
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esp, 0xfff0		; top of the first 64K, below the segment limit
	xor ebp, ebp		; ends gdb's backtrace at _start
	mov di, __bss_start	; .bss is zero in the ELF already, but not
	mov cx, __bss_end	; when the flat binary is loaded
	sub cx, di
	xor al, al
	cld
	rep stosb
	call dword main		; 32-bit return address: gcc -m16 returns with retl
	test eax, eax
	jnz .fail
	hlt
.fail:
	out 0xf4, al
	hlt
