/* util.h - code in a header, inlined where it is used. */
#ifndef UTIL_H
#define UTIL_H

int twice(int x);

static inline int clamp(int v, int lo, int hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}

#endif
