/* test_cmos.c - tests the CMOS RAM and real-time clock (vmm/cmos.c/.h) with a fake clock. */
#include "cmos.h"
#include "suites.h"
#include "tap.h"

#include <string.h>

#define SEC INT64_C(1000000000)
#define T0 (INT64_C(1700000000) * SEC)	/* Tue 2023-11-14 22:13:20 UTC */

static int64_t fake_clock(void *ctx)
{
	return *(int64_t *)ctx;
}

static void out(struct cmos *c, uint16_t port, uint8_t v)
{
	cmos_pio(c, (uint16_t)(port - CMOS_INDEX_PORT), &v, 1, true);
}

static uint8_t in(struct cmos *c, uint16_t port)
{
	uint8_t v = 0;

	cmos_pio(c, (uint16_t)(port - CMOS_INDEX_PORT), &v, 1, false);
	return v;
}

/* Read register reg through the ports, as a guest does. */
static uint8_t rd(struct cmos *c, uint8_t reg)
{
	out(c, 0x70, reg);
	return in(c, 0x71);
}

static void wr(struct cmos *c, uint8_t reg, uint8_t v)
{
	out(c, 0x70, reg);
	out(c, 0x71, v);
}

static void test_formats(void)
{
	int64_t now = T0;
	struct cmos c;

	cmos_init(&c, fake_clock, &now);
	CHECK_HEX(rd(&c, CMOS_STATUS_B), 0x02, "status B starts 24-hour BCD");
	CHECK_HEX(rd(&c, CMOS_SECONDS), 0x20, "BCD seconds 20");
	CHECK_HEX(rd(&c, CMOS_MINUTES), 0x13, "BCD minutes 13");
	CHECK_HEX(rd(&c, CMOS_HOURS), 0x22, "BCD hours 22 (24-hour)");
	CHECK_HEX(rd(&c, CMOS_WEEKDAY), 0x03, "weekday 3 (Tuesday, Sunday = 1)");
	CHECK_HEX(rd(&c, CMOS_DAY), 0x14, "BCD day 14");
	CHECK_HEX(rd(&c, CMOS_MONTH), 0x11, "BCD month 11");
	CHECK_HEX(rd(&c, CMOS_YEAR), 0x23, "BCD year 23");
	CHECK_HEX(rd(&c, CMOS_CENTURY), 0x20, "BCD century 20");

	wr(&c, CMOS_STATUS_B, CMOS_B_24H | CMOS_B_DM);
	CHECK_INT(rd(&c, CMOS_SECONDS), 20, "binary seconds 20");
	CHECK_INT(rd(&c, CMOS_MINUTES), 13, "binary minutes 13");
	CHECK_INT(rd(&c, CMOS_HOURS), 22, "binary hours 22");
	CHECK_INT(rd(&c, CMOS_DAY), 14, "binary day 14");
	CHECK_INT(rd(&c, CMOS_MONTH), 11, "binary month 11");
	CHECK_INT(rd(&c, CMOS_YEAR), 23, "binary year 23");
	CHECK_INT(rd(&c, CMOS_CENTURY), 20, "binary century 20");

	wr(&c, CMOS_STATUS_B, CMOS_B_DM);	/* 12-hour binary */
	CHECK_HEX(rd(&c, CMOS_HOURS), 0x80 | 10, "12-hour binary: 10 PM has bit 7 set");
	wr(&c, CMOS_STATUS_B, 0);		/* 12-hour BCD */
	CHECK_HEX(rd(&c, CMOS_HOURS), 0x90, "12-hour BCD: 10 PM is 0x90");
	now = T0 - 22 * 3600 * SEC;		/* 00:13:20 */
	CHECK_HEX(rd(&c, CMOS_HOURS), 0x12, "12-hour: midnight is 12 AM");
	now = T0 - 10 * 3600 * SEC;		/* 12:13:20 */
	CHECK_HEX(rd(&c, CMOS_HOURS), 0x92, "12-hour: noon is 12 PM");
	now = T0 - 21 * 3600 * SEC;		/* 01:13:20 */
	CHECK_HEX(rd(&c, CMOS_HOURS), 0x01, "12-hour: 1 AM has bit 7 clear");

	now = T0 + 5 * SEC;
	wr(&c, CMOS_STATUS_B, CMOS_B_24H);
	CHECK_HEX(rd(&c, CMOS_SECONDS), 0x25, "the clock follows the host clock");
	now = INT64_C(4102444799) * SEC + SEC - 1;	/* 2099-12-31 23:59:59.999 */
	CHECK_HEX(rd(&c, CMOS_YEAR), 0x99, "year 99 at the end of 2099");
	CHECK_HEX(rd(&c, CMOS_CENTURY), 0x20, "century 20 at the end of 2099");
	now += 1;
	CHECK_HEX(rd(&c, CMOS_YEAR), 0x00, "year 00 a nanosecond later");
	CHECK_HEX(rd(&c, CMOS_CENTURY), 0x21, "century 21 a nanosecond later");
}

