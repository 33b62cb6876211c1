/* test_pit.c - tests the 8254 timer and port 0x61 (vmm/pit.c) and guest
 * time (vmm/guest_clock.c), on a fake host clock set tick by tick. */
#include "guest_clock.h"
#include "pit.h"
#include "suites.h"
#include "tap.h"

#include <stdio.h>

static uint64_t fake_ns;

static uint64_t fake_source(void *ctx)
{
	(void)ctx;
	return fake_ns;
}

/* Put guest time at PIT tick t (the clock started at host time 0). */
static void at_tick(int64_t t)
{
	fake_ns = pit_ns_of_tick(t);
}

static void out8(struct pit *p, uint16_t port, uint8_t v)
{
	if (port == PIT_PORT61)
		pit_port61_pio(p, 0, &v, 1, true);
	else
		pit_pio(p, (uint16_t)(port - PIT_BASE), &v, 1, true);
}

static uint8_t in8(struct pit *p, uint16_t port)
{
	uint8_t v = 0;

	if (port == PIT_PORT61)
		pit_port61_pio(p, 0, &v, 1, false);
	else
		pit_pio(p, (uint16_t)(port - PIT_BASE), &v, 1, false);
	return v;
}

/* Latch channel ch and read its 16-bit count (lo/hi access). */
static unsigned latched(struct pit *p, unsigned ch)
{
	unsigned lo, hi;

	out8(p, 0x43, (uint8_t)(ch << 6));
	lo = in8(p, (uint16_t)(0x40 + ch));
	hi = in8(p, (uint16_t)(0x40 + ch));
	return lo | hi << 8;
}

static void setup(struct pit *p, struct guest_clock *c)
{
	fake_ns = 0;
	guest_clock_init(c, fake_source, NULL);
	pit_init(p, c);
}

static void program(struct pit *p, unsigned ch, unsigned mode, unsigned count, int64_t tick)
{
	at_tick(tick);
	out8(p, 0x43, (uint8_t)(ch << 6 | 3 << 4 | mode << 1));
	out8(p, (uint16_t)(0x40 + ch), (uint8_t)count);
	out8(p, (uint16_t)(0x40 + ch), (uint8_t)(count >> 8));
}

static void test_clock(void)
{
	struct guest_clock c;

	fake_ns = 1000;
	guest_clock_init(&c, fake_source, NULL);
	CHECK_INT(guest_clock_now(&c), 0, "guest time starts at 0");
	fake_ns = 1500;
	CHECK_INT(guest_clock_now(&c), 500, "guest time follows the host while running");
	guest_clock_pause(&c);
	fake_ns = 900000;
	CHECK_INT(guest_clock_now(&c), 500, "guest time stands still while paused");
	guest_clock_pause(&c);
	guest_clock_resume(&c);
	fake_ns = 900100;
	CHECK_INT(guest_clock_now(&c), 600, "guest time resumes from where it stopped");
	guest_clock_resume(&c);
	fake_ns = 10;
	CHECK_INT(guest_clock_now(&c), 500, "a host clock going back reads as no time passed");
	fake_ns = 2000;
	guest_clock_init(&c, fake_source, NULL);
	fake_ns = 2300;		/* guest time 300 */
	CHECK_INT(guest_clock_host_at(&c, 1000), 3000, "host time of a guest deadline ahead");
	CHECK_INT(guest_clock_host_at(&c, 100), 2300, "a past deadline is now");
	CHECK(guest_clock_host_at(&c, UINT64_MAX - 5) == UINT64_MAX,
	      "a deadline beyond the host clock's range saturates");
	guest_clock_pause(&c);
	CHECK(guest_clock_host_at(&c, 1000) == UINT64_MAX, "no host deadline while paused");
	CHECK_INT(pit_tick_of_ns(1000000000u), PIT_HZ, "one second is 1193182 ticks");
	CHECK_INT(pit_tick_of_ns(pit_ns_of_tick(123456789)), 123456789, "tick/ns round trip");
}

