/*
 * pic.c - the 8259A pair (see pic.h).  Priorities: input `lowest` has the
 * lowest priority and the one after it (mod 8) the highest; rotation moves
 * `lowest`.  The slave's INT output drives the master's input 2 and is
 * brought up to date after every change.
 */
#include "pic.h"

#include <string.h>

#define MASTER 0
#define SLAVE 1
#define SPURIOUS_INPUT 7

/* Priority rank of input i: 0 is the highest, 7 the lowest. */
static unsigned rank(const struct pic_chip *c, unsigned i)
{
	return (i - c->lowest - 1) & 7;
}

/* The input of best priority among bits, or -1. */
static int best_of(const struct pic_chip *c, uint8_t bits)
{
	for (unsigned r = 0; r < 8; r++) {
		unsigned i = (c->lowest + 1 + r) & 7;

		if (bits & (1u << i))
			return (int)i;
	}
	return -1;
}

static bool working(const struct pic_chip *c)
{
	return c->initialised && c->init_step == 0 && c->x86;
}

/* The in-service levels that hold back lower ones. */
static uint8_t blocking_isr(const struct pic_chip *c)
{
	uint8_t isr = c->isr;

	if (c->special_mask)
		isr &= (uint8_t)~c->imr;
	return isr;
}

/* Would input i be passed on by chip c now, were it requested? */
static bool passes(const struct pic_chip *c, bool is_master, unsigned i)
{
	int cur = best_of(c, blocking_isr(c));

	if (!working(c) || (c->imr & (1u << i)))
		return false;
	if (cur < 0)
		return true;
	/* Special fully nested mode: a slave's input in service does not lock
	 * out the slave's further (higher) requests; lower inputs still wait. */
	if (is_master && c->fully_nested && !c->single && (c->cascade & (1u << i)))
		return rank(c, i) <= rank(c, (unsigned)cur);
	return rank(c, i) < rank(c, (unsigned)cur);
}

/* The input chip c requests the CPU for, or -1. */
static int request(const struct pic_chip *c, bool is_master)
{
	int best;

	if (!working(c))
		return -1;
	best = best_of(c, c->irr & (uint8_t)~c->imr);
	return best >= 0 && passes(c, is_master, (unsigned)best) ? best : -1;
}

static void set_input(struct pic_chip *c, unsigned i, bool high)
{
	uint8_t bit = (uint8_t)(1u << i);

	/* The request latch follows the line: a request whose line falls
	 * before the acknowledge is gone (a default IR 7 if the CPU was
	 * already told), in edge and level mode alike. */
	if (high && (c->level || !(c->input & bit)))
		c->irr |= bit;
	else if (!high)
		c->irr &= (uint8_t)~bit;
	c->input = high ? (uint8_t)(c->input | bit) : (uint8_t)(c->input & ~bit);
}

static bool is_cascade(const struct pic *p, unsigned i)
{
	const struct pic_chip *m = &p->chip[MASTER];

	/* Only if ICW3 says a slave is there; else IR 2 is a plain input. */
	return !m->single && (m->cascade & (1u << PIC_CASCADE_IRQ)) && i == PIC_CASCADE_IRQ;
}

/* The slave's INT output onto the master's input 2. */
static void update_cascade(struct pic *p)
{
	set_input(&p->chip[MASTER], PIC_CASCADE_IRQ, request(&p->chip[SLAVE], false) >= 0);
}

void pic_set_irq(struct pic *p, unsigned irq, bool high)
{
	if (irq >= PIC_NIRQ)
		return;
	set_input(&p->chip[irq >> 3], irq & 7, high);
	update_cascade(p);
}

/* INTA on one chip for input i. */
static void take(struct pic_chip *c, unsigned i)
{
	uint8_t bit = (uint8_t)(1u << i);

	if (!c->level)
		c->irr &= (uint8_t)~bit;
	if (!c->auto_eoi)
		c->isr |= bit;
	else if (c->rotate_on_auto_eoi)
		c->lowest = (uint8_t)i;
}

int pic_pending(const struct pic *p)
{
	const struct pic_chip *m = &p->chip[MASTER], *s = &p->chip[SLAVE];
	int i = request(m, true), j;

	if (i < 0)
		return -1;
	if (!is_cascade(p, (unsigned)i))
		return m->vector_base + i;
	j = request(s, false);
	return s->vector_base + (j < 0 ? SPURIOUS_INPUT : j);
}

uint8_t pic_acknowledge(struct pic *p)
{
	struct pic_chip *m = &p->chip[MASTER], *s = &p->chip[SLAVE];
	int i = request(m, true), j;
	uint8_t vector;

	if (i < 0)
		return (uint8_t)(m->vector_base + SPURIOUS_INPUT);
	take(m, (unsigned)i);
	p->acknowledged++;
	if (!is_cascade(p, (unsigned)i))
		return (uint8_t)(m->vector_base + i);
	j = request(s, false);
	if (j < 0) {
		vector = (uint8_t)(s->vector_base + SPURIOUS_INPUT);
	} else {
		take(s, (unsigned)j);
		vector = (uint8_t)(s->vector_base + j);
	}
	/* INTA ends the slave's request: a further one is a new edge. */
	set_input(m, PIC_CASCADE_IRQ, false);
	update_cascade(p);
	return vector;
}

