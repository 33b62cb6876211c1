/*
 * pit.c - the 8254 interval timer and port 0x61 (see pit.h).
 *
 * Each channel keeps the tick t0 at which its counting element was loaded
 * with the count n; its count and OUT at any later tick follow from the
 * mode in closed form.  Events that change that (a gate edge, a count
 * written in modes 2 and 3 taking effect at the next reload) move t0.
 * The count written is loaded one clock after the write, as the datasheet
 * says ("for an initial count of N, OUT does not go high until N + 1 CLK
 * pulses after the initial count is written" in mode 0).
 */
#include "pit.h"

#include <string.h>

#define NS_PER_S 1000000000u

int64_t pit_tick_of_ns(uint64_t ns)
{
	return (int64_t)((ns / NS_PER_S) * PIT_HZ + (ns % NS_PER_S) * PIT_HZ / NS_PER_S);
}

uint64_t pit_ns_of_tick(int64_t tick)
{
	uint64_t t = tick < 0 ? 0 : (uint64_t)tick;

	return (t / PIT_HZ) * NS_PER_S + ((t % PIT_HZ) * NS_PER_S + PIT_HZ - 1) / PIT_HZ;
}

static int64_t now_tick(const struct pit *p)
{
	return pit_tick_of_ns(guest_clock_now(p->clock));
}

static uint32_t half_high(uint32_t n)
{
	return (n + 1) / 2;	/* mode 3: an odd count is high one clock longer */
}

/* Ticks since the load, standing still while the gate holds the count. */
static int64_t elapsed(const struct pit_channel *c, int64_t now)
{
	return (c->frozen ? c->frozen_at : now) - c->t0;
}

/* Rising edges of OUT in the first d ticks after t0. */
static uint64_t edges_in(const struct pit_channel *c, int64_t d)
{
	if (!c->armed || d < 0)
		return 0;
	switch (c->mode) {
	case 0:
	case 1:
		return d >= c->n;
	case 2:
	case 3:
		/* The illegal count 1 keeps OUT high: no edges. */
		return c->n == 1 ? 0 : (uint64_t)d / c->n;
	default:
		return d >= (int64_t)c->n + 1;
	}
}

/* Where a count written in mode 2 or 3 takes over: the next reload
 * (mode 3: the end of the current half-cycle). */
static int64_t pending_boundary(const struct pit_channel *c, bool *starts_low)
{
	int64_t dw = c->pending_at - c->t0;
	int64_t ph;

	*starts_low = false;
	if (dw < 0)
		return c->t0;
	ph = dw % c->n;
	if (c->mode == 3 && ph < (int64_t)half_high(c->n)) {
		*starts_low = true;
		return c->pending_at - ph + half_high(c->n);
	}
	return c->pending_at - ph + c->n;
}

/* Bring the channel to tick now: apply a pending count whose reload came. */
static void update(struct pit_channel *c, int64_t now)
{
	bool starts_low;
	int64_t b;

	if (!c->armed || !c->pending || (c->mode != 2 && c->mode != 3))
		return;
	b = pending_boundary(c, &starts_low);
	if ((c->frozen ? c->frozen_at : now) < b)
		return;
	c->edges += edges_in(c, b - c->t0);
	c->n = c->pending;
	c->pending = 0;
	/* Starting with the low half: place t0 where that cycle's high half
	 * would have begun, so one formula serves both. */
	c->t0 = starts_low ? b - half_high(c->n) : b;
}

/* The counting element and OUT at tick now (after update). */
static void evaluate(const struct pit_channel *c, int64_t now, uint32_t *ce, bool *out)
{
	uint32_t mod = c->bcd ? 10000 : 65536;
	int64_t d = elapsed(c, now);
	uint32_t ph, i;

	if (!c->armed || d < 0) {
		*ce = c->counted ? c->n % mod : 0;
		*out = c->mode != 0;	/* mode 0 starts low, the others high */
		return;
	}
	switch (c->mode) {
	case 0:
	case 1:
	case 4:
	case 5:
		*ce = (uint32_t)((((int64_t)c->n - d) % mod + mod) % mod);
		if (c->mode <= 1)
			*out = d >= c->n;
		else
			*out = d != c->n;
		return;
	case 2:
		ph = (uint32_t)(d % c->n);
		*ce = (c->n - ph) % mod;
		*out = c->frozen || c->n == 1 || c->n - ph != 1;
		return;
	default:
		ph = (uint32_t)(d % c->n);
		i = ph < half_high(c->n) ? ph : ph - half_high(c->n);
		*out = c->frozen || ph < half_high(c->n);
		*ce = ((c->n & 1 ? c->n - 1 : c->n) - 2 * i) % mod;
		return;
	}
}

static uint16_t to_bcd(uint32_t v)
{
	v %= 10000;
	return (uint16_t)((v / 1000) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10);
}

static uint32_t from_bcd(uint16_t v)
{
	/* Nibbles above 9 (hostile or careless) still give a defined count. */
	return (v >> 12 & 15) * 1000u + (v >> 8 & 15) * 100u + (v >> 4 & 15) * 10u + (v & 15);
}

