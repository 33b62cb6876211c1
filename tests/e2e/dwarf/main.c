/* main.c - a test program for tests/e2e/test_dwarf_lines.sh: code in three
 * files, one of them #include'd into the middle of a function. */
#include "util.h"

volatile int sink;

static int mix(int a, int b)
{
	int r = 0;

	for (int i = 0; i < a; i++) {
		if (i & 1)
			r += b;
		else
			r -= i;
	}
	return r;
}

void _start(void)
{
	int total = 0;

#include "body.inc"
	total += mix(7, 3);
	total += twice(total);
	sink = clamp(total, 0, 1000);
	for (;;)
		__asm__ volatile("hlt");
}
