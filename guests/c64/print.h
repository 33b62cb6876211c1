/*
 * print.h - a small printf for the 64-bit C guest, on COM1.
 */
#ifndef C64_PRINT_H
#define C64_PRINT_H

/*
 * Conversions: %c %s %d %i %u %x %p %%, with the length modifiers l and
 * ll, an optional 0 flag and a field width ("%016lx").  Returns the
 * number of bytes sent.
 */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