static void test_uip(void)
{
	int64_t now = T0;
	struct cmos c;
	int64_t last_clear = -1;
	unsigned polls = 0;

	cmos_init(&c, fake_clock, &now);
	CHECK_HEX(rd(&c, CMOS_STATUS_A), 0x26, "status A starts 0x26 (time base on, 1024 Hz)");
	now = T0 + SEC - CMOS_UIP_WINDOW_NS - 1;
	CHECK_HEX(rd(&c, CMOS_STATUS_A) & CMOS_A_UIP, 0, "UIP clear just before the window");
	now += 1;
	CHECK_HEX(rd(&c, CMOS_STATUS_A) & CMOS_A_UIP, CMOS_A_UIP, "UIP set in the window before the second changes");
	CHECK_HEX(rd(&c, CMOS_SECONDS), 0x20, "the seconds have not changed yet while UIP is set");
	now = T0 + SEC;
	CHECK_HEX(rd(&c, CMOS_STATUS_A) & CMOS_A_UIP, 0, "UIP clear once the second changed");
	CHECK_HEX(rd(&c, CMOS_SECONDS), 0x21, "and the seconds moved on");

	/* A guest's loop: poll A while UIP, then read; each access takes 10 us. */
	now = T0 + SEC - CMOS_UIP_WINDOW_NS + 5000;
	while ((rd(&c, CMOS_STATUS_A) & CMOS_A_UIP) && polls < 1000000) {
		now += 10000;
		polls++;
	}
	last_clear = now;
	CHECK(polls > 0 && polls < 1000, "the wait-while-UIP loop ends (%u polls)", polls);
	CHECK(last_clear >= T0 + SEC, "UIP clears only after the second changed");
	CHECK_HEX(rd(&c, CMOS_SECONDS), 0x21, "the time read after UIP cleared is the new second");

	wr(&c, CMOS_STATUS_A, 0xa6);	/* UIP is read-only */
	now = T0 + 2 * SEC - 1;
	CHECK_HEX(rd(&c, CMOS_STATUS_A), 0xa6, "UIP reads set in the window, divider and rate kept");
	now = T0 + 2 * SEC + SEC / 2;
	CHECK_HEX(rd(&c, CMOS_STATUS_A), 0x26, "a written UIP bit is not stored");
	wr(&c, CMOS_STATUS_A, 0x70 | 0x0f);
	now = T0 + 3 * SEC - 1;
	CHECK_HEX(rd(&c, CMOS_STATUS_A), 0x7f, "no UIP while the divider is held in reset");
	wr(&c, CMOS_STATUS_A, 0x26);
	wr(&c, CMOS_STATUS_B, CMOS_B_SET | CMOS_B_24H);
	CHECK_HEX(rd(&c, CMOS_STATUS_A) & CMOS_A_UIP, 0, "no UIP while SET freezes the update");
}

