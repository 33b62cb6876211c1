/*
 * print.c - printf on COM1 for the 64-bit C guest (see print.h): numbers
 * are converted with 64-bit division, the way a kernel's own printk does
 * it, with no libc behind it.
 */
#include "io.h"
#include "print.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

static int sent;

static void putc_com1(char c)
{
	while (!(inb(COM1_LSR) & LSR_THR_EMPTY))
		;
	outb(COM1, (uint8_t)c);
	sent++;
}

static void put_padded(const char *s, int len, int width, char pad)
{
	for (; width > len; width--)
		putc_com1(pad);
	while (len-- > 0)
		putc_com1(*s++);
}

/* v in base 10 or 16, negative when asked, into a field of width. */
static void put_number(uint64_t v, unsigned base, bool negative, int width, char pad)
{
	char digits[24];
	int n = sizeof(digits);

	do {
		digits[--n] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative) {
		if (pad == '0') {	/* the sign goes before the zeros */
			putc_com1('-');
			width--;
		} else {
			digits[--n] = '-';
		}
	}
	put_padded(digits + n, (int)sizeof(digits) - n, width, pad);
}

int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sent = 0;
	for (; *fmt; fmt++) {
		int width = 0, longs = 0;
		char pad = ' ';
		int64_t sv;
		uint64_t uv;
		const char *s;

		if (*fmt != '%') {
			putc_com1(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 'c':
			putc_com1((char)va_arg(ap, int));
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			uv = 0;
			while (s[uv])
				uv++;
			put_padded(s, (int)uv, width, ' ');
			break;
		case 'd':
		case 'i':
			sv = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
			/* -(INT64_MIN) does not fit: negate as unsigned */
			put_number(sv < 0 ? 0 - (uint64_t)sv : (uint64_t)sv, 10, sv < 0, width, pad);
			break;
		case 'u':
		case 'x':
			uv = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			put_number(uv, *fmt == 'u' ? 10 : 16, false, width, pad);
			break;
		case 'p':
			putc_com1('0');
			putc_com1('x');
			put_number((uint64_t)(uintptr_t)va_arg(ap, void *), 16, false, width, pad);
			break;
		case '%':
			putc_com1('%');
			break;
		default:	/* unknown: show it as written */
			putc_com1('%');
			if (!*fmt)
				fmt--;
			else
				putc_com1(*fmt);
			break;
		}
	}
	va_end(ap);
	return sent;
}
