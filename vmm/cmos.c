/*
 * cmos.c - the CMOS RAM and real-time clock on ports 0x70/0x71 (see
 * cmos.h): register semantics, the clock as host time plus an offset, and
 * the standard PC fields of the CMOS RAM.
 */
#include "cmos.h"

#include <string.h>
#include <time.h>

#define NS_PER_SEC	INT64_C(1000000000)
#define ALARM_ANY	0xc0	/* an alarm byte with both top bits set matches any value */
#define AF_MAX_SECONDS	86400	/* a day covers every alarm pattern */
/* The latest time the guest can set, its nanoseconds well inside int64_t
 * even after years of running (2259). */
#define LATEST_SECONDS	(INT64_MAX / NS_PER_SEC - INT64_C(100000000))

int64_t cmos_host_clock(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	if (clock_gettime(CLOCK_REALTIME, &ts))	/* cannot fail for CLOCK_REALTIME */
		return 0;
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t guest_now(const struct cmos *c)
{
	return c->clock(c->clock_ctx) + c->offset_ns;
}

static bool binary(const struct cmos *c)
{
	return c->ram[CMOS_STATUS_B] & CMOS_B_DM;
}

static bool frozen(const struct cmos *c)
{
	return c->ram[CMOS_STATUS_B] & CMOS_B_SET;
}

static uint8_t encode(const struct cmos *c, unsigned v)
{
	return binary(c) ? (uint8_t)v : (uint8_t)((v / 10) << 4 | v % 10);
}

static unsigned decode(const struct cmos *c, uint8_t v)
{
	return binary(c) ? v : (unsigned)(v >> 4) * 10 + (v & 0x0f);
}

static uint8_t encode_hours(const struct cmos *c, unsigned h)
{
	unsigned h12 = h % 12;

	if (c->ram[CMOS_STATUS_B] & CMOS_B_24H)
		return encode(c, h);
	return (uint8_t)(encode(c, h12 ? h12 : 12) | (h >= 12 ? CMOS_HOURS_PM : 0));
}

static unsigned decode_hours(const struct cmos *c, uint8_t v)
{
	unsigned h;

	if (c->ram[CMOS_STATUS_B] & CMOS_B_24H)
		return decode(c, v);
	h = decode(c, v & ~CMOS_HOURS_PM) % 12;	/* 12 AM is hour 0 */
	return v & CMOS_HOURS_PM ? h + 12 : h;
}

/* Broken-down UTC time of ns since the epoch (all zero when out of range). */
static void to_tm(int64_t ns, struct tm *tm)
{
	time_t t = (time_t)floor_div(ns, NS_PER_SEC);

	if (!gmtime_r(&t, tm))
		memset(tm, 0, sizeof(*tm));
}

/* Put the time tm into the time registers, in the current format. */
static void store_time(struct cmos *c, const struct tm *tm)
{
	int year = tm->tm_year + 1900;

	if (year < 0)
		year = 0;
	c->ram[CMOS_SECONDS] = encode(c, (unsigned)tm->tm_sec % 60);
	c->ram[CMOS_MINUTES] = encode(c, (unsigned)tm->tm_min);
	c->ram[CMOS_HOURS] = encode_hours(c, (unsigned)tm->tm_hour);
	c->ram[CMOS_WEEKDAY] = encode(c, (unsigned)tm->tm_wday + 1);	/* Sunday = 1 */
	c->ram[CMOS_DAY] = encode(c, (unsigned)tm->tm_mday);
	c->ram[CMOS_MONTH] = encode(c, (unsigned)tm->tm_mon + 1);
	c->ram[CMOS_YEAR] = encode(c, (unsigned)year % 100);
	c->ram[CMOS_CENTURY] = encode(c, (unsigned)(year / 100) % 100);
}

static void latch_time(struct cmos *c)
{
	struct tm tm;

	to_tm(guest_now(c), &tm);
	store_time(c, &tm);
}

/* Make the time in the registers the guest's clock, its second starting now. */
static void apply_time(struct cmos *c)
{
	struct tm tm = {
		.tm_sec = (int)decode(c, c->ram[CMOS_SECONDS]),
		.tm_min = (int)decode(c, c->ram[CMOS_MINUTES]),
		.tm_hour = (int)decode_hours(c, c->ram[CMOS_HOURS]),
		.tm_mday = (int)decode(c, c->ram[CMOS_DAY]),
		.tm_mon = (int)decode(c, c->ram[CMOS_MONTH]) - 1,
		.tm_year = (int)(decode(c, c->ram[CMOS_CENTURY]) * 100 +
				 decode(c, c->ram[CMOS_YEAR])) - 1900,
	};
	time_t t = timegm(&tm);	/* normalises out-of-range fields */

	if (t < 0)	/* before 1970 (or beyond what time_t holds) */
		t = 0;
	if (t > LATEST_SECONDS)
		t = LATEST_SECONDS;
	c->offset_ns = (int64_t)t * NS_PER_SEC - c->clock(c->clock_ctx);
	c->flags_ns = guest_now(c);
}

static bool is_time_register(uint8_t reg)
{
	return (reg <= CMOS_YEAR && !(reg & 1)) || reg == CMOS_WEEKDAY ||
	       reg == CMOS_DAY || reg == CMOS_YEAR || reg == CMOS_CENTURY;
}

static bool alarm_matches(const struct cmos *c, int64_t second)
{
	static const uint8_t alarm[] = { CMOS_SECONDS_ALARM, CMOS_MINUTES_ALARM, CMOS_HOURS_ALARM };
	struct tm tm;
	uint8_t now[3];

	to_tm(second * NS_PER_SEC, &tm);
	now[0] = encode(c, (unsigned)tm.tm_sec % 60);
	now[1] = encode(c, (unsigned)tm.tm_min);
	now[2] = encode_hours(c, (unsigned)tm.tm_hour);
	for (unsigned i = 0; i < 3; i++) {
		uint8_t a = c->ram[alarm[i]];

		if ((a & ALARM_ANY) != ALARM_ANY && a != now[i])
			return false;
	}
	return true;
}

/* The periodic interrupt's period for rate bits rs (1-15), in ns. */
static int64_t periodic_ns(unsigned rs)
{
	if (rs <= 2)	/* 256 Hz and 128 Hz with the 32.768 kHz time base */
		rs += 7;
	return (NS_PER_SEC << (rs - 1)) / 32768;
}

/* Bring status C's flags up to the guest's present time. */
static void update_flags(struct cmos *c)
{
	int64_t now = guest_now(c), prev = c->flags_ns;
	int64_t s0 = floor_div(prev, NS_PER_SEC), s1 = floor_div(now, NS_PER_SEC);
	unsigned rs = c->ram[CMOS_STATUS_A] & CMOS_A_RS;
	uint8_t b = c->ram[CMOS_STATUS_B], flags = c->ram[CMOS_STATUS_C];

	c->flags_ns = now;
	if (now <= prev)
		return;
	if (rs && floor_div(now, periodic_ns(rs)) > floor_div(prev, periodic_ns(rs)))
		flags |= CMOS_C_PF;
	if (!frozen(c) && s1 > s0) {
		flags |= CMOS_C_UF;
		if (s1 - s0 > AF_MAX_SECONDS)
			s0 = s1 - AF_MAX_SECONDS;
		for (int64_t s = s0 + 1; s <= s1 && !(flags & CMOS_C_AF); s++)
			if (alarm_matches(c, s))
				flags |= CMOS_C_AF;
	}
	if (((flags & CMOS_C_PF) && (b & CMOS_B_PIE)) || ((flags & CMOS_C_AF) && (b & CMOS_B_AIE)) ||
	    ((flags & CMOS_C_UF) && (b & CMOS_B_UIE)))
		flags |= CMOS_C_IRQF;
	c->ram[CMOS_STATUS_C] = flags;
}

static bool update_in_progress(const struct cmos *c)
{
	int64_t ns = guest_now(c), frac = ns - floor_div(ns, NS_PER_SEC) * NS_PER_SEC;

	if (frozen(c) || (c->ram[CMOS_STATUS_A] & CMOS_A_DV) != 0x20)
		return false;
	return frac >= NS_PER_SEC - CMOS_UIP_WINDOW_NS;
}

void cmos_init(struct cmos *c, cmos_clock_fn clock, void *clock_ctx)
{
	memset(c, 0, sizeof(*c));
	c->clock = clock ? clock : cmos_host_clock;
	c->clock_ctx = clock_ctx;
	c->ram[CMOS_STATUS_A] = CMOS_A_DEFAULT;
	c->ram[CMOS_STATUS_B] = CMOS_B_DEFAULT;
	c->ram[CMOS_STATUS_D] = CMOS_D_VRT;
	c->flags_ns = guest_now(c);
	latch_time(c);
}

uint8_t cmos_floppy_type(uint32_t cylinders, uint32_t heads, uint32_t sectors)
{
	if (heads > 2 || cylinders > 80 || cylinders == 0)
		return 0;
	if (cylinders <= 40)
		return sectors <= 9 ? 1 : 0;	/* 160K-360K: a 360K drive */
	switch (sectors) {
	case 9: return 3;	/* 720K */
	case 15: return 2;	/* 1.2M */
	case 18: return 4;	/* 1.44M */
	case 36: return 5;	/* 2.88M */
	default: return sectors < 18 ? 4 : 5;
	}
}

uint16_t cmos_checksum(const struct cmos *c)
{
	uint16_t sum = 0;

	for (unsigned i = CMOS_FLOPPY; i < CMOS_CHECKSUM_HI; i++)
		sum = (uint16_t)(sum + c->ram[i]);
	return sum;
}

static void put16(struct cmos *c, uint8_t lo, uint64_t v)
{
	if (v > 0xffff)
		v = 0xffff;
	c->ram[lo] = (uint8_t)v;
	c->ram[lo + 1] = (uint8_t)(v >> 8);
}

void cmos_set_machine(struct cmos *c, const struct cmos_machine *m)
{
	uint64_t ext = m->ram_bytes > (UINT64_C(1) << 20) ? (m->ram_bytes - (UINT64_C(1) << 20)) >> 10 : 0;
	uint64_t high = m->ram_bytes > (UINT64_C(16) << 20) ? (m->ram_bytes - (UINT64_C(16) << 20)) >> 16 : 0;
	uint64_t base = m->base_kib < 640 ? m->base_kib : 640;
	uint16_t sum;

	if (base > m->ram_bytes >> 10)
		base = m->ram_bytes >> 10;
	c->ram[CMOS_FLOPPY] = (uint8_t)(m->floppy_type << 4);
	/* Equipment: a maths coprocessor, VGA (bits 5-4 zero), drive A if any. */
	c->ram[CMOS_EQUIPMENT] = 0x02 | (m->floppy_type ? 0x01 : 0);
	put16(c, CMOS_BASE_LO, base);
	put16(c, CMOS_EXT_LO, ext);
	put16(c, CMOS_EXT2_LO, ext);
	put16(c, CMOS_HIGH_LO, high);
	sum = cmos_checksum(c);
	c->ram[CMOS_CHECKSUM_HI] = (uint8_t)(sum >> 8);
	c->ram[CMOS_CHECKSUM_LO] = (uint8_t)sum;
}

uint8_t cmos_read(struct cmos *c, uint8_t reg)
{
	uint8_t v;

	reg &= CMOS_RAM_SIZE - 1;
	switch (reg) {
	case CMOS_STATUS_A:
		return (uint8_t)((c->ram[reg] & ~CMOS_A_UIP) | (update_in_progress(c) ? CMOS_A_UIP : 0));
	case CMOS_STATUS_C:
		update_flags(c);
		v = c->ram[reg];
		c->ram[reg] = 0;
		irq_line_set(&c->irq, false);
		return v;
	case CMOS_STATUS_D:
		return CMOS_D_VRT;
	default:
		if (is_time_register(reg) && !frozen(c))
			latch_time(c);
		return c->ram[reg];
	}
}

void cmos_write(struct cmos *c, uint8_t reg, uint8_t value)
{
	uint8_t old;

	reg &= CMOS_RAM_SIZE - 1;
	switch (reg) {
	case CMOS_STATUS_A:
		update_flags(c);	/* flags so far at the old rate */
		c->ram[reg] = value & ~CMOS_A_UIP;
		return;
	case CMOS_STATUS_B:
		old = c->ram[reg];
		update_flags(c);
		if ((value & CMOS_B_SET) && !(old & CMOS_B_SET)) {
			latch_time(c);	/* the registers hold the time when frozen */
			value &= ~CMOS_B_UIE;
		}
		c->ram[reg] = value;
		if (!(value & CMOS_B_SET) && (old & CMOS_B_SET))
			apply_time(c);
		return;
	case CMOS_STATUS_C:
	case CMOS_STATUS_D:
		return;	/* read only */
	default:
		if (is_time_register(reg) && !frozen(c)) {
			latch_time(c);
			c->ram[reg] = value;
			apply_time(c);
			return;
		}
		c->ram[reg] = value;
	}
}

bool cmos_irq_line(struct cmos *c)
{
	update_flags(c);
	return c->ram[CMOS_STATUS_C] & CMOS_C_IRQF;
}

int64_t cmos_next_irq_in_ns(struct cmos *c)
{
	uint8_t b = c->ram[CMOS_STATUS_B];
	unsigned rs = c->ram[CMOS_STATUS_A] & CMOS_A_RS;
	int64_t now = guest_now(c), best = -1;

	if ((b & CMOS_B_PIE) && rs) {
		int64_t p = periodic_ns(rs);

		best = (floor_div(now, p) + 1) * p - now;
	}
	if ((b & (CMOS_B_UIE | CMOS_B_AIE)) && !frozen(c)) {
		int64_t s = (floor_div(now, NS_PER_SEC) + 1) * NS_PER_SEC - now;

		if (best < 0 || s < best)
			best = s;
	}
	return best;
}

void cmos_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	struct cmos *c = ctx;

	/* A wider access reaches the next ports byte by byte, as on the ISA bus. */
	for (unsigned i = 0; i < size; i++) {
		unsigned port = offset + i;

		if (port == 0 && is_write) {
			c->index = data[i] & (CMOS_RAM_SIZE - 1);
			c->nmi_disabled = data[i] & CMOS_NMI_DISABLE;
		} else if (port == 0) {
			data[i] = (uint8_t)(c->index | (c->nmi_disabled ? CMOS_NMI_DISABLE : 0));
		} else if (port == 1 && is_write) {
			cmos_write(c, c->index, data[i]);
		} else if (port == 1) {
			data[i] = cmos_read(c, c->index);
		} else if (!is_write) {
			data[i] = 0xff;	/* beyond the device */
		}
	}
}