static void test_mode0(void)
{
	struct guest_clock c;
	struct pit p;
	unsigned n = 5, seq[8], want[8] = { 5, 5, 4, 3, 2, 1, 0, 0xffff };
	bool outs[8], wout[8] = { false, false, false, false, false, false, true, true };
	bool ok = true;

	setup(&p, &c);
	program(&p, 0, 0, n, 100);
	for (int i = 0; i < 8; i++) {
		at_tick(100 + i);
		seq[i] = latched(&p, 0);
		outs[i] = pit_out(&p, 0);
		if (seq[i] != want[i] || outs[i] != wout[i]) {
			ok = false;
			printf("# tick +%d: count %u out %d\n", i, seq[i], outs[i]);
		}
	}
	CHECK(ok, "mode 0: loaded one clock after the write, OUT high N+1 clocks after it");
	CHECK_INT(pit_edges(&p, 0), 1, "mode 0: one rising edge at terminal count");
	at_tick(100);
	CHECK_INT(pit_next_edge_ns(&p, 0), pit_ns_of_tick(106), "mode 0: next edge time");
	at_tick(200);
	CHECK(pit_next_edge_ns(&p, 0) == UINT64_MAX, "mode 0: no edge after the one shot");
	/* Writing the first byte of a new count stops counting with OUT low. */
	out8(&p, 0x40, 10);
	CHECK(!pit_out(&p, 0), "mode 0: first byte of a new count sets OUT low");
	out8(&p, 0x40, 0);
	at_tick(211);
	CHECK(pit_out(&p, 0), "mode 0: the new count of 10 fires 11 clocks after it");
}

static void test_mode2(void)
{
	struct guest_clock c;
	struct pit p;
	bool ok = true;

	setup(&p, &c);
	program(&p, 0, 2, 4, 0);
	/* t0 = 1: counts 4 3 2 1 4 3 2 1 ..., OUT low while the count is 1. */
	for (int i = 1; i < 13; i++) {
		unsigned want = 4 - (unsigned)((i - 1) % 4);
		at_tick(i);
		if (latched(&p, 0) != want || pit_out(&p, 0) != (want != 1))
			ok = false;
	}
	CHECK(ok, "mode 2: counts n..1, OUT low for the clock at 1, reload");
	at_tick(13);
	CHECK_INT(pit_edges(&p, 0), 3, "mode 2: a rising edge per period");
	CHECK_INT(pit_next_edge_ns(&p, 0), pit_ns_of_tick(17), "mode 2: next edge one period on");
	/* A new count takes over at the next reload, not at once. */
	at_tick(14);	/* count 3 */
	out8(&p, 0x40, 10);
	out8(&p, 0x40, 0);
	at_tick(15);
	CHECK_INT(latched(&p, 0), 2, "mode 2: a new count does not cut the period short");
	at_tick(17);
	CHECK_INT(latched(&p, 0), 10, "mode 2: the new count loads at the reload");
	CHECK_INT(pit_next_edge_ns(&p, 0), pit_ns_of_tick(27), "mode 2: edges at the new period");
	CHECK_INT(pit_edges(&p, 0), 4, "mode 2: edge count kept across the new count");
}

static void test_mode3(void)
{
	struct guest_clock c;
	struct pit p;
	bool ok = true;
	uint64_t edges;
	/* even 6: high 3 clocks (6 4 2), low 3 (6 4 2) */
	static const unsigned even_ce[] = { 6, 4, 2, 6, 4, 2 };
	static const bool even_out[] = { 1, 1, 1, 0, 0, 0 };
	/* odd 5: high 3 clocks (4 2 0), low 2 (4 2) */
	static const unsigned odd_ce[] = { 4, 2, 0, 4, 2 };
	static const bool odd_out[] = { 1, 1, 1, 0, 0 };

	setup(&p, &c);
	program(&p, 0, 3, 6, 0);
	for (int i = 0; i < 12; i++) {
		at_tick(1 + i);
		if (latched(&p, 0) != even_ce[i % 6] || pit_out(&p, 0) != even_out[i % 6])
			ok = false;
	}
	CHECK(ok, "mode 3, even count: a square wave, counting down by two");
	program(&p, 0, 3, 5, 100);
	ok = true;
	for (int i = 0; i < 10; i++) {
		at_tick(101 + i);
		if (latched(&p, 0) != odd_ce[i % 5] || pit_out(&p, 0) != odd_out[i % 5])
			ok = false;
	}
	CHECK(ok, "mode 3, odd count: high one clock longer than low");
	at_tick(100);
	edges = pit_edges(&p, 0);
	at_tick(100 + 1 + 5 * 7);
	CHECK_INT(pit_edges(&p, 0) - edges, 7, "mode 3: a rising edge per full cycle");
	/* A new count written in the high half takes over at the low half. */
	program(&p, 0, 3, 8, 200);	/* high 201-204, low 205-208 */
	at_tick(202);
	out8(&p, 0x40, 4);
	out8(&p, 0x40, 0);
	at_tick(205);
	CHECK(!pit_out(&p, 0) && latched(&p, 0) == 4, "mode 3: new count at the half-cycle");
	CHECK_INT(pit_next_edge_ns(&p, 0), pit_ns_of_tick(207), "mode 3: low half of the new count");
	at_tick(207);
	CHECK(pit_out(&p, 0), "mode 3: high again after the new low half");
}

