/* test_mmio.c - tests accesses to unmapped guest-physical addresses (vmm/mmio.c). */
#include "helpers.h"
#include "mmio.h"
#include "suites.h"
#include "tap.h"

#include <string.h>

void test_mmio(void)
{
	struct mmio_unmapped m;
	struct capture report;
	uint8_t data[16];
	unsigned lines;

	tap_suite("mmio");
	capture_open(&report);
	mmio_init(&m, report.f);

	memset(data, 0, sizeof(data));
	mmio_access(&m, 0xfee00000, data, 4, false);
	CHECK_MEM(data, "\xff\xff\xff\xff\x00", 5, "a 4-byte read gives exactly 4 0xff bytes");
	CHECK_CONTAINS(capture_text(&report), "read from unmapped physical address 0xfee00000",
		       "the read is reported with its address");
	CHECK_CONTAINS(capture_text(&report), "4 bytes", "the report gives the length");

	memset(data, 0, sizeof(data));
	mmio_access(&m, 0xfee00000, data, 8, false);
	CHECK_MEM(data, "\xff\xff\xff\xff\xff\xff\xff\xff\x00", 9, "an 8-byte read gives 8 0xff");
	memset(data, 0, sizeof(data));
	mmio_access(&m, 0x200000, data, 16, false);
	CHECK_MEM(data, "\xff\xff\xff\xff\xff\xff\xff\xff\x00", 9,
		  "a read longer than 8 bytes is cut to 8");

	memcpy(data, "\x01\x02", 2);
	mmio_access(&m, 0xfee00000, data, 2, true);
	CHECK(data[0] == 1 && data[1] == 2, "a write leaves data alone");
	CHECK_INT(count_substr(capture_text(&report), "\n"), 2,
		  "repeated accesses to one address are reported once");

	mmio_access(&m, 0x300000, data, 2, true);
	CHECK_CONTAINS(capture_text(&report), "wrote to unmapped physical address 0x300000",
		       "a write is reported with its address");

	/* Three addresses so far; fill the table of MMIO_MAX_REPORTED. */
	for (unsigned i = 3; i < MMIO_MAX_REPORTED; i++)
		mmio_access(&m, 0x400000 + i * 16, data, 1, false);
	lines = count_substr(capture_text(&report), "\n");
	CHECK_INT(lines, MMIO_MAX_REPORTED, "the first %d addresses are each reported",
		  MMIO_MAX_REPORTED);
	CHECK_INT(count_substr(capture_text(&report), "not reporting further"), 0,
		  "no overflow line while the table has room");

	mmio_access(&m, 0x900000, data, 1, false);
	mmio_access(&m, 0x900010, data, 1, false);
	mmio_access(&m, 0x900020, data, 1, true);
	CHECK_INT(count_substr(capture_text(&report), "\n"), MMIO_MAX_REPORTED + 1,
		  "more addresses give one more line only");
	CHECK_INT(count_substr(capture_text(&report), "not reporting further"), 1,
		  "that line is the single overflow line");
	CHECK_INT(count_substr(capture_text(&report), "0x900000"), 0,
		  "the addresses past the cap are not reported");
	memset(data, 0, sizeof(data));
	mmio_access(&m, 0x900030, data, 2, false);
	CHECK(data[0] == 0xff && data[1] == 0xff && data[2] == 0,
	      "reads past the cap still give 0xff");
	mmio_access(&m, 0xfee00000, data, 2, false);
	CHECK_INT(count_substr(capture_text(&report), "\n"), MMIO_MAX_REPORTED + 1,
		  "an address reported before the cap stays quiet");
	capture_close(&report);

	mmio_init(&m, NULL);
	memset(data, 0, sizeof(data));
	mmio_access(&m, 0x1000, data, 1, false);
	CHECK(data[0] == 0xff && data[1] == 0, "without a report FILE, a read still gives 0xff");
}
