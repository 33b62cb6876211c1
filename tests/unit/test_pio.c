/* test_pio.c - tests the I/O port bus: registration, dispatch, unknown ports (vmm/pio.c). */
#include "helpers.h"
#include "pio.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <string.h>

/* What a recording handler saw. */
struct recorder {
	unsigned calls;
	uint16_t offset[8];
	unsigned size[8];
	bool is_write[8];
	uint8_t first_byte[8];
};

static void record(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	struct recorder *r = ctx;

	if (r->calls < 8) {
		r->offset[r->calls] = offset;
		r->size[r->calls] = size;
		r->is_write[r->calls] = is_write;
		r->first_byte[r->calls] = data[0];
	}
	if (!is_write)
		memset(data, 0x40 + (int)r->calls, size);
	r->calls++;
}

static void test_register(void)
{
	struct pio_bus bus;
	struct recorder r = { 0 };

	pio_bus_init(&bus, NULL);
	CHECK_ERR(pio_register(&bus, "a", 0x3f8, 8, record, &r), 0, "register 0x3f8-0x3ff");
	CHECK_ERR(pio_register(&bus, "b", 0x3f0, 8, record, &r), 0,
		  "register 0x3f0-0x3f7, adjacent below");
	CHECK_ERR(pio_register(&bus, "c", 0x400, 1, record, &r), 0,
		  "register 0x400, adjacent above");
	CHECK_ERR(pio_register(&bus, "d", 0x3ff, 1, record, &r), -EEXIST,
		  "overlapping the last port is -EEXIST");
	CHECK_ERR(pio_register(&bus, "d", 0x3f7, 2, record, &r), -EEXIST,
		  "straddling two devices is -EEXIST");
	CHECK_ERR(pio_register(&bus, "d", 0x300, 0x200, record, &r), -EEXIST,
		  "a range containing devices is -EEXIST");
	CHECK_ERR(pio_register(&bus, "d", 0x3fa, 1, record, &r), -EEXIST,
		  "a range inside a device is -EEXIST");
	CHECK_ERR(pio_register(&bus, "d", 0x500, 0, record, &r), -EINVAL,
		  "zero length is -EINVAL");
	CHECK_ERR(pio_register(&bus, "d", 0xfff0, 0x11, record, &r), -EINVAL,
		  "a range wrapping past 0xffff is -EINVAL");
	CHECK_ERR(pio_register(&bus, "d", 0xffff, 0xffff, record, &r), -EINVAL,
		  "a long range wrapping past 0xffff is -EINVAL");
	CHECK_ERR(pio_register(&bus, "d", 0x500, 1, NULL, &r), -EINVAL,
		  "a NULL handler is -EINVAL");
	CHECK_INT(bus.ndevices, 3, "failed registrations add no device");
	CHECK_ERR(pio_register(&bus, "top", 0xfff0, 0x10, record, &r), 0,
		  "a range ending exactly at 0xffff is fine");

	CHECK(pio_find(&bus, 0x3f8) && strcmp(pio_find(&bus, 0x3f8)->name, "a") == 0,
	      "pio_find 0x3f8 is device a");
	CHECK(pio_find(&bus, 0x3ff) && strcmp(pio_find(&bus, 0x3ff)->name, "a") == 0,
	      "pio_find 0x3ff is device a");
	CHECK(pio_find(&bus, 0x3f7) && strcmp(pio_find(&bus, 0x3f7)->name, "b") == 0,
	      "pio_find 0x3f7 is device b");
	CHECK(pio_find(&bus, 0xffff) && strcmp(pio_find(&bus, 0xffff)->name, "top") == 0,
	      "pio_find 0xffff is device top");
	CHECK(pio_find(&bus, 0x401) == NULL, "pio_find 0x401 is NULL");
	CHECK(pio_find(&bus, 0) == NULL, "pio_find 0 is NULL");

	pio_bus_init(&bus, NULL);
	for (unsigned i = 0; i < PIO_MAX_DEVICES; i++)
		if (pio_register(&bus, "n", (uint16_t)(0x100 + i * 4), 4, record, &r) != 0)
			break;
	CHECK_INT(bus.ndevices, PIO_MAX_DEVICES, "%d devices fit in the table", PIO_MAX_DEVICES);
	CHECK_ERR(pio_register(&bus, "full", 0x800, 4, record, &r), -ENOSPC,
		  "one more device is -ENOSPC");
	CHECK_INT(bus.ndevices, PIO_MAX_DEVICES, "a full table stays at %d", PIO_MAX_DEVICES);
}