static void test_set(void)
{
	int64_t now = T0;
	struct cmos c;

	cmos_init(&c, fake_clock, &now);
	wr(&c, CMOS_STATUS_B, CMOS_B_SET | CMOS_B_24H | CMOS_B_UIE);
	CHECK_HEX(rd(&c, CMOS_STATUS_B), CMOS_B_SET | CMOS_B_24H, "setting SET clears UIE");
	now += 3 * SEC;
	CHECK_HEX(rd(&c, CMOS_SECONDS), 0x20, "SET freezes the registers");
	wr(&c, CMOS_SECONDS, 0x00);
	wr(&c, CMOS_MINUTES, 0x00);
	wr(&c, CMOS_HOURS, 0x12);
	wr(&c, CMOS_DAY, 0x01);
	wr(&c, CMOS_MONTH, 0x01);
	wr(&c, CMOS_YEAR, 0x00);
	wr(&c, CMOS_CENTURY, 0x20);
	CHECK_HEX(rd(&c, CMOS_HOURS), 0x12, "writes while SET are read back");
	now += 10 * SEC;
	wr(&c, CMOS_STATUS_B, CMOS_B_24H);
	CHECK_HEX(c.offset_ns, INT64_C(946728000) * SEC - now, "clearing SET keeps the written time as an offset");
	CHECK_HEX(rd(&c, CMOS_HOURS), 0x12, "the guest clock is 2000-01-01 12:00:00");
	CHECK_HEX(rd(&c, CMOS_YEAR), 0x00, "year 00");
	CHECK_HEX(rd(&c, CMOS_WEEKDAY), 0x07, "and its weekday (Saturday) follows");
	now += 61 * SEC;
	CHECK_HEX(rd(&c, CMOS_MINUTES), 0x01, "the set clock runs with the host clock");
	CHECK_HEX(rd(&c, CMOS_SECONDS), 0x01, "seconds too");

	wr(&c, CMOS_HOURS, 0x08);	/* without SET: sets the clock at once */
	CHECK_HEX(rd(&c, CMOS_HOURS), 0x08, "a time write without SET sets the clock");
	CHECK_HEX(rd(&c, CMOS_MINUTES), 0x01, "and keeps the other fields");

	wr(&c, CMOS_STATUS_B, CMOS_B_SET);	/* 12-hour BCD */
	wr(&c, CMOS_HOURS, 0x80 | 0x11);	/* 11 PM */
	wr(&c, CMOS_STATUS_B, 0);
	wr(&c, CMOS_STATUS_B, CMOS_B_24H);
	CHECK_HEX(rd(&c, CMOS_HOURS), 0x23, "11 PM written in 12-hour mode reads 23 in 24-hour mode");
}

/* Every byte in every time register, in BCD and binary, then clearing SET. */
static void test_hostile_times(void)
{
	static const uint8_t regs[] = { 0x00, 0x02, 0x04, 0x06, 0x07, 0x08, 0x09, 0x32 };
	int64_t now = T0;
	struct cmos c;
	bool in_range = true;

	cmos_init(&c, fake_clock, &now);
	for (unsigned mode = 0; mode < 4; mode++) {
		uint8_t b = (uint8_t)((mode & 1 ? CMOS_B_DM : 0) | (mode & 2 ? CMOS_B_24H : 0));

		for (unsigned v = 0; v < 256; v++) {
			wr(&c, CMOS_STATUS_B, CMOS_B_SET | b);
			for (unsigned i = 0; i < sizeof(regs); i++)
				wr(&c, regs[i], (uint8_t)v);
			wr(&c, CMOS_STATUS_B, b);
			now += SEC;
			wr(&c, CMOS_STATUS_B, CMOS_B_24H | CMOS_B_DM);
			if (rd(&c, CMOS_CENTURY) < 19 || rd(&c, CMOS_CENTURY) > 22)
				in_range = false;
		}
	}
	CHECK(in_range, "any time written keeps the clock between 1970 and 2259");
	wr(&c, CMOS_STATUS_B, CMOS_B_SET | CMOS_B_24H);
	wr(&c, CMOS_CENTURY, 0x19);
	wr(&c, CMOS_YEAR, 0x50);
	wr(&c, CMOS_STATUS_B, CMOS_B_24H);
	CHECK_HEX(rd(&c, CMOS_YEAR) << 8 | rd(&c, CMOS_CENTURY), 0x7019, "1950 is kept at 1970");
}

