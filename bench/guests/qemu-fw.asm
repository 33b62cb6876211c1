; qemu-fw.asm - a 64 KiB firmware image (qemu -bios) that runs a bench guest
; under QEMU the way gdbvm runs it: it copies PAYLOAD to 0000:1000, sets the
; registers gdbvm would set (segments and general registers 0, SP 0; FLAGS
; is 0x0002 from reset; AL = BL = 2 for the demo) and jumps to 0000:1000, so the
; guest runs at the same address with CS = 0 (QEMU's gdbstub reports IP as
; the pc, which is then also the linear address).
;
;   nasm -f bin -D PAYLOAD='"file.bin"' [-D PAYLOAD_LEN=N] [-D DEMO] -o x.rom
;
; PAYLOAD_LEN copies only the first N bytes; DEMO is for the demo guest,
; whose last byte (HLT) is left out and replaced by "out 0xf4, al": QEMU
; does not exit on HLT, and an isa-debug-exit device at 0xf4 (the port
; gdbvm's exit port uses) ends the run, status (10 << 1) | 1 = 21.
; The image sits at f000:0000-ffff; the CPU resets to f000:fff0.
bits 16
org 0

start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	xor ax, ax
	mov es, ax
	mov ss, ax
	mov si, payload
	mov di, 0x1000
	mov cx, payload_end - payload
	rep movsb
	mov ds, ax
	xor esp, esp
	xor esi, esi
	xor edi, edi
	xor ebp, ebp
	xor ecx, ecx
	xor edx, edx
	xor ebx, ebx
	xor eax, eax
%ifdef DEMO
	mov al, 2
	mov bl, 2
%endif
	jmp 0x0000:0x1000

payload:
%ifdef PAYLOAD_LEN
	incbin PAYLOAD, 0, PAYLOAD_LEN
%else
	incbin PAYLOAD
%endif
%ifdef DEMO
	out 0xf4, al
%endif
payload_end:

	times 0xfff0 - ($ - $$) db 0
reset:
	jmp 0xf000:start
	times 0x10000 - ($ - $$) db 0
