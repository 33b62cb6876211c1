/*
 * refuse.c - the reason a guest file is refused (see refuse.h).
 */
#include "refuse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

int refuse(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}