static void test_dispatch(void)
{
	struct pio_bus bus;
	struct recorder a = { 0 }, b = { 0 };
	uint8_t data[8] = { 0x11, 0x22, 0x33, 0x44 };
	struct capture report;

	capture_open(&report);
	pio_bus_init(&bus, report.f);
	pio_register(&bus, "a", 0x3f8, 8, record, &a);
	pio_register(&bus, "b", 0x60, 4, record, &b);

	pio_dispatch(&bus, 0x3fb, data, 1, 1, true);
	CHECK_INT(a.calls, 1, "a write to 0x3fb reaches device a once");
	CHECK_INT(b.calls, 0, "and not device b");
	CHECK_HEX(a.offset[0], 3, "the handler sees offset 3");
	CHECK_INT(a.size[0], 1, "the handler sees size 1");
	CHECK(a.is_write[0], "the handler sees a write");
	CHECK_HEX(a.first_byte[0], 0x11, "the handler sees the written byte");

	pio_dispatch(&bus, 0x62, data, 2, 1, false);
	CHECK_INT(b.calls, 1, "a read of 0x62 reaches device b");
	CHECK_HEX(b.offset[0], 2, "the handler sees offset 2");
	CHECK_INT(b.size[0], 2, "the handler sees size 2");
	CHECK(!b.is_write[0], "the handler sees a read");
	CHECK(data[0] == 0x40 && data[1] == 0x40, "the handler's read value lands in data");

	/* String I/O: rep outsb of 4 bytes, then rep insw of 3 words. */
	memcpy(data, "\x01\x02\x03\x04", 4);
	a.calls = 0;
	pio_dispatch(&bus, 0x3f8, data, 1, 4, true);
	CHECK_INT(a.calls, 4, "string output with count 4 calls the handler 4 times");
	CHECK(a.first_byte[0] == 1 && a.first_byte[1] == 2 && a.first_byte[2] == 3 &&
	      a.first_byte[3] == 4, "each call sees the next byte");
	CHECK(a.offset[0] == 0 && a.offset[3] == 0, "each call sees offset 0");

	memset(data, 0, sizeof(data));
	a.calls = 0;
	pio_dispatch(&bus, 0x3f9, data, 2, 3, false);
	CHECK_INT(a.calls, 3, "string input with count 3 calls the handler 3 times");
	CHECK_MEM(data, "\x40\x40\x41\x41\x42\x42\x00", 7,
		  "each call fills the next word, nothing past the end");
	CHECK_STR(capture_text(&report), "", "accesses to devices are not reported");
	capture_close(&report);
}

static void test_unknown_ports(void)
{
	struct pio_bus bus;
	struct capture report;
	uint8_t data[8];
	const uint8_t written[4] = { 1, 2, 3, 4 };

	capture_open(&report);
	pio_bus_init(&bus, report.f);

	for (unsigned size = 1; size <= 4; size *= 2) {
		memset(data, 0, sizeof(data));
		pio_dispatch(&bus, 0x80, data, size, 1, false);
		CHECK(memcmp(data, "\xff\xff\xff\xff", size) == 0 && data[size] == 0,
		      "a read of size %u from an unknown port gives exactly %u 0xff bytes",
		      size, size);
	}
	CHECK_INT(count_substr(capture_text(&report), "\n"), 1,
		  "three reads of one unknown port are reported once");
	CHECK_CONTAINS(capture_text(&report), "read from unknown I/O port 0x0080",
		       "the report names the port and the read");

	memcpy(data, written, 4);
	pio_dispatch(&bus, 0x81, data, 4, 1, true);
	pio_dispatch(&bus, 0x81, data, 1, 3, true);
	CHECK_MEM(data, written, 4, "writes to an unknown port leave data alone");
	CHECK_INT(count_substr(capture_text(&report), "\n"), 2,
		  "writes to a second unknown port add one report");
	CHECK_CONTAINS(capture_text(&report), "wrote to unknown I/O port 0x0081",
		       "the report names the port and the write");

	memset(data, 0, sizeof(data));
	pio_dispatch(&bus, 0xffff, data, 1, 4, false);
	CHECK_MEM(data, "\xff\xff\xff\xff\x00", 5, "string input from an unknown port is 0xff");
	pio_dispatch(&bus, 0x80, data, 1, 1, true);
	CHECK_INT(count_substr(capture_text(&report), "\n"), 3,
		  "port 0xffff adds one report, a write to 0x80 none");
	capture_close(&report);

	pio_bus_init(&bus, NULL);
	memset(data, 0, sizeof(data));
	pio_dispatch(&bus, 0x80, data, 2, 1, false);
	CHECK(data[0] == 0xff && data[1] == 0xff, "without a report FILE, reads still give 0xff");
}

void test_pio(void)
{
	tap_suite("pio");
	test_register();
	test_dispatch();
	test_unknown_ports();
}
