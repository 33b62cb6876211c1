/*
 * parse.c - strict parsers for command-line values (see parse.h).
 */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Parse digits of the given base from s; stop at the first non-digit. */
static int parse_digits(const char *s, unsigned base, uint64_t *out, const char **end)
{
	uint64_t v = 0;
	const char *p = s;

	for (; *p; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = (unsigned)(tolower((unsigned char)*p) - 'a' + 10);
		else
			break;
		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (p == s)
		return -EINVAL;
	*out = v;
	*end = p;
	return 0;
}

static int parse_number_prefix(const char *s, uint64_t *out, const char **end)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_digits(s + 2, 16, out, end);
	return parse_digits(s, 10, out, end);
}

int parse_u64(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;
	int err = parse_number_prefix(s, &v, &end);

	if (err)
		return err;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;
	unsigned shift = 0;
	int err = parse_number_prefix(s, &v, &end);

	if (err)
		return err;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	default:
		return -EINVAL;
	}
	if (*end && end[1] != '\0')
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

static int parse_hex16(const char *s, size_t len, uint16_t *out)
{
	uint64_t v = 0;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	}
	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -EINVAL;
		v = v * 16 + (unsigned)(isdigit((unsigned char)s[i]) ? s[i] - '0'
						: tolower((unsigned char)s[i]) - 'a' + 10);
		if (v > 0xffff)
			return -ERANGE;
	}
	*out = (uint16_t)v;
	return 0;
}

int parse_segoff(const char *s, uint16_t *seg, uint16_t *off)
{
	const char *colon = strchr(s, ':');
	uint16_t sv, ov;
	int err;

	if (!colon)
		return -EINVAL;
	err = parse_hex16(s, (size_t)(colon - s), &sv);
	if (!err)
		err = parse_hex16(colon + 1, strlen(colon + 1), &ov);
	if (err)
		return err;
	*seg = sv;
	*off = ov;
	return 0;
}

int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	/* strtod would also take "inf", "nan", hex floats and leading spaces. */
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != '.')
			return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end)
		return -EINVAL;
	if (errno)
		return -ERANGE;
	if (!(v > 0) || v > 1e6 || !isfinite(v))
		return -ERANGE;
	*out = v;
	return 0;
}
