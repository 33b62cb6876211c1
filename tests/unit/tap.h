/* tap.h - a tiny TAP (Test Anything Protocol) producer for the unit tests. */
#ifndef GDBVM_TEST_TAP_H
#define GDBVM_TEST_TAP_H

#include <stdbool.h>
#include <stddef.h>

#define TAP_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/*
 * Each CHECK* macro prints "ok N - name" or "not ok N - name" followed by
 * "# " lines saying where and what was expected.  The name is a printf
 * format with its arguments.  Each returns whether the check passed.
 */
#define CHECK(cond, ...) \
	tap_check(!!(cond), #cond, __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_INT(actual, expected, ...) \
	tap_check_int((long long)(actual), (long long)(expected), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_HEX(actual, expected, ...) \
	tap_check_hex((unsigned long long)(actual), (unsigned long long)(expected), \
		      __FILE__, __LINE__, __VA_ARGS__)
/* A return code that is 0 or -errno: the diagnostic names the errno. */
#define CHECK_ERR(actual, expected, ...) \
	tap_check_err((int)(actual), (int)(expected), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_STR(actual, expected, ...) \
	tap_check_str((actual), (expected), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_CONTAINS(haystack, needle, ...) \
	tap_check_contains((haystack), (needle), true, __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_LACKS(haystack, needle, ...) \
	tap_check_contains((haystack), (needle), false, __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_MEM(actual, expected, len, ...) \
	tap_check_mem((actual), (expected), (len), __FILE__, __LINE__, __VA_ARGS__)

bool tap_check(bool ok, const char *cond, const char *file, int line, const char *fmt, ...)
	TAP_PRINTF(5, 6);
bool tap_check_int(long long actual, long long expected, const char *file, int line,
		   const char *fmt, ...) TAP_PRINTF(5, 6);
bool tap_check_hex(unsigned long long actual, unsigned long long expected, const char *file,
		   int line, const char *fmt, ...) TAP_PRINTF(5, 6);
bool tap_check_err(int actual, int expected, const char *file, int line, const char *fmt, ...)
	TAP_PRINTF(5, 6);
bool tap_check_str(const char *actual, const char *expected, const char *file, int line,
		   const char *fmt, ...) TAP_PRINTF(5, 6);
bool tap_check_contains(const char *haystack, const char *needle, bool want, const char *file,
			int line, const char *fmt, ...) TAP_PRINTF(6, 7);
bool tap_check_mem(const void *actual, const void *expected, size_t len, const char *file,
		   int line, const char *fmt, ...) TAP_PRINTF(6, 7);

/* "ok N - # SKIP reason": a test that cannot run here. */
void tap_skip(const char *fmt, ...) TAP_PRINTF(1, 2);

/* A "# name" comment line before each suite's checks. */
void tap_suite(const char *name);

/* Print the plan "1..N"; returns 1 when any check failed, else 0. */
int tap_done(void);

#endif