bool pic_irq_open(const struct pic *p, unsigned irq)
{
	if (irq >= PIC_NIRQ)
		return false;
	if (irq < 8)
		return passes(&p->chip[MASTER], true, irq);
	return passes(&p->chip[SLAVE], false, irq & 7) && is_cascade(p, PIC_CASCADE_IRQ) &&
	       passes(&p->chip[MASTER], true, PIC_CASCADE_IRQ);
}

/* ICW1 resets the edge sense (a line already high must fall and rise
 * again to request; in level mode its level is a request at once). */
static void icw1(struct pic_chip *c, uint8_t v)
{
	uint8_t vector_base = c->vector_base, cascade = c->cascade, input = c->input;
	bool level = v & 0x08;

	*c = (struct pic_chip){
		.vector_base = vector_base, .cascade = cascade, .input = input,
		.irr = level ? input : 0, .lowest = 7, .init_step = 2, .initialised = true,
		.need_icw4 = v & 0x01, .single = v & 0x02, .level = level, .x86 = true,
	};
}

/* OCW2: end of interrupt, rotation, priority. */
static void ocw2(struct pic_chip *c, uint8_t v)
{
	unsigned level = v & 7;
	int top = best_of(c, c->isr);

	switch (v >> 5) {
	case 0:	/* rotate in automatic EOI mode: clear */
		c->rotate_on_auto_eoi = false;
		break;
	case 1:	/* non-specific EOI */
		if (top >= 0)
			c->isr &= (uint8_t)~(1u << top);
		break;
	case 3:	/* specific EOI */
		c->isr &= (uint8_t)~(1u << level);
		break;
	case 4:	/* rotate in automatic EOI mode: set */
		c->rotate_on_auto_eoi = true;
		break;
	case 5:	/* rotate on non-specific EOI */
		if (top >= 0) {
			c->isr &= (uint8_t)~(1u << top);
			c->lowest = (uint8_t)top;
		}
		break;
	case 6:	/* set priority */
		c->lowest = (uint8_t)level;
		break;
	case 7:	/* rotate on specific EOI */
		c->isr &= (uint8_t)~(1u << level);
		c->lowest = (uint8_t)level;
		break;
	default:	/* 2: no operation */
		break;
	}
}

static void ocw3(struct pic_chip *c, uint8_t v)
{
	if (v & 0x04)
		c->poll = true;
	if (v & 0x02)
		c->read_isr = v & 0x01;
	if (v & 0x40)
		c->special_mask = v & 0x20;
}

static void write_port(struct pic *p, unsigned n, unsigned port, uint8_t v)
{
	struct pic_chip *c = &p->chip[n];

	if (port == 0 && (v & 0x10)) {
		icw1(c, v);
	} else if (port == 0) {
		if (v & 0x08)
			ocw3(c, v);
		else
			ocw2(c, v);
	} else if (c->init_step == 2) {
		c->vector_base = v & 0xf8;
		c->init_step = !c->single ? 3 : c->need_icw4 ? 4 : 0;
	} else if (c->init_step == 3) {
		c->cascade = v;
		c->init_step = c->need_icw4 ? 4 : 0;
	} else if (c->init_step == 4) {
		c->x86 = v & 0x01;
		c->auto_eoi = v & 0x02;
		c->fully_nested = v & 0x10;
		c->init_step = 0;
	} else {
		c->imr = v;
	}
	update_cascade(p);
}

static uint8_t read_port(struct pic *p, unsigned n, unsigned port)
{
	struct pic_chip *c = &p->chip[n];
	int i;

	if (!c->poll)
		return port == 1 ? c->imr : c->read_isr ? c->isr : c->irr;
	/* Poll: the next read, at either port, acknowledges the request as
	 * INTA would. */
	c->poll = false;
	i = request(c, n == MASTER);
	if (i < 0)
		return 0;
	take(c, (unsigned)i);
	update_cascade(p);
	return (uint8_t)(0x80 | i);
}

static void chip_pio(struct pic *p, unsigned n, uint16_t offset, uint8_t *data, unsigned size,
		     bool is_write)
{
	/* A wider access reaches the next ports byte by byte, as on the ISA bus. */
	for (unsigned i = 0; i < size; i++) {
		unsigned port = offset + i;

		if (port >= PIC_NPORTS) {
			if (!is_write)
				data[i] = 0xff;
		} else if (is_write) {
			write_port(p, n, port, data[i]);
		} else {
			data[i] = read_port(p, n, port);
		}
	}
}

void pic_master_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	chip_pio(ctx, MASTER, offset, data, size, is_write);
}

void pic_slave_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	chip_pio(ctx, SLAVE, offset, data, size, is_write);
}

void pic_init(struct pic *p)
{
	memset(p, 0, sizeof(*p));
	for (unsigned n = 0; n < 2; n++) {
		p->chip[n].imr = 0xff;
		p->chip[n].lowest = 7;
	}
}

void pic_init_like_bios(struct pic *p, uint16_t unmask)
{
	static const uint8_t master[] = { 0x11, 0x08, 1u << PIC_CASCADE_IRQ, 0x01 };
	static const uint8_t slave[] = { 0x11, 0x70, PIC_CASCADE_IRQ, 0x01 };

	for (unsigned i = 0; i < 4; i++) {
		write_port(p, MASTER, i ? 1 : 0, master[i]);
		write_port(p, SLAVE, i ? 1 : 0, slave[i]);
	}
	write_port(p, MASTER, 1, (uint8_t)~unmask);
	write_port(p, SLAVE, 1, (uint8_t)~(unmask >> 8));
}
