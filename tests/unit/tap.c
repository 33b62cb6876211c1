/* tap.c - the TAP producer behind tap.h: numbering, ok/not ok lines, diagnostics. */
#include "tap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static unsigned tap_count;
static unsigned tap_failed;

/* Print "ok N - name" or "not ok N - name" and, on failure, where it was. */
static bool report(bool ok, const char *file, int line, const char *fmt, va_list ap)
{
	tap_count++;
	printf("%sok %u - ", ok ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	putchar('\n');
	if (!ok) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return ok;
}

bool tap_check(bool ok, const char *cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ok, file, line, fmt, ap);
	va_end(ap);
	if (!ok)
		printf("#   condition false: %s\n", cond);
	return ok;
}

bool tap_check_int(long long actual, long long expected, const char *file, int line,
		   const char *fmt, ...)
{
	bool ok = actual == expected;
	va_list ap;

	va_start(ap, fmt);
	report(ok, file, line, fmt, ap);
	va_end(ap);
	if (!ok)
		printf("#   expected: %lld\n#   actual:   %lld\n", expected, actual);
	return ok;
}

bool tap_check_hex(unsigned long long actual, unsigned long long expected, const char *file,
		   int line, const char *fmt, ...)
{
	bool ok = actual == expected;
	va_list ap;

	va_start(ap, fmt);
	report(ok, file, line, fmt, ap);
	va_end(ap);
	if (!ok)
		printf("#   expected: 0x%llx\n#   actual:   0x%llx\n", expected, actual);
	return ok;
}

static const char *errno_name(int e)
{
	switch (e) {
	case 0: return "0";
	case -EINVAL: return "-EINVAL";
	case -ERANGE: return "-ERANGE";
	case -ENOENT: return "-ENOENT";
	case -EEXIST: return "-EEXIST";
	case -ENOSPC: return "-ENOSPC";
	case -EFAULT: return "-EFAULT";
	case -EFBIG: return "-EFBIG";
	case -EPIPE: return "-EPIPE";
	case -EIO: return "-EIO";
	case -EISDIR: return "-EISDIR";
	default: return "?";
	}
}

bool tap_check_err(int actual, int expected, const char *file, int line, const char *fmt, ...)
{
	bool ok = actual == expected;
	va_list ap;

	va_start(ap, fmt);
	report(ok, file, line, fmt, ap);
	va_end(ap);
	if (!ok)
		printf("#   expected: %d (%s)\n#   actual:   %d (%s)\n", expected,
		       errno_name(expected), actual, errno_name(actual));
	return ok;
}

/* Print a string as a diagnostic, one "# " line per line of text. */
static void print_text(const char *label, const char *s)
{
	if (!s) {
		printf("#   %s (null)\n", label);
		return;
	}
	printf("#   %s \"", label);
	for (; *s; s++) {
		if (*s == '\n')
			printf("\\n");
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			printf("\\x%02x", (unsigned char)*s);
		else
			putchar(*s);
	}
	printf("\"\n");
}

bool tap_check_str(const char *actual, const char *expected, const char *file, int line,
		   const char *fmt, ...)
{
	bool ok = actual && expected ? strcmp(actual, expected) == 0 : actual == expected;
	va_list ap;

	va_start(ap, fmt);
	report(ok, file, line, fmt, ap);
	va_end(ap);
	if (!ok) {
		print_text("expected:", expected);
		print_text("actual:  ", actual);
	}
	return ok;
}

bool tap_check_contains(const char *haystack, const char *needle, bool want, const char *file,
			int line, const char *fmt, ...)
{
	bool found = haystack && strstr(haystack, needle);
	bool ok = found == want;
	va_list ap;

	va_start(ap, fmt);
	report(ok, file, line, fmt, ap);
	va_end(ap);
	if (!ok) {
		print_text(want ? "expected to contain:" : "expected not to contain:", needle);
		print_text("actual text:", haystack);
	}
	return ok;
}

bool tap_check_mem(const void *actual, const void *expected, size_t len, const char *file,
		   int line, const char *fmt, ...)
{
	const unsigned char *a = actual, *e = expected;
	size_t i = 0;
	va_list ap;

	while (i < len && a[i] == e[i])
		i++;
	va_start(ap, fmt);
	report(i == len, file, line, fmt, ap);
	va_end(ap);
	if (i < len)
		printf("#   first difference at byte %zu of %zu: expected 0x%02x, actual 0x%02x\n",
		       i, len, e[i], a[i]);
	return i == len;
}

void tap_skip(const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("ok %u - # SKIP ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void tap_suite(const char *name)
{
	printf("# %s\n", name);
}

int tap_done(void)
{
	printf("1..%u\n", tap_count);
	if (tap_failed)
		printf("# %u of %u checks failed\n", tap_failed, tap_count);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}