static uint16_t counter_value(struct pit_channel *c, int64_t now)
{
	uint32_t ce;
	bool out;

	update(c, now);
	evaluate(c, now, &ce, &out);
	return c->bcd ? to_bcd(ce) : (uint16_t)ce;
}

static bool channel_out(struct pit_channel *c, int64_t now)
{
	uint32_t ce;
	bool out;

	update(c, now);
	evaluate(c, now, &ce, &out);
	return out;
}

/* Move what OUT did so far into edges before t0 changes. */
static void bank_edges(struct pit_channel *c, int64_t now)
{
	update(c, now);
	c->edges += edges_in(c, elapsed(c, now));
}

static void start_counting(struct pit_channel *c, uint32_t n, int64_t now)
{
	bank_edges(c, now);
	c->n = n;
	c->pending = 0;
	c->armed = true;
	c->t0 = now + 1;
	c->frozen = !c->gate;
	c->frozen_at = c->t0;
}

static void load_count(struct pit_channel *c, uint16_t value, int64_t now)
{
	uint32_t n = c->bcd ? from_bcd(value) : value;

	if (n == 0)
		n = c->bcd ? 10000 : 65536;
	update(c, now);
	c->counted = true;
	switch (c->mode) {
	case 0:
	case 4:
		start_counting(c, n, now);
		return;
	case 2:
	case 3:
		if (c->armed && !c->frozen && now >= c->t0) {
			c->pending = n;	/* the current period runs out first */
			c->pending_at = now;
		} else {
			start_counting(c, n, now);
		}
		return;
	default:	/* 1, 5: the count waits for a trigger on the gate */
		if (c->armed) {
			c->pending = n;
		} else {
			c->n = n;
		}
		return;
	}
}

static uint8_t status_of(struct pit_channel *c, int64_t now)
{
	bool null = !c->counted || c->pending || !c->armed || now < c->t0;

	return (uint8_t)(channel_out(c, now) << 7 | null << 6 | c->rw << 4 | c->mode << 1 | c->bcd);
}

static void latch_count(struct pit_channel *c, int64_t now)
{
	if (c->count_latched)
		return;	/* the first latch holds until it is read */
	c->latch = counter_value(c, now);
	c->count_latched = true;
	c->latch_hi = false;
}

static void control_word(struct pit *p, uint8_t v, int64_t now)
{
	unsigned sc = v >> 6, rw = v >> 4 & 3, mode = v >> 1 & 7;
	struct pit_channel *c;
	bool was_low;

	if (sc == 3) {	/* read-back: bit 5 clear latches counts, bit 4 clear status */
		for (unsigned i = 0; i < 3; i++) {
			if (!(v & 2u << i))
				continue;
			c = &p->ch[i];
			if (!(v & 0x20))
				latch_count(c, now);
			if (!(v & 0x10) && !c->status_latched) {
				c->status = status_of(c, now);
				c->status_latched = true;
			}
		}
		return;
	}
	c = &p->ch[sc];
	if (rw == 0) {
		latch_count(c, now);
		return;
	}
	was_low = !channel_out(c, now);
	bank_edges(c, now);
	c->mode = (uint8_t)(mode > 5 ? mode - 4 : mode);	/* 6 and 7 are 2 and 3 */
	c->rw = (uint8_t)rw;
	c->bcd = v & 1;
	c->armed = false;
	c->counted = false;
	c->frozen = false;
	c->pending = 0;
	c->write_hi = false;
	c->read_hi = false;
	c->count_latched = false;
	c->status_latched = false;
	if (was_low && c->mode != 0)
		c->edges++;	/* OUT goes high at once in every mode but 0 */
}

static void write_counter(struct pit_channel *c, uint8_t v, int64_t now)
{
	switch (c->rw) {
	case 1:
		load_count(c, v, now);
		return;
	case 2:
		load_count(c, (uint16_t)(v << 8), now);
		return;
	default:
		if (!c->write_hi) {
			c->cr = v;
			c->write_hi = true;
			if (c->mode == 0) {	/* the first byte stops the count, OUT low */
				bank_edges(c, now);
				c->armed = false;
				c->counted = false;
			}
			return;
		}
		c->write_hi = false;
		load_count(c, (uint16_t)(c->cr | v << 8), now);
		return;
	}
}

static uint8_t read_counter(struct pit_channel *c, int64_t now)
{
	uint16_t v;
	bool hi;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->count_latched) {
		v = c->latch;
		hi = c->rw == 2 || (c->rw == 3 && c->latch_hi);
		if (c->rw == 3 && !c->latch_hi)
			c->latch_hi = true;
		else
			c->count_latched = false;
	} else {
		v = counter_value(c, now);
		hi = c->rw == 2 || (c->rw == 3 && c->read_hi);
		if (c->rw == 3)
			c->read_hi = !c->read_hi;
	}
	return (uint8_t)(hi ? v >> 8 : v);
}