static void test_modes_145(void)
{
	struct guest_clock c;
	struct pit p;

	setup(&p, &c);
	program(&p, 0, 4, 3, 10);	/* loaded at 11, 0 at 14 */
	at_tick(13);
	CHECK(pit_out(&p, 0), "mode 4: OUT high while counting");
	at_tick(14);
	CHECK(!pit_out(&p, 0) && latched(&p, 0) == 0, "mode 4: OUT low for the clock at 0");
	at_tick(15);
	CHECK(pit_out(&p, 0), "mode 4: and high again");
	CHECK_INT(pit_edges(&p, 0), 1, "mode 4: one strobe");

	/* Channel 2, modes 1 and 5: triggered by the gate (port 0x61 bit 0). */
	program(&p, 2, 1, 3, 100);
	at_tick(110);
	CHECK(pit_out(&p, 2), "mode 1: OUT high before a trigger");
	out8(&p, PIT_PORT61, 1);	/* trigger at 110 */
	at_tick(111);
	CHECK(!pit_out(&p, 2), "mode 1: OUT low the clock after the trigger");
	at_tick(114);
	CHECK(pit_out(&p, 2), "mode 1: OUT high again when the count reaches 0");
	out8(&p, PIT_PORT61, 0);
	program(&p, 2, 5, 2, 200);
	out8(&p, PIT_PORT61, 1);	/* trigger at 200: loaded 201, 0 at 203 */
	at_tick(203);
	CHECK(!pit_out(&p, 2), "mode 5: strobe at terminal count");
	at_tick(204);
	CHECK(pit_out(&p, 2), "mode 5: one clock long");
}

static void test_access(void)
{
	struct guest_clock c;
	struct pit p;
	uint8_t st;
	unsigned lo;

	setup(&p, &c);
	/* lobyte only */
	at_tick(0);
	out8(&p, 0x43, 0x10 | 2 << 1);	/* ch0, lobyte, mode 2 */
	out8(&p, 0x40, 200);
	at_tick(11);
	CHECK_INT(in8(&p, 0x40), 190, "lobyte access: a one-byte count and read");
	/* hibyte only: count 0x0300 */
	at_tick(20);
	out8(&p, 0x43, 0x20 | 2 << 1);
	out8(&p, 0x40, 3);
	at_tick(21 + 0x100);
	CHECK_INT(in8(&p, 0x40), 2, "hibyte access: the high byte of 0x0200");
	/* lo/hi: reading unlatched alternates low and high bytes */
	program(&p, 0, 2, 0x1234, 30);
	at_tick(31 + 0x34);
	CHECK_INT(in8(&p, 0x40), 0x00, "lo/hi read: low byte first");
	CHECK_INT(in8(&p, 0x40), 0x12, "lo/hi read: then the high byte");
	/* a latch holds the count while time moves, until both bytes are read */
	at_tick(31);
	out8(&p, 0x43, 0x00);
	at_tick(41);
	out8(&p, 0x43, 0x00);	/* a second latch is ignored until read */
	CHECK_INT(in8(&p, 0x40), 0x34, "latch: low byte of the count at the latch");
	at_tick(51);
	CHECK_INT(in8(&p, 0x40), 0x12, "latch: high byte, time having moved");
	CHECK_INT(in8(&p, 0x40), (0x1234 - 20) & 0xff, "after the latch: live count again");
	in8(&p, 0x40);
	/* read-back: status then count of channel 0 */
	out8(&p, 0x43, 0xc2);	/* count and status, channel 0 */
	st = in8(&p, 0x40);
	CHECK_HEX(st, 0x80 | 0x30 | 2 << 1, "read-back status: OUT high, lo/hi, mode 2, loaded");
	lo = in8(&p, 0x40);
	CHECK_INT(lo | in8(&p, 0x40) << 8, 0x1234 - 20, "read-back count follows");
	out8(&p, 0x43, 0x36);	/* mode 3, no count yet */
	out8(&p, 0x43, 0xe2);	/* status only */
	CHECK_HEX(in8(&p, 0x40), 0x80 | 0x40 | (0x36 & 0x3f), "status: null count before a count");
	out8(&p, 0x43, 0x30);	/* mode 0 */
	out8(&p, 0x43, 0xe2);
	CHECK_HEX(in8(&p, 0x40) & 0x80, 0, "status: mode 0 starts with OUT low");
	CHECK_INT(in8(&p, 0x43), 0xff, "the control register reads as 0xff");
}

