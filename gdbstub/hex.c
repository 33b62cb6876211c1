/*
 * hex.c - hex codecs (see hex.h).
 */
#include "hex.h"

#include <errno.h>

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void hex_encode(const uint8_t *buf, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[buf[i] >> 4];
		out[2 * i + 1] = digits[buf[i] & 15];
	}
}

int hex_decode(const char *s, size_t slen, uint8_t *out, size_t len)
{
	if (slen != 2 * len)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int hex_parse_u64(const char *s, const char *limit, uint64_t *out, const char **end)
{
	uint64_t v = 0;
	const char *p = s;

	for (; p < limit; p++) {
		int d = hex_digit(*p);

		if (d < 0)
			break;
		if (v >> 60)
			return -ERANGE;
		v = v << 4 | (unsigned)d;
	}
	if (p == s)
		return -EINVAL;
	*out = v;
	*end = p;
	return 0;
}