/* Channel 2's gate from port 0x61 bit 0 (channels 0 and 1 are tied high). */
static void set_gate(struct pit_channel *c, bool level, int64_t now)
{
	if (level == c->gate)
		return;
	update(c, now);
	c->gate = level;
	if (!c->armed && !(c->counted && (c->mode == 1 || c->mode == 5)))
		return;
	switch (c->mode) {
	case 0:
	case 4:
		if (!level) {
			c->frozen = true;
			c->frozen_at = now;
		} else if (c->frozen) {
			if (now > c->frozen_at)
				c->t0 += now - c->frozen_at;
			c->frozen = false;
		}
		return;
	case 2:
	case 3:
		if (!level) {
			if (!channel_out(c, now))
				c->edges++;	/* a low gate forces OUT high */
			bank_edges(c, now);
			c->t0 = now;
			c->frozen = true;
			c->frozen_at = now;
		} else {	/* a rising gate reloads the count */
			if (c->pending)
				c->n = c->pending;
			c->pending = 0;
			c->frozen = false;
			c->t0 = now + 1;
		}
		return;
	default:	/* 1, 5: a rising gate (re)triggers */
		if (!level)
			return;
		bank_edges(c, now);
		if (c->pending)
			c->n = c->pending;
		c->pending = 0;
		c->armed = true;
		c->frozen = false;
		c->t0 = now + 1;
		return;
	}
}

void pit_init(struct pit *p, struct guest_clock *clock)
{
	memset(p, 0, sizeof(*p));
	p->clock = clock;
	for (unsigned i = 0; i < 3; i++) {
		p->ch[i].gate = i != 2;	/* channel 2's gate is port 0x61 bit 0, clear at reset */
		p->ch[i].rw = 3;
		p->ch[i].mode = 2;	/* OUT high until programmed: no edge at the first control word */
	}
	/* Guests that skip the BIOS still find the timers a PC BIOS leaves
	 * running: channel 0 a square wave of count 65536 (18.2 Hz, what
	 * boot-sector games read for randomness), channel 1 the refresh
	 * rate generator of count 18. */
	p->ch[0].mode = 3;
	load_count(&p->ch[0], 0, now_tick(p));
	load_count(&p->ch[1], PIT_REFRESH_TICKS, now_tick(p));
}

void pit_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	struct pit *p = ctx;
	int64_t now = now_tick(p);

	for (unsigned i = 0; i < size; i++) {
		unsigned port = offset + i;

		if (port > 3) {	/* the part of a wide access beyond 0x43 */
			if (!is_write)
				data[i] = 0xff;
		} else if (port == 3) {
			if (is_write)
				control_word(p, data[i], now);
			else
				data[i] = 0xff;	/* the control register is write-only */
		} else if (is_write) {
			write_counter(&p->ch[port], data[i], now);
		} else {
			data[i] = read_counter(&p->ch[port], now);
		}
	}
}

void pit_port61_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	struct pit *p = ctx;
	int64_t now = now_tick(p);

	if (offset != 0 || size == 0)
		return;
	if (is_write) {
		p->port61 = data[0] & 0x0f;
		set_gate(&p->ch[2], data[0] & 1, now);
	} else {
		data[0] = (uint8_t)(p->port61 | ((now / PIT_REFRESH_TICKS) & 1) << 4 |
				    channel_out(&p->ch[2], now) << 5);
		memset(data + 1, 0xff, size - 1);
	}
}

bool pit_out(struct pit *p, unsigned ch)
{
	return ch < 3 && channel_out(&p->ch[ch], now_tick(p));
}

uint64_t pit_edges(struct pit *p, unsigned ch)
{
	struct pit_channel *c;
	int64_t now;

	if (ch >= 3)
		return 0;
	c = &p->ch[ch];
	now = now_tick(p);
	update(c, now);
	return c->edges + edges_in(c, elapsed(c, now));
}

/* The tick of the next rising edge after tick now, or -1. */
static int64_t next_edge(struct pit_channel c, int64_t now)
{
	int64_t d, edge;
	bool starts_low;

	update(&c, now);
	if (!c.armed || c.frozen)
		return -1;
	d = elapsed(&c, now);
	switch (c.mode) {
	case 0:
	case 1:
		edge = d < c.n ? c.t0 + c.n : -1;
		break;
	case 4:
	case 5:
		edge = d < (int64_t)c.n + 1 ? c.t0 + c.n + 1 : -1;
		break;
	default:
		if (c.n == 1 && !c.pending)
			return -1;
		edge = c.t0 + (d < 0 ? 1 : d / c.n + 1) * c.n;
		if (c.pending) {
			int64_t b = pending_boundary(&c, &starts_low);

			if (b < edge)
				return next_edge(c, b);
		}
		break;
	}
	return edge;
}

uint64_t pit_next_edge_ns(struct pit *p, unsigned ch)
{
	int64_t edge;

	if (ch >= 3)
		return UINT64_MAX;
	edge = next_edge(p->ch[ch], now_tick(p));
	return edge < 0 ? UINT64_MAX : pit_ns_of_tick(edge);
}
