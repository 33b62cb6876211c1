/*
 * console.c - output for the Multiboot kernels (guests/mboot/): every
 * character goes to COM1 and to the VGA text screen at 0xb8000 (white on
 * blue), with numbers in hexadecimal or decimal.
 */
#include "console.h"

#define COM1 0x3f8
#define COM1_LSR (COM1 + 5)
#define LSR_THR_EMPTY 0x20

static volatile uint16_t *const vga = (volatile uint16_t *)0xb8000;
static unsigned vga_pos;

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

void putc_both(char c)
{
	while (!(inb(COM1_LSR) & LSR_THR_EMPTY))
		;
	outb(COM1, (uint8_t)c);
	if (c == '\n')
		vga_pos = (vga_pos / 80 + 1) * 80;
	else if (vga_pos < 80 * 25)
		vga[vga_pos++] = (uint16_t)(0x1f00 | (uint8_t)c);	/* white on blue */
}

void puts_both(const char *s)
{
	while (*s)
		putc_both(*s++);
}

void put_hex(uint64_t v)
{
	char buf[17];
	int i = 16;

	buf[i] = '\0';
	do {
		buf[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	puts_both("0x");
	puts_both(buf + i);
}

void put_dec(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_both(buf + i);
}

int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

void clear_screen(void)
{
	for (unsigned i = 0; i < 80 * 25; i++)
		vga[i] = 0x0720;
	vga_pos = 0;
}
