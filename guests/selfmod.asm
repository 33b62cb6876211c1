; selfmod.asm - code that rewrites itself, for tests of software breakpoints
; (a planted HLT) on bytes the guest overwrites:
;  1. the store at 'patch' rewrites the first byte of 'target' (inc si ->
;     inc di) before it runs;
;  2. the instruction at 'self' rewrites its own first byte as it runs
;     (mov [bx],al -> mov al,7); the loop runs it twice, so the second
;     pass runs the new instruction.
; With the guest's own bytes honoured it prints "7" and ends through the
; exit port with 7 (status 15); a lost guest write gives another status:
; 0x21 (status 67) if 'target' ran the old byte, AL = 0xb0 (status 97) if
; 'self' did.
bits 16

start:
	xor ax, ax
	mov ds, ax
	xor si, si
	xor di, di
patch:
	mov byte [target], 0x47		; 'inc di'
after_patch:
	nop
target:
	inc si				; 0x46, rewritten above into inc di
	cmp si, 0
	jne bad_target
	cmp di, 1
	jne bad_target
	mov bx, self
	mov al, 0xb0			; the opcode of 'mov al, imm8'
	mov cx, 2
self:
	mov [bx], al			; 88 07 -> b0 07: 'mov al, 7' from now on
	loop self
	mov ah, al
	mov dx, 0x3f8
	add al, '0'
	out dx, al			; "7"
	mov al, 10
	out dx, al
	mov al, ah
	out 0xf4, al			; 7: status 15
	hlt
bad_target:
	mov al, 0x21
	out 0xf4, al			; status 67
	hlt
