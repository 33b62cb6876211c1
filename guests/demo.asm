; demo.asm - the guest built into gdbvm (vmm/demo.c), from LWN's "Using the
; KVM API": the VMM starts it with AL = BL = 2; it prints AL + BL as a digit
; and a newline on COM1, then halts.  Assembled only so a test can check the
; built-in bytes; run it with: ./gdbvm --reg al=2 --reg bl=2 guests/demo.bin
bits 16

	mov dx, 0x3f8		; COM1 transmit register
	add al, bl
	add al, '0'		; one decimal digit (the sum must stay below 10)
	out dx, al
	mov al, 10		; newline
	out dx, al
	hlt