static void test_bcd_and_zero(void)
{
	struct guest_clock c;
	struct pit p;

	setup(&p, &c);
	at_tick(0);
	out8(&p, 0x43, 0x30 | 2 << 1 | 1);	/* mode 2, BCD */
	out8(&p, 0x40, 0x00);
	out8(&p, 0x40, 0x10);	/* 1000 decimal */
	at_tick(1 + 1);
	CHECK_HEX(latched(&p, 0), 0x0999, "BCD: 1000 then 999 in BCD digits");
	at_tick(1 + 1000);
	CHECK_HEX(latched(&p, 0), 0x1000, "BCD: period of 1000 clocks");
	program(&p, 0, 2, 0, 10);	/* count 0 = 65536 */
	at_tick(11);
	CHECK_HEX(latched(&p, 0), 0, "count 0 reads as 0 when loaded");
	at_tick(12);
	CHECK_HEX(latched(&p, 0), 0xffff, "count 0 counts 65536 clocks: 0xffff next");
	CHECK_INT(pit_next_edge_ns(&p, 0), pit_ns_of_tick(11 + 65536), "count 0: period 65536");
	at_tick(20);
	out8(&p, 0x43, 0x31 | 0 << 1);	/* mode 0 BCD, count 0 = 10000 */
	out8(&p, 0x40, 0);
	out8(&p, 0x40, 0);
	at_tick(21 + 1);
	CHECK_HEX(latched(&p, 0), 0x9999, "BCD count 0 is 10000");
	at_tick(21 + 10000);
	CHECK(pit_out(&p, 0), "BCD count 0: terminal count after 10000 clocks");
}

static void test_port61(void)
{
	struct guest_clock c;
	struct pit p;
	bool seen[2] = { false, false };
	int flips = 0;
	uint8_t prev;

	setup(&p, &c);
	at_tick(0);
	out8(&p, PIT_PORT61, 0xff);
	CHECK_HEX(in8(&p, PIT_PORT61) & 0xcf, 0x0f, "port 0x61 keeps bits 0-3, 6-7 read 0");
	prev = in8(&p, PIT_PORT61) & 0x10;
	for (int t = 0; t < 18 * 10; t++) {
		uint8_t b;

		at_tick(t);
		b = in8(&p, PIT_PORT61) & 0x10;
		seen[b != 0] = true;
		flips += b != prev;
		prev = b;
	}
	CHECK(seen[0] && seen[1] && flips == 9, "bit 4 toggles every 18 clocks (~15 us)");

	/* Channel 2 mode 0 gated by bit 0, its OUT in bit 5 (the classic delay). */
	out8(&p, PIT_PORT61, 0x00);
	program(&p, 2, 0, 100, 1000);
	at_tick(1200);
	CHECK_HEX(in8(&p, PIT_PORT61) & 0x20, 0, "gate low: channel 2 mode 0 does not count");
	out8(&p, PIT_PORT61, 0x01);	/* gate high at 1200 */
	at_tick(1250);
	out8(&p, PIT_PORT61, 0x00);	/* gate low for 50 clocks */
	at_tick(1300);
	out8(&p, PIT_PORT61, 0x01);
	at_tick(1349);
	CHECK_HEX(in8(&p, PIT_PORT61) & 0x20, 0, "mode 0: the gate paused the count");
	at_tick(1351);
	CHECK_HEX(in8(&p, PIT_PORT61) & 0x20, 0x20, "mode 0: OUT in bit 5 after the count");
	/* mode 2: gate low forces OUT high and a rising gate reloads */
	program(&p, 2, 2, 10, 2000);
	at_tick(2005);
	out8(&p, PIT_PORT61, 0x00);
	at_tick(2100);
	CHECK(pit_out(&p, 2), "mode 2: gate low holds OUT high");
	out8(&p, PIT_PORT61, 0x01);
	at_tick(2101);
	CHECK_INT(latched(&p, 2), 10, "mode 2: a rising gate reloads the count");
}

