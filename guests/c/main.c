/*
 * main.c - a real-mode guest written in C: it measures a few rectangles
 * and prints the results on COM1.  Built with gcc -m16 (see the Makefile)
 * and started by start.asm; the e2e tests debug it at source level
 * (breakpoints on functions and lines, locals, structs, bt, finish), so
 * keep the lines marked "test:" where the tests can find them.
 */
#include "io.h"

struct point {
	int x, y;
};

struct rect {
	struct point min, max;
	const char *name;
};

static struct rect shapes[] = {
	{ { 0, 0 }, { 4, 3 }, "card" },
	{ { 2, 3 }, { 7, 11 }, "box" },
	{ { -5, -5 }, { 5, 5 }, "square" },
};

unsigned long total_area;	/* in .bss: zero at start */

static void com1_putc(char c)
{
	while (!(inb(COM1_LSR) & LSR_THR_EMPTY))
		;
	outb(COM1, (uint8_t)c);
}

static void com1_puts(const char *s)
{
	while (*s)
		com1_putc(*s++);
}

static void com1_put_uint(unsigned long v)
{
	char digits[12];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		com1_putc(digits[--n]);
}

static int width(const struct rect *r)
{
	return r->max.x - r->min.x;
}

static int area(const struct rect *r)
{
	int w = width(r);		/* test: area first line */
	int h = r->max.y - r->min.y;

	return w * h;			/* test: area return */
}

int main(void)
{
	unsigned count = sizeof(shapes) / sizeof(shapes[0]);

	com1_puts("C guest: measuring rectangles\n");
	for (unsigned i = 0; i < count; i++) {
		int a = area(&shapes[i]);	/* test: loop call */

		total_area += (unsigned long)a;
		com1_puts(shapes[i].name);
		com1_puts(": ");
		com1_put_uint((unsigned long)a);
		com1_putc('\n');
	}
	com1_puts("total: ");
	com1_put_uint(total_area);
	com1_putc('\n');
	return 0;
}
