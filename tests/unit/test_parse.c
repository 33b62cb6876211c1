/* test_parse.c - tests the strict value parsers in vmm/parse.c. */
#include "parse.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

struct u64_case {
	const char *s;
	int err;
	uint64_t value;
};

/*
 * untouched: also check that a rejected string leaves *out alone.  parse_u64
 * does not promise that (it stores the digits it read before the junk).
 */
static void check_u64(int (*fn)(const char *, uint64_t *), const char *fname,
		      const struct u64_case *cases, unsigned n, bool untouched)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t v = 0xdeadbeef;
		int e = fn(cases[i].s, &v);

		CHECK_ERR(e, cases[i].err, "%s(\"%s\") returns %d", fname, cases[i].s,
			  cases[i].err);
		if (cases[i].err == 0)
			CHECK_HEX(v, cases[i].value, "%s(\"%s\") = 0x%llx", fname, cases[i].s,
				  (unsigned long long)cases[i].value);
		else if (untouched)
			CHECK_HEX(v, 0xdeadbeef, "%s(\"%s\") leaves the output alone", fname,
				  cases[i].s);
	}
}

static void test_parse_u64(void)
{
	static const struct u64_case cases[] = {
		{ "0", 0, 0 },
		{ "4096", 0, 4096 },
		{ "007", 0, 7 },
		{ "0x1000", 0, 0x1000 },
		{ "0X1000", 0, 0x1000 },
		{ "0xDeadBeef", 0, 0xdeadbeef },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "0xffffffffffffffff", 0, UINT64_MAX },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
		{ "0x10000000000000000", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "0x", -EINVAL, 0 },
		{ "x10", -EINVAL, 0 },
		{ "12abc", -EINVAL, 0 },
		{ "0x12g", -EINVAL, 0 },
		{ "1a", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "1K", -EINVAL, 0 },
		{ "1.5", -EINVAL, 0 },
	};

	check_u64(parse_u64, "parse_u64", cases, sizeof(cases) / sizeof(cases[0]), false);
}

static void test_parse_size(void)
{
	static const struct u64_case cases[] = {
		{ "4096", 0, 4096 },
		{ "64K", 0, 64 << 10 },
		{ "64k", 0, 64 << 10 },
		{ "1M", 0, 1 << 20 },
		{ "1m", 0, 1 << 20 },
		{ "3G", 0, UINT64_C(3) << 30 },
		{ "2g", 0, UINT64_C(2) << 30 },
		{ "0x10K", 0, 16 << 10 },
		{ "0x10", 0, 16 },
		{ "0K", 0, 0 },
		{ "17179869183G", 0, UINT64_C(17179869183) << 30 },
		{ "17179869184G", -ERANGE, 0 },
		{ "18014398509481984K", -ERANGE, 0 },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "1MB", -EINVAL, 0 },
		{ "1KK", -EINVAL, 0 },
		{ "1T", -EINVAL, 0 },
		{ "1 M", -EINVAL, 0 },
		{ "M", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "0x", -EINVAL, 0 },
		{ "0xK", -EINVAL, 0 },
		{ "-1M", -EINVAL, 0 },
	};

	check_u64(parse_size, "parse_size", cases, sizeof(cases) / sizeof(cases[0]), true);
}

static void test_parse_segoff(void)
{
	static const struct {
		const char *s;
		int err;
		uint16_t seg, off;
	} cases[] = {
		{ "07c0:0000", 0, 0x07c0, 0x0000 },
		{ "0x7c0:0x10", 0, 0x07c0, 0x0010 },
		{ "0X7C0:0Xa", 0, 0x07c0, 0x000a },
		{ "ffff:ffff", 0, 0xffff, 0xffff },
		{ "0:0", 0, 0, 0 },
		{ "00000001:2", 0, 1, 2 },
		{ "10000:0", -ERANGE, 0, 0 },
		{ "0:10000", -ERANGE, 0, 0 },
		{ "1000", -EINVAL, 0, 0 },
		{ ":0", -EINVAL, 0, 0 },
		{ "0:", -EINVAL, 0, 0 },
		{ ":", -EINVAL, 0, 0 },
		{ "", -EINVAL, 0, 0 },
		{ "0x:0", -EINVAL, 0, 0 },
		{ "0:0x", -EINVAL, 0, 0 },
		{ "1:2:3", -EINVAL, 0, 0 },
		{ "g:0", -EINVAL, 0, 0 },
		{ " 1:0", -EINVAL, 0, 0 },
		{ "1:0 ", -EINVAL, 0, 0 },
		{ "-1:0", -EINVAL, 0, 0 },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint16_t seg = 0xaaaa, off = 0x5555;
		int e = parse_segoff(cases[i].s, &seg, &off);

		CHECK_ERR(e, cases[i].err, "parse_segoff(\"%s\") returns %d", cases[i].s,
			  cases[i].err);
		if (cases[i].err == 0) {
			CHECK_HEX(seg, cases[i].seg, "parse_segoff(\"%s\") segment 0x%x",
				  cases[i].s, cases[i].seg);
			CHECK_HEX(off, cases[i].off, "parse_segoff(\"%s\") offset 0x%x",
				  cases[i].s, cases[i].off);
		} else {
			CHECK(seg == 0xaaaa && off == 0x5555,
			      "parse_segoff(\"%s\") leaves the outputs alone", cases[i].s);
		}
	}
}

static void test_parse_seconds(void)
{
	static const struct {
		const char *s;
		int err;
		double value;
	} cases[] = {
		{ "0.5", 0, 0.5 },
		{ "2", 0, 2.0 },
		{ ".25", 0, 0.25 },
		{ "3.", 0, 3.0 },
		{ "0.001", 0, 0.001 },
		{ "1000000", 0, 1e6 },
		{ "0", -ERANGE, 0 },
		{ "0.0", -ERANGE, 0 },
		{ "1000001", -ERANGE, 0 },
		{ "1000000.5", -ERANGE, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ "inf", -EINVAL, 0 },
		{ "nan", -EINVAL, 0 },
		{ "1e3", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1s", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ ".", -EINVAL, 0 },
		{ "1..2", -EINVAL, 0 },
		{ "1.2.3", -EINVAL, 0 },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = -42.0;
		int e = parse_seconds(cases[i].s, &v);

		CHECK_ERR(e, cases[i].err, "parse_seconds(\"%s\") returns %d", cases[i].s,
			  cases[i].err);
		if (cases[i].err == 0)
			CHECK(v == cases[i].value, "parse_seconds(\"%s\") = %g", cases[i].s,
			      cases[i].value);
		else
			CHECK(v == -42.0, "parse_seconds(\"%s\") leaves the output alone",
			      cases[i].s);
	}
}

void test_parse(void)
{
	tap_suite("parse");
	test_parse_u64();
	test_parse_size();
	test_parse_segoff();
	test_parse_seconds();
}