static void test_flags(void)
{
	int64_t now = T0 + SEC / 2;
	struct cmos c;

	cmos_init(&c, fake_clock, &now);
	CHECK_HEX(rd(&c, CMOS_STATUS_D), CMOS_D_VRT, "status D: valid RAM and time");
	wr(&c, CMOS_STATUS_D, 0);
	CHECK_HEX(rd(&c, CMOS_STATUS_D), CMOS_D_VRT, "status D is read-only");
	wr(&c, CMOS_STATUS_A, 0x20);	/* no periodic rate */
	CHECK_HEX(rd(&c, CMOS_STATUS_C), 0, "status C: nothing happened yet");
	now += SEC;
	CHECK_HEX(rd(&c, CMOS_STATUS_C), CMOS_C_UF, "C: the update-ended flag after a second");
	CHECK_HEX(rd(&c, CMOS_STATUS_C), 0, "C is cleared by the read");
	wr(&c, CMOS_STATUS_B, CMOS_B_24H | CMOS_B_UIE);
	CHECK(!cmos_irq_line(&c), "no IRQ8 without a flag");
	now += SEC;
	CHECK(cmos_irq_line(&c), "IRQ8 would be raised with UIE and UF");
	CHECK_HEX(rd(&c, CMOS_STATUS_C), CMOS_C_IRQF | CMOS_C_UF, "C: IRQF and UF");

	wr(&c, CMOS_STATUS_B, CMOS_B_24H | CMOS_B_PIE);
	wr(&c, CMOS_STATUS_A, 0x26);	/* 1024 Hz: a period of 976.5625 us */
	now += 500000;
	CHECK_HEX(rd(&c, CMOS_STATUS_C), 0, "C: no periodic flag within half a period");
	now += 1000000;
	CHECK_HEX(rd(&c, CMOS_STATUS_C), CMOS_C_IRQF | CMOS_C_PF, "C: PF and IRQF after a period");

	wr(&c, CMOS_STATUS_A, 0x20);
	wr(&c, CMOS_STATUS_B, CMOS_B_24H | CMOS_B_AIE);
	wr(&c, CMOS_SECONDS_ALARM, 0x30);
	wr(&c, CMOS_MINUTES_ALARM, 0xc0);	/* any minute */
	wr(&c, CMOS_HOURS_ALARM, 0xff);		/* any hour */
	(void)rd(&c, CMOS_STATUS_C);
	CHECK_HEX(rd(&c, CMOS_SECONDS), 0x22, "the clock is at second 22");
	now += 5 * SEC;
	CHECK_HEX(rd(&c, CMOS_STATUS_C), CMOS_C_UF, "C: no alarm before second 30");
	now += 5 * SEC;
	CHECK_HEX(rd(&c, CMOS_STATUS_C), CMOS_C_IRQF | CMOS_C_AF | CMOS_C_UF, "C: the alarm at second 30");
	CHECK_HEX(rd(&c, CMOS_SECONDS_ALARM), 0x30, "the alarm registers are kept");
	now += 7 * 86400 * SEC;
	CHECK(rd(&c, CMOS_STATUS_C) & CMOS_C_AF, "an alarm after a week without reading C");
}

