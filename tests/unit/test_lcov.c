/* test_lcov.c - the lcov tracefile writer (vmm/lcov.c): records sorted and
 * merged per (file, line) with the largest count, one SF: record per file
 * with DA:, LF:, LH:, end_of_record, and bad paths refused. */
#include "helpers.h"
#include "lcov.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>

void test_lcov(void)
{
	/* Out of order; b.asm line 3 twice (two first instructions). */
	struct lcov_rec recs[] = {
		{ "/s/b.asm", 7, 0 }, { "/s/a.asm", 2, 5 }, { "/s/b.asm", 3, 1 },
		{ "/s/b.asm", 3, 4 }, { "/s/a.asm", 1, 0 },
	};
	struct lcov_rec bad[] = { { "/s/x\ny", 1, 1 } }, zero[] = { { "/s/z", 0, 1 } };
	struct lcov_sum sum;
	struct capture c;

	tap_suite("lcov");
	capture_open(&c);
	CHECK_INT(lcov_write(c.f, "t", recs, 5, &sum), 0, "a tracefile is written");
	CHECK_STR(capture_text(&c),
		  "TN:t\n"
		  "SF:/s/a.asm\nDA:1,0\nDA:2,5\nLF:2\nLH:1\nend_of_record\n"
		  "SF:/s/b.asm\nDA:3,4\nDA:7,0\nLF:2\nLH:1\nend_of_record\n",
		  "files and lines sorted; one DA per line with its largest count");
	CHECK(sum.files == 2 && sum.lines == 4 && sum.hit == 2, "the sum: 2 of 4 lines in 2 files");
	capture_close(&c);

	capture_open(&c);
	CHECK_INT(lcov_write(c.f, "t", NULL, 0, &sum), 0, "no records: a tracefile too");
	CHECK_STR(capture_text(&c), "TN:t\n", "... with its test name only");
	CHECK(sum.files == 0 && sum.lines == 0, "... and an empty sum");
	capture_close(&c);

	capture_open(&c);
	CHECK_INT(lcov_write(c.f, "t", bad, 1, &sum), -EINVAL, "a path with a line break is refused");
	CHECK_INT(lcov_write(c.f, "t", zero, 1, &sum), -EINVAL, "line 0 is refused");
	CHECK_STR(capture_text(&c), "", "... and nothing is written");
	capture_close(&c);
}