static void test_hostile(void)
{
	struct guest_clock c;
	struct pit p;
	uint8_t buf[4] = { 0, 0, 0, 0 };
	bool ok = true;
	uint64_t edges;

	setup(&p, &c);
	/* Every control word, each followed by count bytes and reads, at
	 * various times: nothing may crash, trip UBSan or read out of range. */
	for (unsigned cw = 0; cw < 256; cw++) {
		at_tick(cw * 7);
		out8(&p, 0x43, (uint8_t)cw);
		out8(&p, (uint16_t)(0x40 + (cw >> 6) % 3), (uint8_t)(cw * 13));
		out8(&p, (uint16_t)(0x40 + (cw >> 6) % 3), 0xff);
		out8(&p, PIT_PORT61, (uint8_t)cw);
		at_tick(cw * 7 + 3);
		for (unsigned ch = 0; ch < 3; ch++) {
			(void)in8(&p, (uint16_t)(0x40 + ch));
			(void)pit_next_edge_ns(&p, ch);
			(void)pit_edges(&p, ch);
		}
		if (p.ch[0].mode > 5 || p.ch[1].mode > 5 || p.ch[2].mode > 5)
			ok = false;
	}
	CHECK(ok, "every control word leaves a valid mode (6, 7 act as 2, 3)");
	pit_pio(&p, 2, buf, 4, false);	/* ports 0x42-0x45: two beyond the device */
	CHECK(buf[2] == 0xff && buf[3] == 0xff, "a wide read past 0x43 gives all ones");
	CHECK(!pit_out(&p, 7) && pit_edges(&p, 7) == 0 && pit_next_edge_ns(&p, 7) == UINT64_MAX,
	      "a channel number out of range is refused");
	at_tick(0);
	out8(&p, 0x43, 0x34);	/* mode 2 with the illegal count 1 */
	out8(&p, 0x40, 1);
	out8(&p, 0x40, 0);
	edges = pit_edges(&p, 0);
	at_tick(50);
	CHECK(pit_out(&p, 0) && pit_next_edge_ns(&p, 0) == UINT64_MAX && pit_edges(&p, 0) == edges,
	      "mode 2 count 1 (illegal) keeps OUT high, no edges");
	out8(&p, 0x43, 0x36);	/* mode 3, count 1 */
	out8(&p, 0x40, 1);
	out8(&p, 0x40, 0);
	at_tick(55);
	CHECK(pit_out(&p, 0) && pit_next_edge_ns(&p, 0) == UINT64_MAX, "mode 3 count 1: no edges");
	out8(&p, 0x43, 0x31);	/* mode 0 BCD with invalid digits 0xffff */
	out8(&p, 0x40, 0xff);
	out8(&p, 0x40, 0xff);
	at_tick(60);
	CHECK(latched(&p, 0) <= 0x9999, "invalid BCD digits still give a BCD count");
}

void test_pit(void)
{
	tap_suite("pit");
	test_clock();
	test_mode0();
	test_mode2();
	test_mode3();
	test_modes_145();
	test_access();
	test_bcd_and_zero();
	test_port61();
	test_hostile();
}
