/* test_lcov.c - the lcov tracefile writer (vmm/lcov.c): records sorted and
 * merged per (file, line) with the largest count, one SF: record per file
 * with DA:, LF:, LH:, end_of_record, and bad paths refused. */
#include "helpers.h"
#include "asm_data.h"
#include "lcov.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <string.h>

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

/* asm_data.c: data directives told from instructions. */
void test_asm_data(void)
{
	static const struct {
		const char *line;
		bool data;
	} cases[] = {
		{ "message: db \"Hello\", 10, 0", true }, { "\tdw 0x1234", true },
		{ "msg db 'x'", true }, { "\ttimes 510-($-$$) db 0", true },
		{ "buf: resb 64", true }, { "  .asciz \"x\"", true }, { "lbl:\t.byte 1", true },
		{ "\tmov si, message", false }, { "again:", false }, { "\tloop again ; db", false },
		{ "", false }, { "; db 1", false }, { "\tdbx 1", false }, { "start: hlt", false },
	};

	tap_suite("asm data lines");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(asm_line_is_data(cases[i].line, strlen(cases[i].line)) == cases[i].data,
		      "'%s' is %s", cases[i].line, cases[i].data ? "data" : "no data");
	CHECK(asm_source_name("/a/b.asm") && asm_source_name("x.inc") && asm_source_name("y.S"),
	      ".asm, .inc, .S are assembly sources");
	CHECK(!asm_source_name("/a/b.c") && !asm_source_name("/a.asm/b") && !asm_source_name("h"),
	      ".c, a directory named .asm, no extension are not");
}
