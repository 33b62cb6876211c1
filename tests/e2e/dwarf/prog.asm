; prog.asm - an assembly test program for tests/e2e/test_dwarf_lines.sh,
; assembled as elf32 and elf64 with -g -F dwarf, with an %include'd file.
	section .text
	global _start
_start:
	mov eax, 3
	mov ecx, 5
	call helper
	add eax, ecx
%include "helper.inc"
again:
	hlt
	jmp again
