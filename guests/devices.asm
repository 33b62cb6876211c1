; devices.asm - exercises what the VMM does for hardware that is not there:
; an unknown I/O port (read twice: all ones; written: ignored), memory above
; the end of RAM (run with -m 64K: reads all ones, writes dropped), and the
; COM1 loopback probe and scratch register that UART drivers rely on.
; Prints one letter per check, 'P' for pass and 'F' for fail, then a newline.
bits 16

start:
	xor ax, ax
	mov ds, ax
	mov ss, ax
	mov sp, 0x1000
	; 1: unknown port 0x80 reads as 0xff, twice (reported once)
	in al, 0x80
	call check_ff
	in al, 0x80
	call check_ff
	out 0x80, al
	; 2: a 16-bit read of an unknown port reads 0xffff
	mov dx, 0x1234
	in ax, dx
	cmp ax, 0xffff
	call pass_if_equal
	; 3: memory past the end of a 64K RAM: reads 0xff, a write is dropped
	mov ax, 0x2000
	mov es, ax
	mov byte [es:0], 0x55
	mov al, [es:0]
	call check_ff
	; 4: COM1 scratch register keeps its value
	mov dx, 0x3f8 + 7
	mov al, 0x5a
	out dx, al
	in al, dx
	cmp al, 0x5a
	call pass_if_equal
	; 5: COM1 loopback: MCR bit 4, a byte sent comes back on RBR
	mov dx, 0x3f8 + 4
	mov al, 0x1e
	out dx, al
	mov dx, 0x3f8
	mov al, 0xae
	out dx, al
	in al, dx
	mov bl, al
	mov dx, 0x3f8 + 4
	mov al, 0x0f
	out dx, al		; loopback off again before printing the result
	cmp bl, 0xae
	call pass_if_equal
	; 6: the divisor latch keeps its value
	mov dx, 0x3f8 + 3
	mov al, 0x80
	out dx, al
	mov dx, 0x3f8
	mov al, 3
	out dx, al
	in al, dx
	mov bl, al
	mov dx, 0x3f8 + 3
	mov al, 0x03
	out dx, al		; DLAB off again before printing the result
	cmp bl, 3
	call pass_if_equal
	mov al, 10
	call putc
	hlt

check_ff:
	cmp al, 0xff
pass_if_equal:
	mov al, 'P'
	je putc
	mov al, 'F'
putc:
	push dx
	mov dx, 0x3f8
	out dx, al
	pop dx
	ret
