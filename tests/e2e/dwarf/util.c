/* util.c - a second compilation unit. */
#include "util.h"

int twice(int x)
{
	int y = x;

	y += x;
	return clamp(y, -100000, 100000);
}
