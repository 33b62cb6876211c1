/*
 * parse.h - strict parsers for command-line values.
 *
 * Each parser accepts the whole string or nothing: trailing junk, empty
 * strings, signs and overflow are all rejected with -EINVAL or -ERANGE, so
 * the caller can name the bad value in its message.
 */
#ifndef GDBVM_PARSE_H
#define GDBVM_PARSE_H

#include <stdint.h>

/* "4096", "0x1000": decimal, or hexadecimal with a 0x prefix. */
int parse_u64(const char *s, uint64_t *out);

/* A size with an optional K, M or G suffix (powers of 1024), e.g. "1M". */
int parse_size(const char *s, uint64_t *out);

/* A real-mode address "SEG:OFF", both parts hexadecimal, at most 0xffff. */
int parse_segoff(const char *s, uint16_t *seg, uint16_t *off);

/* A positive number of seconds, fractions allowed ("0.5"), at most 1e6. */
int parse_seconds(const char *s, double *out);

#endif
