; rmovsb.asm - the reverse-debugging benchmark's string copy (bench.py, the
; memory figure): one `rep movsb` that copies 64 KiB, every byte changing.
; It first fills 2000:0000..ffff with 0x5a (a32 rep stosb), then copies
; that to 3000:0000..ffff (zeros before) with one a32 rep movsb at 'copy'
; (0000:1002), and stops at 'copied' (a HLT at 0000:1005).  The 32-bit
; address size lets ECX count 65536 bytes in one instruction.
bits 16
org 0x1000

start:
	jmp short main
copy:
	a32 rep movsb
copied:
	hlt
main:
	cld
	mov ax, 0x2000
	mov es, ax
	xor edi, edi
	mov ecx, 0x10000
	mov al, 0x5a
	a32 rep stosb		; the source: 64 KiB of 0x5a
	mov ax, 0x2000
	mov ds, ax
	mov ax, 0x3000
	mov es, ax
	xor esi, esi
	xor edi, edi
	mov ecx, 0x10000
	jmp short copy

%if copy - start != 2 || copied - start != 5
%error "bench.py expects copy at 0000:1002 and copied at 0000:1005"
%endif
