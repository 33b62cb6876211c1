; covloop.asm - the coverage run-time guest (figure 13, bench/bench.py):
; a loop body of 50 source lines (48 below, then dec and jnz), run ECX
; times (ECX >= 1, set by gdbvm --reg ecx=N), then HLT: 51 lines with code.
; Under --coverage each line traps once however often it runs; under
; --coverage-counts every run of a line traps, 50 * ECX + 1 in all.
; Built as an ELF with its DWARF line table (nasm -g -F dwarf) and linked
; at 0x1000 by guests/guest.ld.
bits 16

again:
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	add bx, 3
	inc ax
	dec ecx
	jnz again
	hlt