static void test_next_irq(void)
{
	int64_t now = T0 + SEC / 4;
	struct cmos c;

	cmos_init(&c, fake_clock, &now);
	CHECK_INT(cmos_next_irq_in_ns(&c), -1, "no IRQ8 event while B enables none");
	wr(&c, CMOS_STATUS_B, CMOS_B_24H | CMOS_B_UIE);
	CHECK_INT(cmos_next_irq_in_ns(&c), 3 * SEC / 4, "UIE: the next second boundary");
	wr(&c, CMOS_STATUS_B, CMOS_B_24H | CMOS_B_PIE);
	wr(&c, CMOS_STATUS_A, 0x2f);	/* 2 Hz: a period of 500 ms */
	CHECK_INT(cmos_next_irq_in_ns(&c), SEC / 4, "PIE at 2 Hz: the next half second");
	wr(&c, CMOS_STATUS_A, 0x20);	/* rate 0: no periodic interrupt */
	CHECK_INT(cmos_next_irq_in_ns(&c), -1, "PIE with rate 0: none");
	wr(&c, CMOS_STATUS_A, 0x2f);
	wr(&c, CMOS_STATUS_B, CMOS_B_24H | CMOS_B_PIE | CMOS_B_AIE);
	now = T0 + SEC - 100;
	CHECK_INT(cmos_next_irq_in_ns(&c), 100, "the earlier of the second and the period");
	wr(&c, CMOS_STATUS_B, CMOS_B_SET | CMOS_B_24H | CMOS_B_AIE);
	CHECK_INT(cmos_next_irq_in_ns(&c), -1, "no update or alarm while SET freezes the clock");
}

static void test_ram(void)
{
	int64_t now = T0;
	struct cmos c;
	struct cmos_machine m = { .ram_bytes = UINT64_C(64) << 20, .base_kib = 639, .floppy_type = 4 };
	unsigned sum = 0;
	bool kept = true;

	cmos_init(&c, fake_clock, &now);
	cmos_set_machine(&c, &m);
	CHECK_HEX(rd(&c, CMOS_FLOPPY), 0x40, "drive A is 1.44M (type 4)");
	CHECK_HEX(rd(&c, CMOS_EQUIPMENT), 0x03, "equipment: floppy, coprocessor, VGA");
	CHECK_INT(rd(&c, 0x15) | rd(&c, 0x16) << 8, 639, "base memory 639K");
	CHECK_INT(rd(&c, 0x17) | rd(&c, 0x18) << 8, 64 * 1024 - 1024, "extended memory (0x17) 63M in K");
	CHECK_INT(rd(&c, 0x30) | rd(&c, 0x31) << 8, 64 * 1024 - 1024, "extended memory (0x30) 63M in K");
	CHECK_INT(rd(&c, 0x34) | rd(&c, 0x35) << 8, (64 - 16) * 16, "memory above 16M in 64K units");
	for (unsigned i = 0x10; i <= 0x2d; i++)
		sum += rd(&c, (uint8_t)i);
	CHECK_HEX(rd(&c, 0x2e) << 8 | rd(&c, 0x2f), sum & 0xffff, "checksum at 0x2E-0x2F over 0x10-0x2D");

	m = (struct cmos_machine){ .ram_bytes = UINT64_C(8) << 30, .base_kib = 640 };
	cmos_set_machine(&c, &m);
	CHECK_HEX(rd(&c, CMOS_FLOPPY), 0, "no floppy");
	CHECK_HEX(rd(&c, CMOS_EQUIPMENT), 0x02, "equipment without a floppy");
	CHECK_INT(rd(&c, 0x17) | rd(&c, 0x18) << 8, 0xffff, "extended memory saturates at 0xFFFF");
	CHECK_INT(rd(&c, 0x34) | rd(&c, 0x35) << 8, 0xffff, "memory above 16M saturates at 0xFFFF");
	m = (struct cmos_machine){ .ram_bytes = 0x20000, .base_kib = 640 };
	cmos_set_machine(&c, &m);
	CHECK_INT(rd(&c, 0x15) | rd(&c, 0x16) << 8, 128, "base memory no more than the RAM (128K)");
	CHECK_INT(rd(&c, 0x17) | rd(&c, 0x18) << 8, 0, "no extended memory");

	CHECK_INT(cmos_floppy_type(40, 2, 9), 1, "360K floppy type 1");
	CHECK_INT(cmos_floppy_type(80, 2, 15), 2, "1.2M floppy type 2");
	CHECK_INT(cmos_floppy_type(80, 2, 9), 3, "720K floppy type 3");
	CHECK_INT(cmos_floppy_type(80, 2, 18), 4, "1.44M floppy type 4");
	CHECK_INT(cmos_floppy_type(80, 2, 36), 5, "2.88M floppy type 5");
	CHECK_INT(cmos_floppy_type(1024, 16, 63), 0, "a hard disk geometry is no floppy");

	for (unsigned i = 0x0e; i < CMOS_RAM_SIZE; i++)
		if (i != CMOS_CENTURY)
			wr(&c, (uint8_t)i, (uint8_t)(i * 7 + 1));
	for (unsigned i = 0x0e; i < CMOS_RAM_SIZE; i++)
		if (i != CMOS_CENTURY && rd(&c, (uint8_t)i) != (uint8_t)(i * 7 + 1))
			kept = false;
	CHECK(kept, "CMOS RAM 0x0E-0x7F keeps what the guest writes");
}

