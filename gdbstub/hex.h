/*
 * hex.h - bounded hex codecs for the remote protocol.  Every decoder checks
 * its input length and digits and never writes past the output size given.
 */
#ifndef GDBSTUB_HEX_H
#define GDBSTUB_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value of one hex digit, or -1. */
int hex_digit(char c);

/* Write 2*len lowercase hex digits for buf into out (no terminator). */
void hex_encode(const uint8_t *buf, size_t len, char *out);

/* Decode exactly 2*len digits from s into out. 0 or -EINVAL. */
int hex_decode(const char *s, size_t slen, uint8_t *out, size_t len);

/*
 * Parse a big-endian hex number (1 to 16 digits) from s, stopping at the
 * first non-digit; *end receives the stop position.  0, -EINVAL when no
 * digit, -ERANGE past 64 bits.
 */
int hex_parse_u64(const char *s, const char *limit, uint64_t *out, const char **end);

#endif