static void test_ports(void)
{
	int64_t now = T0;
	struct cmos c;
	uint8_t data[4];
	bool ok = true;

	cmos_init(&c, fake_clock, &now);
	out(&c, 0x70, 0x80 | 0x40);
	CHECK(c.nmi_disabled, "bit 7 of the index write masks NMI");
	CHECK_HEX(c.index, 0x40, "and is not part of the index");
	CHECK_HEX(in(&c, 0x70), 0xc0, "port 0x70 reads back the index and the NMI bit");
	out(&c, 0x71, 0x5a);
	out(&c, 0x70, 0x40);
	CHECK(!c.nmi_disabled, "an index write with bit 7 clear unmasks NMI");
	CHECK_HEX(in(&c, 0x71), 0x5a, "the write with NMI masked reached register 0x40");
	out(&c, 0x70, 0x80 | CMOS_SECONDS);
	CHECK_HEX(in(&c, 0x71), 0x20, "NMI-masked index 0x80 reads the seconds");

	/* Every index value, written and read, stays inside the 128 bytes. */
	for (unsigned v = 0; v < 256; v++) {
		out(&c, 0x70, (uint8_t)v);
		if (c.index != (v & 0x7f) || c.nmi_disabled != (v >= 0x80))
			ok = false;
		(void)in(&c, 0x71);
		if (v >= 0x0e && (v & 0x7f) >= 0x0e && (v & 0x7f) != CMOS_CENTURY)
			out(&c, 0x71, (uint8_t)~v);
	}
	CHECK(ok, "every index byte 0-255 selects register (v & 0x7f)");
	CHECK_HEX(rd(&c, 0x7f), (uint8_t)~0xff, "index 0xFF wrote register 0x7F");
	CHECK_HEX(cmos_read(&c, 0xff), (uint8_t)~0xff, "cmos_read masks a hostile register number");
	cmos_write(&c, 0x8e, 0x11);
	CHECK_HEX(rd(&c, 0x0e), 0x11, "cmos_write masks a hostile register number");

	/* A 2-byte write at 0x70: index in the low byte, data in the high. */
	memcpy(data, "\x20\x77", 2);
	cmos_pio(&c, 0, data, 2, true);
	CHECK_HEX(rd(&c, 0x20), 0x77, "a 16-bit OUT to 0x70 writes index then data");
	out(&c, 0x70, 0x21);
	wr(&c, 0x21, 0x99);
	out(&c, 0x70, 0x21);
	memset(data, 0, sizeof(data));
	cmos_pio(&c, 0, data, 4, false);
	CHECK_HEX(data[0] | data[1] << 8 | data[2] << 16 | (uint32_t)data[3] << 24, 0xffff9921,
		  "a 32-bit IN at 0x70: index, data, then all ones beyond the device");
	memset(data, 0, sizeof(data));
	cmos_pio(&c, 1, data, 2, false);
	CHECK_HEX(data[0] | data[1] << 8, 0xff99, "a 16-bit IN at 0x71: data, then all ones");
}

void test_cmos(void)
{
	tap_suite("cmos");
	test_formats();
	test_uip();
	test_set();
	test_hostile_times();
	test_flags();
	test_next_irq();
	test_ram();
	test_ports();
}
