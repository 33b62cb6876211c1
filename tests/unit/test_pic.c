/* test_pic.c - tests the 8259A pair (vmm/pic.c) against the behaviour the
 * Intel 8259A datasheet describes: the ICW1-ICW4 sequences, masks, edge and
 * level triggering, the IRR/ISR reads and polling, priorities, EOI and
 * rotation, automatic EOI, special mask and special fully nested modes,
 * the cascade, spurious (default) IRQ 7, and hostile port writes.  The
 * chips are driven through their ports as a guest would. */
#include "pic.h"
#include "suites.h"
#include "tap.h"

#include <stdio.h>

#define M 0x20	/* master command port; M + 1 the data port */
#define S 0xa0	/* slave */

/* OCW3 words */
#define READ_IRR 0x0a
#define READ_ISR 0x0b
#define POLL 0x0c
#define SET_SMM 0x68
#define CLEAR_SMM 0x48
/* OCW2 words (the level, where there is one, in bits 2-0) */
#define EOI 0x20
#define SPECIFIC_EOI 0x60
#define ROTATE_EOI 0xa0
#define ROTATE_SPECIFIC_EOI 0xe0
#define SET_PRIORITY 0xc0
#define ROTATE_AEOI_SET 0x80
#define ROTATE_AEOI_CLEAR 0x00
#define NOP 0x40

static void out(struct pic *p, uint16_t port, uint8_t v)
{
	if (port & 0x80)
		pic_slave_pio(p, (uint16_t)(port - S), &v, 1, true);
	else
		pic_master_pio(p, (uint16_t)(port - M), &v, 1, true);
}

static uint8_t in(struct pic *p, uint16_t port)
{
	uint8_t v = 0;

	if (port & 0x80)
		pic_slave_pio(p, (uint16_t)(port - S), &v, 1, false);
	else
		pic_master_pio(p, (uint16_t)(port - M), &v, 1, false);
	return v;
}

static uint8_t irr(struct pic *p, uint16_t port)
{
	out(p, port, READ_IRR);
	return in(p, port);
}

static uint8_t isr(struct pic *p, uint16_t port)
{
	out(p, port, READ_ISR);
	return in(p, port);
}

/* ICW1, ICW2, ICW3 (unless single), ICW4 (if ICW1 asks) to one chip. */
static void icws(struct pic *p, uint16_t port, uint8_t icw1, uint8_t icw2, uint8_t icw3,
		 uint8_t icw4)
{
	out(p, port, icw1);
	out(p, (uint16_t)(port + 1), icw2);
	if (!(icw1 & 0x02))
		out(p, (uint16_t)(port + 1), icw3);
	if (icw1 & 0x01)
		out(p, (uint16_t)(port + 1), icw4);
}

/* The pair as a PC programs it, with the given ICW1 and ICW4s and vectors
 * 20h-27h and 28h-2Fh, every input unmasked. */
static void setup_with(struct pic *p, uint8_t icw1, uint8_t master_icw4, uint8_t slave_icw4)
{
	pic_init(p);
	icws(p, M, icw1, 0x20, 0x04, master_icw4);
	icws(p, S, icw1, 0x28, 0x02, slave_icw4);
	out(p, M + 1, 0x00);
	out(p, S + 1, 0x00);
}

static void setup(struct pic *p)
{
	setup_with(p, 0x11, 0x01, 0x01);
}

/* A rising edge on irq; the line stays high. */
static void edge(struct pic *p, unsigned irq)
{
	pic_set_irq(p, irq, false);
	pic_set_irq(p, irq, true);
}

/* The line goes low. */
static void lower(struct pic *p, unsigned irq)
{
	pic_set_irq(p, irq, false);
}

/* The CPU takes the interrupt that is pending: -1 if none was. */
static int take(struct pic *p)
{
	int v = pic_pending(p);

	if (v < 0)
		return -1;
	return pic_acknowledge(p);
}

/* ---- initialisation ---- */

static void test_power_on(void)
{
	struct pic p;

	pic_init(&p);
	CHECK_HEX(in(&p, M + 1), 0xff, "power on: the master's inputs are masked");
	CHECK_HEX(in(&p, S + 1), 0xff, "power on: the slave's inputs are masked");
	pic_set_irq(&p, 0, true);
	pic_set_irq(&p, 8, true);
	CHECK_INT(pic_pending(&p), -1, "power on: nothing is delivered before initialisation");
	CHECK(!pic_irq_open(&p, 0), "power on: IRQ 0 is not open");
	CHECK(!pic_irq_open(&p, 8), "power on: IRQ 8 is not open");
	out(&p, M + 1, 0x00);
	CHECK_INT(pic_pending(&p), -1, "an uninitialised chip delivers nothing even unmasked");
}

static void test_icw_cascade(void)
{
	struct pic p;

	pic_init(&p);
	out(&p, M, 0x11);
	CHECK_HEX(in(&p, M + 1), 0x00, "ICW1 clears the mask register");
	out(&p, M + 1, 0x30);
	out(&p, M + 1, 0x04);
	out(&p, M + 1, 0x01);
	icws(&p, S, 0x11, 0x38, 0x02, 0x01);
	CHECK_HEX(in(&p, M + 1), 0x00, "ICW2-ICW4 do not reach the mask register");
	out(&p, M + 1, 0xa5);
	CHECK_HEX(in(&p, M + 1), 0xa5, "after ICW4 the data port writes the mask (OCW1)");
	out(&p, M + 1, 0x00);
	edge(&p, 1);
	CHECK_INT(take(&p), 0x31, "IRQ 1 comes as ICW2's base 30h + 1");
	out(&p, M, EOI);
	edge(&p, 13);
	CHECK_INT(take(&p), 0x3d, "IRQ 13 comes as the slave's base 38h + 5");
}

static void test_icw2_low_bits(void)
{
	struct pic p;

	pic_init(&p);
	icws(&p, M, 0x11, 0x47, 0x04, 0x01);
	icws(&p, S, 0x11, 0x7b, 0x02, 0x01);
	out(&p, M + 1, 0x00);
	out(&p, S + 1, 0x00);
	edge(&p, 0);
	CHECK_INT(take(&p), 0x40, "ICW2 bits 2-0 are ignored in 8086 mode (47h gives 40h)");
	out(&p, M, EOI);
	edge(&p, 15);
	CHECK_INT(take(&p), 0x7f, "slave ICW2 7Bh gives vectors 78h-7Fh");
}

static void test_icw_single(void)
{
	struct pic p;

	pic_init(&p);
	/* Single, with ICW4: no ICW3, so the third write is ICW4. */
	out(&p, M, 0x13);
	out(&p, M + 1, 0x50);
	out(&p, M + 1, 0x03);	/* ICW4: 8086, automatic EOI */
	out(&p, M + 1, 0xf7);	/* OCW1 */
	CHECK_HEX(in(&p, M + 1), 0xf7, "single mode with ICW4: ICW2, ICW4, then the mask");
	edge(&p, 3);
	CHECK_INT(take(&p), 0x53, "single mode: IRQ 3 is vector 53h");
	CHECK_HEX(isr(&p, M), 0x00, "single mode: the third write was ICW4 (automatic EOI)");

	/* Single, no ICW4: ICW2 ends the sequence. */
	pic_init(&p);
	out(&p, M, 0x12);
	out(&p, M + 1, 0x50);
	out(&p, M + 1, 0x3c);
	CHECK_HEX(in(&p, M + 1), 0x3c, "single mode without ICW4: the write after ICW2 is the mask");
}

static void test_icw_no_icw4(void)
{
	struct pic p;

	/* Cascade, no ICW4: ICW2, ICW3, then OCW1.  A real chip would be in
	 * MCS-80/85 mode (ICW4's functions all zero); gdbvm's documented
	 * simplification (docs/interrupts.md) keeps it in 8086 mode. */
	pic_init(&p);
	out(&p, M, 0x10);
	out(&p, M + 1, 0x20);
	out(&p, M + 1, 0x04);
	out(&p, M + 1, 0x5a);
	CHECK_HEX(in(&p, M + 1), 0x5a, "cascade without ICW4: the write after ICW3 is the mask");
	out(&p, M + 1, 0x00);
	edge(&p, 0);
	CHECK_INT(take(&p), 0x20, "without ICW4: 8086 vectors (the documented simplification)");
	CHECK_HEX(isr(&p, M), 0x01, "without ICW4: no automatic EOI");

	/* An ICW4 with uPM clear (MCS-80/85 mode): no 8086 vector. */
	icws(&p, M, 0x11, 0x20, 0x04, 0x00);
	out(&p, M + 1, 0x00);
	edge(&p, 0);
	CHECK_INT(pic_pending(&p), -1, "ICW4 with uPM = 0: no 8086 vector is delivered");
	CHECK(!pic_irq_open(&p, 0), "an MCS-80/85 mode chip's inputs are not open");
	icws(&p, M, 0x11, 0x20, 0x04, 0x01);
	out(&p, M + 1, 0x00);
	edge(&p, 0);
	CHECK_INT(take(&p), 0x20, "re-initialised with uPM = 1, IRQ 0 is delivered");
}

static void test_icw_restart(void)
{
	struct pic p;

	pic_init(&p);
	out(&p, M, 0x11);
	out(&p, M + 1, 0x60);
	CHECK_INT(pic_pending(&p), -1, "no vector mid-way through the ICWs");
	/* ICW1 again, mid-way: the sequence starts over. */
	out(&p, M, 0x11);
	out(&p, M + 1, 0x30);
	out(&p, M + 1, 0x04);
	out(&p, M + 1, 0x01);
	out(&p, M + 1, 0xfe);
	CHECK_HEX(in(&p, M + 1), 0xfe, "a second ICW1 restarts the sequence at ICW2");
	edge(&p, 0);
	CHECK_INT(take(&p), 0x30, "the restarted sequence's ICW2 is the base");
}

static void test_icw1_resets(void)
{
	struct pic p;

	setup(&p);
	out(&p, M + 1, 0xff);
	out(&p, M, SET_PRIORITY | 4);	/* IR 5 highest */
	out(&p, M, SET_SMM);
	out(&p, M, READ_ISR);
	icws(&p, M, 0x11, 0x20, 0x04, 0x01);
	CHECK_HEX(in(&p, M + 1), 0x00, "ICW1 clears the mask");
	edge(&p, 3);
	edge(&p, 6);
	CHECK_HEX(in(&p, M), 0x48, "ICW1 selects the IRR for reads");
	CHECK_INT(take(&p), 0x23, "ICW1 makes IR 0 highest, IR 7 lowest again");
	out(&p, M + 1, 0x08);	/* mask IR 3 (in service) */
	CHECK_INT(pic_pending(&p), -1, "ICW1 clears special mask mode: IR 6 waits for IR 3's EOI");
	lower(&p, 3);
	lower(&p, 6);

	/* The edge sense is reset: a line high through ICW1 must go low and
	 * high again before it requests. */
	setup(&p);
	pic_set_irq(&p, 4, true);
	icws(&p, M, 0x11, 0x20, 0x04, 0x01);
	CHECK_INT(pic_pending(&p), -1, "a line high through ICW1 does not request");
	pic_set_irq(&p, 4, true);
	CHECK_INT(pic_pending(&p), -1, "the line said high again is still no edge");
	edge(&p, 4);
	CHECK_INT(take(&p), 0x24, "low then high requests");

	/* Level mode: a high level is a request, whenever it was raised. */
	setup(&p);
	pic_set_irq(&p, 5, true);
	icws(&p, M, 0x19, 0x20, 0x04, 0x01);
	CHECK_INT(pic_pending(&p), 0x25, "level mode: a line high through ICW1 requests");
}

static void test_bios_like(void)
{
	struct pic p;

	pic_init(&p);
	pic_init_like_bios(&p, 0x0007);
	CHECK_HEX(in(&p, M + 1), 0xf8, "like the BIOS: master mask F8h (IRQ 0-2 open)");
	CHECK_HEX(in(&p, S + 1), 0xff, "like the BIOS: slave mask FFh");
	edge(&p, 0);
	CHECK_INT(take(&p), 0x08, "like the BIOS: IRQ 0 is vector 08h");
	CHECK_HEX(isr(&p, M), 0x01, "like the BIOS: no automatic EOI");
	out(&p, M, EOI);
	edge(&p, 1);
	CHECK_INT(take(&p), 0x09, "like the BIOS: IRQ 1 is vector 09h");
	out(&p, M, EOI);
	CHECK_INT(pic_pending(&p), -1, "like the BIOS: edge triggered (IRQ 1 held high, no repeat)");
	edge(&p, 8);
	CHECK_INT(pic_pending(&p), -1, "like the BIOS: IRQ 8 is masked on the slave");
	CHECK(!pic_irq_open(&p, 8), "like the BIOS: IRQ 8 not open");
	CHECK(pic_irq_open(&p, 0), "like the BIOS: IRQ 0 open");
	CHECK(!pic_irq_open(&p, 3), "like the BIOS: IRQ 3 not open");
	edge(&p, 3);
	CHECK_INT(pic_pending(&p), -1, "like the BIOS: IRQ 3 is masked");

	pic_init(&p);
	pic_init_like_bios(&p, 0xffff);
	for (unsigned irq = 0; irq < 16; irq++) {
		int want;

		if (irq == PIC_CASCADE_IRQ)
			continue;	/* the slave's line, no device's */
		want = irq < 8 ? 0x08 + (int)irq : 0x70 + (int)(irq - 8);

		edge(&p, irq);
		CHECK_INT(take(&p), want, "like the BIOS, all open: IRQ %u is vector %02xh", irq,
			  (unsigned)want);
		lower(&p, irq);
		if (irq >= 8)
			out(&p, S, EOI);
		out(&p, M, EOI);
	}
	CHECK_HEX(isr(&p, M) | isr(&p, S), 0x00, "every in-service bit ended by EOI");
}

/* ---- masks, triggering, register reads ---- */

static void test_mask(void)
{
	struct pic p;

	setup(&p);
	out(&p, M + 1, 0x08);
	edge(&p, 3);
	CHECK_INT(pic_pending(&p), -1, "a masked request is not delivered");
	CHECK_HEX(irr(&p, M), 0x08, "a masked request stays in the IRR");
	CHECK(!pic_irq_open(&p, 3), "a masked input is not open");
	CHECK(pic_irq_open(&p, 4), "the other inputs are open");
	out(&p, M + 1, 0x00);
	CHECK_INT(take(&p), 0x23, "unmasked, the held request is delivered");
	out(&p, M, EOI);
	out(&p, M + 1, 0x01);
	edge(&p, 0);
	edge(&p, 5);
	CHECK_INT(take(&p), 0x25, "a masked higher input does not hold back a lower one");
	out(&p, M, EOI);
	out(&p, S + 1, 0x10);
	edge(&p, 12);
	CHECK_INT(pic_pending(&p), -1, "the slave's mask holds back IRQ 12");
	CHECK(!pic_irq_open(&p, 12), "IRQ 12 masked on the slave is not open");
	CHECK(pic_irq_open(&p, 13), "IRQ 13 open");
}

static void test_edge(void)
{
	struct pic p;

	setup(&p);
	edge(&p, 4);
	CHECK_INT(take(&p), 0x24, "a rising edge requests");
	CHECK_HEX(irr(&p, M), 0x00, "the acknowledge clears the IRR bit");
	out(&p, M, EOI);
	CHECK_INT(pic_pending(&p), -1, "the line held high does not request again");
	pic_set_irq(&p, 4, true);
	CHECK_INT(pic_pending(&p), -1, "nor when it is said high again");
	edge(&p, 4);
	CHECK_INT(take(&p), 0x24, "low then high requests again");
	out(&p, M, EOI);

	/* Two edges before the CPU takes the first: one request. */
	edge(&p, 6);
	edge(&p, 6);
	CHECK_INT(take(&p), 0x26, "two edges, one interrupt...");
	out(&p, M, EOI);
	CHECK_INT(pic_pending(&p), -1, "...and no second");

	/* A request must stay high until the acknowledge. */
	edge(&p, 5);
	CHECK_HEX(irr(&p, M), 0x20, "IR 5 requests");
	lower(&p, 5);
	CHECK_HEX(irr(&p, M), 0x00, "edge mode: the request goes away with the line");
	CHECK_INT(pic_pending(&p), -1, "edge mode: nothing pending once the line fell");
}

static void test_level(void)
{
	struct pic p;

	setup_with(&p, 0x19, 0x01, 0x01);
	pic_set_irq(&p, 3, true);
	CHECK_INT(take(&p), 0x23, "level mode: a high line requests");
	CHECK_HEX(irr(&p, M), 0x08, "level mode: the IRR follows the line after the acknowledge");
	CHECK_INT(pic_pending(&p), -1, "level mode: in service, the level does not interrupt itself");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x23, "level mode: still high at the EOI, a second interrupt");
	lower(&p, 3);
	out(&p, M, EOI);
	CHECK_INT(pic_pending(&p), -1, "level mode: removed before the EOI, no further interrupt");
	CHECK_HEX(irr(&p, M), 0x00, "level mode: the IRR bit falls with the line");
	pic_set_irq(&p, 3, true);
	pic_set_irq(&p, 3, true);
	CHECK_INT(take(&p), 0x23, "level mode: a level needs no edge");
	lower(&p, 3);
	out(&p, M, EOI);

	/* Level with automatic EOI: a line still high interrupts again at once. */
	setup_with(&p, 0x19, 0x03, 0x01);
	pic_set_irq(&p, 6, true);
	CHECK_INT(take(&p), 0x26, "level + AEOI: first interrupt");
	CHECK_INT(pic_pending(&p), 0x26, "level + AEOI: the line still high requests again");
	lower(&p, 6);
	CHECK_INT(pic_pending(&p), -1, "level + AEOI: the line low, nothing");

	/* Level on the slave. */
	setup_with(&p, 0x19, 0x01, 0x01);
	pic_set_irq(&p, 10, true);
	CHECK_INT(take(&p), 0x2a, "level mode: IRQ 10 through the cascade");
	lower(&p, 10);
	out(&p, S, EOI);
	out(&p, M, EOI);
	CHECK_INT(pic_pending(&p), -1, "level mode: IRQ 10 low, nothing");
}

static void test_register_reads(void)
{
	struct pic p;

	setup(&p);
	edge(&p, 1);
	edge(&p, 6);
	CHECK_HEX(in(&p, M), 0x42, "after initialisation the command port reads the IRR");
	CHECK_INT(take(&p), 0x21, "IRQ 1 taken");
	CHECK_HEX(isr(&p, M), 0x02, "OCW3 RR=1 RIS=1: the ISR");
	CHECK_HEX(in(&p, M), 0x02, "the ISR selection stays for further reads");
	out(&p, M, 0x08);	/* OCW3, RR = 0 */
	CHECK_HEX(in(&p, M), 0x02, "OCW3 with RR = 0 keeps the selection");
	out(&p, M, 0x09);	/* RR = 0, RIS = 1 */
	out(&p, M, READ_IRR);
	CHECK_HEX(in(&p, M), 0x40, "OCW3 RR=1 RIS=0: the IRR");
	out(&p, M + 1, 0x81);
	out(&p, M, READ_ISR);
	CHECK_HEX(in(&p, M + 1), 0x81, "the data port reads the mask whatever OCW3 selects");
	out(&p, M + 1, 0x00);
	out(&p, M, EOI);
	lower(&p, 1);
	lower(&p, 6);
}

static void test_poll(void)
{
	struct pic p;

	setup(&p);
	edge(&p, 3);
	edge(&p, 5);
	out(&p, M, POLL);
	CHECK_HEX(in(&p, M), 0x83, "poll: bit 7 set, the highest request's level (3)");
	CHECK_HEX(isr(&p, M), 0x08, "poll: the read acts as the acknowledge (ISR bit 3)");
	CHECK_HEX(irr(&p, M), 0x20, "poll: IR 3 left the IRR, IR 5 waits");
	CHECK_HEX(in(&p, M), 0x20, "poll ends with its read: the next read is a register");
	out(&p, M, POLL);
	CHECK_HEX(in(&p, M) & 0x80, 0x00, "poll: IR 5 is below IR 3 in service, no request");
	out(&p, M, EOI);
	out(&p, M, POLL);
	CHECK_HEX(in(&p, M + 1), 0x85, "poll: the next read on either port is the poll");
	out(&p, M, EOI);
	out(&p, M, POLL);
	CHECK_HEX(in(&p, M) & 0x80, 0x00, "poll with no request: bit 7 clear");
	CHECK_HEX(in(&p, M + 1), 0x00, "after that poll, the data port reads the mask again");
	out(&p, M + 1, 0x10);
	edge(&p, 4);
	out(&p, M, POLL | 0x02);	/* poll and read register: poll wins */
	CHECK_HEX(in(&p, M) & 0x80, 0x00, "poll: a masked request is not polled");
	out(&p, M + 1, 0x00);
	out(&p, M, POLL | 0x03);
	CHECK_HEX(in(&p, M), 0x84, "poll wins over a read-register command in the same OCW3");
	CHECK_HEX(in(&p, M), 0x10, "the same OCW3's read-register command then applies (ISR)");
	out(&p, M, EOI);

	/* Poll in automatic EOI mode: the level is not left in service. */
	setup_with(&p, 0x11, 0x03, 0x01);
	edge(&p, 7);
	out(&p, M, POLL);
	CHECK_HEX(in(&p, M), 0x87, "poll, AEOI: level 7");
	CHECK_HEX(isr(&p, M), 0x00, "poll, AEOI: nothing left in service");

	/* Polling the slave. */
	setup(&p);
	edge(&p, 11);
	out(&p, S, POLL);
	CHECK_HEX(in(&p, S), 0x83, "poll the slave: level 3 (IRQ 11)");
	CHECK_HEX(isr(&p, S), 0x08, "poll the slave: IR 3 in service on the slave");
	CHECK_INT(pic_pending(&p), -1, "polled on the slave, nothing left to interrupt the CPU");
}

/* ---- priorities and EOI ---- */

static void test_nesting(void)
{
	struct pic p;

	setup(&p);
	edge(&p, 1);
	edge(&p, 4);
	CHECK_INT(take(&p), 0x21, "two requests: IR 1 before IR 4");
	CHECK_INT(pic_pending(&p), -1, "IR 4 waits while IR 1 is in service");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x24, "after the EOI, IR 4");
	lower(&p, 1);
	lower(&p, 4);
	out(&p, M, EOI);

	edge(&p, 5);
	CHECK_INT(take(&p), 0x25, "IR 5 taken");
	edge(&p, 3);
	CHECK(pic_irq_open(&p, 3), "IR 3 is open while IR 5 is in service");
	CHECK(!pic_irq_open(&p, 6), "IR 6 is not open while IR 5 is in service");
	CHECK(!pic_irq_open(&p, 5), "IR 5 is not open while itself in service");
	CHECK_INT(take(&p), 0x23, "the higher IR 3 preempts IR 5 in service");
	CHECK_HEX(isr(&p, M), 0x28, "both in service");
	edge(&p, 6);
	edge(&p, 5);
	CHECK_INT(pic_pending(&p), -1, "IR 6 and a new IR 5 wait");
	out(&p, M, EOI);
	CHECK_HEX(isr(&p, M), 0x20, "the non-specific EOI ends the highest in service (IR 3)");
	CHECK_INT(pic_pending(&p), -1, "IR 5 still in service: IR 5 and IR 6 wait");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x25, "after the second EOI, IR 5 again");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x26, "then IR 6");
	out(&p, M, EOI);
	CHECK_HEX(isr(&p, M), 0x00, "nothing left in service");
}

static void test_specific_eoi(void)
{
	struct pic p;

	setup(&p);
	edge(&p, 5);
	take(&p);
	edge(&p, 3);
	take(&p);
	CHECK_HEX(isr(&p, M), 0x28, "IR 3 and IR 5 in service");
	out(&p, M, SPECIFIC_EOI | 5);
	CHECK_HEX(isr(&p, M), 0x08, "specific EOI 5 ends IR 5 only");
	out(&p, M, SPECIFIC_EOI | 6);
	CHECK_HEX(isr(&p, M), 0x08, "specific EOI for a level not in service changes nothing");
	out(&p, M, NOP);
	CHECK_HEX(isr(&p, M), 0x08, "OCW2 no-operation changes nothing");
	out(&p, M, SPECIFIC_EOI | 3);
	CHECK_HEX(isr(&p, M), 0x00, "specific EOI 3 ends IR 3");
	out(&p, M, EOI);
	CHECK_HEX(isr(&p, M), 0x00, "a non-specific EOI with nothing in service is harmless");
}

static void test_rotation(void)
{
	struct pic p;

	/* Rotate on non-specific EOI: the ended level becomes the lowest. */
	setup(&p);
	edge(&p, 0);
	take(&p);
	out(&p, M, ROTATE_EOI);
	CHECK_HEX(isr(&p, M), 0x00, "rotate on non-specific EOI ends IR 0");
	lower(&p, 0);
	edge(&p, 0);
	edge(&p, 7);
	CHECK_INT(take(&p), 0x27, "after the rotation IR 0 is lowest: IR 7 before IR 0");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x20, "then IR 0");
	out(&p, M, EOI);
	lower(&p, 0);
	lower(&p, 7);

	/* A rotating EOI with nothing in service rotates nothing. */
	out(&p, M, ROTATE_EOI);
	edge(&p, 0);
	edge(&p, 7);
	CHECK_INT(take(&p), 0x27, "a rotating EOI with nothing in service leaves IR 0 lowest");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x20, "and IR 0 after IR 7");
	out(&p, M, EOI);
	lower(&p, 0);
	lower(&p, 7);

	/* Rotation changes which level a non-specific EOI ends. */
	edge(&p, 0);
	take(&p);	/* IR 0 lowest: IR 7 may preempt it */
	edge(&p, 7);
	CHECK_INT(take(&p), 0x27, "IR 7 preempts IR 0, now the lowest");
	out(&p, M, EOI);
	CHECK_HEX(isr(&p, M), 0x01, "the non-specific EOI ended IR 7, the highest in service");
	out(&p, M, EOI);

	/* Set priority: level 4 lowest, so 5 highest. */
	setup(&p);
	out(&p, M, SET_PRIORITY | 4);
	edge(&p, 3);
	edge(&p, 6);
	edge(&p, 4);
	CHECK_INT(take(&p), 0x26, "set priority 4: IR 6 (after 5) comes before IR 3");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x23, "then IR 3");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x24, "IR 4 comes last");
	out(&p, M, EOI);

	/* Rotate on specific EOI. */
	setup(&p);
	edge(&p, 3);
	take(&p);
	out(&p, M, ROTATE_SPECIFIC_EOI | 3);
	CHECK_HEX(isr(&p, M), 0x00, "rotate on specific EOI 3 ends IR 3");
	lower(&p, 3);
	edge(&p, 3);
	edge(&p, 7);
	edge(&p, 4);
	CHECK_INT(take(&p), 0x24, "after it IR 4 is highest");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x27, "then IR 7");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x23, "IR 3 is lowest");
	out(&p, M, EOI);

	/* Set priority on a specific level without an EOI leaves the ISR. */
	setup(&p);
	edge(&p, 6);
	take(&p);
	out(&p, M, SET_PRIORITY | 6);
	CHECK_HEX(isr(&p, M), 0x40, "set priority is no EOI");
	edge(&p, 5);
	CHECK_INT(take(&p), 0x25, "IR 6 made lowest: IR 5 preempts it");
}

static void test_aeoi(void)
{
	struct pic p;

	setup_with(&p, 0x11, 0x03, 0x01);
	edge(&p, 3);
	CHECK_INT(take(&p), 0x23, "AEOI: IR 3 delivered");
	CHECK_HEX(isr(&p, M), 0x00, "AEOI: the acknowledge leaves nothing in service");
	edge(&p, 6);
	CHECK_INT(take(&p), 0x26, "AEOI: a lower level comes without an EOI");
	lower(&p, 3);
	lower(&p, 6);

	/* Rotate in automatic EOI mode. */
	out(&p, M, ROTATE_AEOI_SET);
	edge(&p, 1);
	CHECK_INT(take(&p), 0x21, "rotating AEOI: IR 1 delivered");
	edge(&p, 1);
	edge(&p, 6);
	CHECK_INT(take(&p), 0x26, "rotating AEOI: IR 1 became lowest, IR 6 first");
	CHECK_INT(take(&p), 0x21, "rotating AEOI: IR 6 became lowest, then IR 1");
	out(&p, M, ROTATE_AEOI_CLEAR);
	edge(&p, 0);
	edge(&p, 7);
	CHECK_INT(take(&p), 0x27, "rotation stopped where it was: IR 1 lowest, IR 7 before IR 0");
	edge(&p, 5);
	CHECK_INT(take(&p), 0x25, "no more rotation: IR 5 before IR 0");
	CHECK_INT(take(&p), 0x20, "then IR 0");
	edge(&p, 0);
	edge(&p, 7);
	CHECK_INT(take(&p), 0x27, "the priority did not move: IR 7 still before IR 0");
}

static void test_special_mask(void)
{
	struct pic p;

	setup(&p);
	edge(&p, 3);
	take(&p);
	edge(&p, 5);
	CHECK_INT(pic_pending(&p), -1, "IR 5 waits behind IR 3 in service");
	out(&p, M + 1, 0x08);
	CHECK_INT(pic_pending(&p), -1, "masking IR 3 alone does not let IR 5 through");
	out(&p, M, 0x28);	/* ESMM = 0: SMM ignored */
	CHECK_INT(pic_pending(&p), -1, "OCW3 with SMM but not ESMM does nothing");
	out(&p, M, SET_SMM);
	CHECK(pic_irq_open(&p, 5), "special mask: IR 5 open");
	CHECK(!pic_irq_open(&p, 3), "special mask: the masked IR 3 is not open");
	CHECK_INT(take(&p), 0x25, "special mask: the lower IR 5 comes while IR 3 is in service");
	out(&p, M, SPECIFIC_EOI | 5);
	lower(&p, 3);
	edge(&p, 3);
	CHECK_INT(pic_pending(&p), -1, "special mask: the masked level itself stays held back");
	edge(&p, 1);
	CHECK_INT(take(&p), 0x21, "special mask: a higher level comes too");
	out(&p, M, SPECIFIC_EOI | 1);
	out(&p, M, CLEAR_SMM);
	out(&p, M + 1, 0x00);
	edge(&p, 6);
	CHECK_INT(pic_pending(&p), -1,
		  "special mask off: IR 3 in service holds back its new request and IR 6");
	out(&p, M, SPECIFIC_EOI | 3);
	CHECK_INT(take(&p), 0x23, "IR 3's second request is taken");
	CHECK_INT(pic_pending(&p), -1, "special mask off: IR 6 waits behind IR 3 again");
}

/* ---- the cascade ---- */

static void test_cascade(void)
{
	struct pic p;

	setup(&p);
	edge(&p, 9);
	CHECK_HEX(irr(&p, M), 0x04, "a slave request is the master's IR 2 request");
	CHECK_INT(take(&p), 0x29, "IRQ 9 arrives as the slave's vector");
	CHECK_HEX(isr(&p, M), 0x04, "the master has IR 2 in service");
	CHECK_HEX(isr(&p, S), 0x02, "the slave has IR 1 in service");
	CHECK_HEX(irr(&p, S), 0x00, "the slave's IRR bit is cleared by the acknowledge");
	edge(&p, 12);
	CHECK_INT(pic_pending(&p), -1, "IRQ 12 waits behind IRQ 9 on the slave");
	edge(&p, 8);
	CHECK_INT(pic_pending(&p), -1, "IRQ 8 waits too: the master's IR 2 is in service");
	edge(&p, 1);
	CHECK_INT(take(&p), 0x21, "master IR 1 (above IR 2) preempts the slave's work");
	out(&p, M, EOI);
	out(&p, S, EOI);
	CHECK_INT(pic_pending(&p), -1, "EOI to the slave alone: the master's IR 2 still blocks");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x28, "EOI to both: IRQ 8, the slave's highest");
	out(&p, S, EOI);
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x2c, "then IRQ 12");
	out(&p, M, EOI);
	CHECK_INT(pic_pending(&p), -1, "EOI to the master alone: IRQ 12 in service on the slave");
	edge(&p, 14);
	CHECK_INT(pic_pending(&p), -1, "a lower slave level waits for the slave's EOI");
	out(&p, S, EOI);
	CHECK_INT(take(&p), 0x2e, "then IRQ 14");
	out(&p, S, EOI);
	out(&p, M, EOI);

	/* The slave ranks at the master's level 2. */
	edge(&p, 3);
	edge(&p, 15);
	edge(&p, 0);
	CHECK_INT(take(&p), 0x20, "IR 0 before the slave");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x2f, "the slave (IR 2) before IR 3");
	out(&p, S, EOI);
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x23, "IR 3 last");
	out(&p, M, EOI);

	/* The master's IR 2 masked blocks the whole slave. */
	out(&p, M + 1, 0x04);
	edge(&p, 10);
	CHECK_INT(pic_pending(&p), -1, "the master's IR 2 masked: IRQ 10 is held back");
	CHECK(!pic_irq_open(&p, 10), "IRQ 10 is not open with the master's IR 2 masked");
	CHECK(!pic_irq_open(&p, 2), "the master's IR 2 is not open");
	CHECK_HEX(irr(&p, S), 0x04, "IRQ 10 waits in the slave's IRR");
	out(&p, M + 1, 0x00);
	CHECK(pic_irq_open(&p, 10), "IRQ 10 open again");
	CHECK_INT(take(&p), 0x2a, "unmasked, IRQ 10 arrives");
	CHECK(!pic_irq_open(&p, 11), "IRQ 11 is not open with IRQ 10 in service");
	CHECK(!pic_irq_open(&p, 8), "IRQ 8 is not open with the master's IR 2 in service");
	CHECK(pic_irq_open(&p, 1), "IRQ 1 is open above the master's IR 2");
	out(&p, S, EOI);
	out(&p, M, EOI);
	CHECK(!pic_irq_open(&p, 16), "there is no IRQ 16");
	pic_set_irq(&p, 16, true);
	pic_set_irq(&p, 200, true);
	CHECK_INT(pic_pending(&p), -1, "raising IRQ 16 or 200 does nothing");
}

static void test_cascade_more(void)
{
	struct pic p;

	/* Two slave requests at once: both come, one after the other. */
	setup(&p);
	edge(&p, 13);
	edge(&p, 11);
	CHECK_INT(take(&p), 0x2b, "IRQ 11 before IRQ 13");
	out(&p, S, EOI);
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x2d, "then IRQ 13");
	out(&p, S, EOI);
	out(&p, M, EOI);

	/* A slave in automatic EOI mode with two requests. */
	setup_with(&p, 0x11, 0x01, 0x03);
	edge(&p, 9);
	edge(&p, 14);
	CHECK_INT(take(&p), 0x29, "slave AEOI: IRQ 9");
	CHECK_HEX(isr(&p, S), 0x00, "slave AEOI: nothing in service on the slave");
	CHECK_INT(pic_pending(&p), -1, "the master still has IR 2 in service");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x2e, "after the master's EOI, IRQ 14");
	out(&p, M, EOI);

	/* Slave rotation is the slave's own. */
	setup(&p);
	out(&p, S, SET_PRIORITY | 0);
	edge(&p, 8);
	edge(&p, 15);
	CHECK_INT(take(&p), 0x2f, "slave priority: IR 0 lowest, IRQ 15 first");
	out(&p, S, EOI);
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x28, "then IRQ 8");
	out(&p, S, EOI);
	out(&p, M, EOI);

	/* A master whose ICW3 names no slave on IR 2 treats it as a plain
	 * input and gives its own vector. */
	pic_init(&p);
	icws(&p, M, 0x11, 0x20, 0x00, 0x01);
	icws(&p, S, 0x11, 0x28, 0x02, 0x01);
	out(&p, M + 1, 0x00);
	out(&p, S + 1, 0x00);
	edge(&p, 9);
	CHECK_INT(take(&p), 0x22, "master ICW3 00h: IR 2 gives the master's vector 22h");
	CHECK_HEX(isr(&p, S), 0x00, "master ICW3 00h: the slave is not acknowledged");
	CHECK(!pic_irq_open(&p, 9), "master ICW3 00h: no slave IRQ is open");

	/* A single master has no slave at all. */
	pic_init(&p);
	icws(&p, M, 0x13, 0x20, 0, 0x01);
	icws(&p, S, 0x11, 0x28, 0x02, 0x01);
	out(&p, M + 1, 0x00);
	out(&p, S + 1, 0x00);
	CHECK(!pic_irq_open(&p, 9), "single master: no slave IRQ is open");
}

static void test_sfnm(void)
{
	struct pic p;

	/* Normal nesting: a higher slave request waits for the master's EOI. */
	setup(&p);
	edge(&p, 12);
	CHECK_INT(take(&p), 0x2c, "IRQ 12 in service");
	edge(&p, 9);
	CHECK_INT(pic_pending(&p), -1, "fully nested: the higher IRQ 9 waits (master IR 2 busy)");
	CHECK(!pic_irq_open(&p, 9), "fully nested: IRQ 9 not open");

	/* Special fully nested mode on the master. */
	setup_with(&p, 0x11, 0x11, 0x01);
	edge(&p, 12);
	CHECK_INT(take(&p), 0x2c, "SFNM: IRQ 12 in service");
	CHECK(pic_irq_open(&p, 9), "SFNM: the higher IRQ 9 is open");
	CHECK(!pic_irq_open(&p, 14), "SFNM: the lower IRQ 14 is not open");
	CHECK(!pic_irq_open(&p, 5), "SFNM: the master's IR 5, below IR 2, is not open");
	edge(&p, 14);
	CHECK_INT(pic_pending(&p), -1, "SFNM: a lower slave request waits");
	edge(&p, 5);
	CHECK_INT(pic_pending(&p), -1, "SFNM: a master request below IR 2 still waits");
	edge(&p, 9);
	CHECK_INT(take(&p), 0x29, "SFNM: the higher IRQ 9 comes through the busy IR 2");
	CHECK_HEX(isr(&p, S), 0x12, "SFNM: the slave has IR 1 and IR 4 in service");
	/* The exit the datasheet gives: EOI the slave, read its ISR, EOI the
	 * master only when the slave has nothing left. */
	out(&p, S, EOI);
	CHECK_HEX(isr(&p, S), 0x10, "SFNM: after the slave's EOI, IR 4 still in service");
	CHECK_INT(pic_pending(&p), -1, "SFNM: IRQ 14 and IR 5 still wait");
	out(&p, S, EOI);
	CHECK_HEX(isr(&p, S), 0x00, "SFNM: the slave's ISR is empty");
	CHECK_INT(take(&p), 0x2e, "SFNM: IRQ 14 comes before the master's EOI");
	out(&p, S, EOI);
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x25, "SFNM: after the master's EOI, IR 5");
	out(&p, M, EOI);
	edge(&p, 1);
	edge(&p, 10);
	CHECK_INT(take(&p), 0x21, "SFNM: priorities between master levels are unchanged");
	CHECK_INT(pic_pending(&p), -1, "SFNM: the slave waits behind IR 1");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x2a, "then IRQ 10");
}

/* ---- spurious interrupts ---- */

static void test_spurious(void)
{
	struct pic p;

	setup(&p);
	edge(&p, 4);
	CHECK_INT(pic_pending(&p), 0x24, "IR 4 pending");
	lower(&p, 4);
	CHECK_INT(pic_acknowledge(&p), 0x27,
		  "IR 4 gone before the acknowledge: the master's default IR 7");
	CHECK_HEX(isr(&p, M), 0x00, "a default IR 7 sets no in-service bit");

	edge(&p, 7);
	CHECK_INT(take(&p), 0x27, "a real IR 7 ...");
	CHECK_HEX(isr(&p, M), 0x80, "... sets its in-service bit");
	CHECK_INT(pic_acknowledge(&p), 0x27, "a default IR 7 during the IR 7 routine");
	CHECK_HEX(isr(&p, M), 0x80, "leaves the ISR as it was");
	out(&p, M, EOI);

	/* Level mode, the same. */
	setup_with(&p, 0x19, 0x01, 0x01);
	pic_set_irq(&p, 6, true);
	lower(&p, 6);
	CHECK_INT(pic_acknowledge(&p), 0x27, "level mode: the line low at the acknowledge, IR 7");
	CHECK_HEX(isr(&p, M), 0x00, "level mode: nothing in service");

	/* A slave request that goes away takes the master's IR 2 request
	 * with it: the master answers with its default IR 7. */
	setup(&p);
	edge(&p, 11);
	CHECK_INT(pic_pending(&p), 0x2b, "IRQ 11 pending");
	lower(&p, 11);
	CHECK_INT(pic_pending(&p), -1, "IRQ 11 gone: nothing pending");
	CHECK_INT(pic_acknowledge(&p), 0x27, "acknowledged anyway: the master's default IR 7");
	CHECK_HEX(isr(&p, M) | isr(&p, S), 0x00, "no in-service bit on either chip");

	/* A slave request masked on the slave after it was seen. */
	edge(&p, 11);
	out(&p, S + 1, 0x08);
	CHECK_INT(pic_pending(&p), -1, "IRQ 11 masked: nothing pending");
	CHECK_INT(pic_acknowledge(&p), 0x27, "acknowledged anyway: the default IR 7");
	out(&p, S + 1, 0x00);
	CHECK_INT(take(&p), 0x2b, "unmasked, the held IRQ 11 comes");
	CHECK_INT(pic_acknowledge(&p), 0x27, "an acknowledge with nothing pending: IR 7");
	CHECK_HEX(isr(&p, M), 0x04, "and it changed no in-service bit");
}

/* ---- port widths and hostile writes ---- */

static void test_wide(void)
{
	struct pic p;
	uint8_t d[4];

	pic_init(&p);
	d[0] = 0x11;
	d[1] = 0x20;
	pic_master_pio(&p, 0, d, 2, true);	/* ICW1 at 20h, ICW2 at 21h */
	d[0] = 0x04;
	d[1] = 0x01;
	pic_master_pio(&p, 1, d, 1, true);
	pic_master_pio(&p, 1, d + 1, 1, true);
	icws(&p, S, 0x11, 0x28, 0x02, 0x01);
	d[0] = READ_ISR;
	d[1] = 0x5a;
	pic_master_pio(&p, 0, d, 2, true);	/* OCW3 and OCW1 in one */
	CHECK_HEX(in(&p, M + 1), 0x5a, "a 16-bit write at 20h writes 20h and 21h");
	out(&p, M + 1, 0x00);
	edge(&p, 0);
	CHECK_INT(take(&p), 0x20, "the 16-bit ICW1/ICW2 write initialised the master");
	d[0] = d[1] = 0;
	pic_master_pio(&p, 0, d, 2, false);
	CHECK_HEX(d[0], 0x01, "a 16-bit read at 20h: the ISR (as OCW3 chose) ...");
	CHECK_HEX(d[1], 0x00, "... and the mask at 21h");
	out(&p, M + 1, 0x3c);
	pic_master_pio(&p, 1, d, 2, false);
	CHECK_HEX(d[0], 0x3c, "a 16-bit read at 21h: the mask ...");
	CHECK_HEX(d[1], 0xff, "... and FFh from the empty port 22h");
	d[0] = 0x00;
	d[1] = 0x11;	/* would be an ICW1 if it reached a command port */
	pic_master_pio(&p, 1, d, 2, true);
	CHECK_HEX(in(&p, M + 1), 0x00, "a 16-bit write at 21h writes the mask ...");
	edge(&p, 5);
	CHECK_INT(pic_pending(&p), -1, "... and nothing else (IR 0 still in service)");
	pic_slave_pio(&p, 0, d, 4, false);
	CHECK_HEX(d[2] & d[3], 0xff, "a 32-bit read at A0h: FFh past A1h");
	out(&p, M, EOI);
	CHECK_INT(take(&p), 0x25, "the chip still works");
}

static uint32_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static bool vector_ok(const struct pic *p, int v)
{
	for (unsigned n = 0; n < 2; n++) {
		int base = p->chip[n].vector_base;

		if (v >= base && v <= base + 7)
			return true;
	}
	return false;
}

static void test_hostile(void)
{
	static const uint16_t ports[] = { M, M + 1, S, S + 1 };
	unsigned bad_pending = 0, bad_ack = 0, bad_base = 0, bad_mask = 0, delivered = 0;
	struct pic p;
	uint8_t d[4];

	rng_state = 0x8259a;
	for (unsigned round = 0; round < 200; round++) {
		pic_init(&p);
		if (round % 2)
			pic_init_like_bios(&p, (uint16_t)rng());
		for (unsigned op = 0; op < 500; op++) {
			uint32_t r = rng();
			uint16_t port = ports[r & 3];
			unsigned size = 1u << ((r >> 2) % 3);
			int v;

			d[0] = (uint8_t)(r >> 8);
			d[1] = (uint8_t)(r >> 16);
			d[2] = (uint8_t)(r >> 24);
			d[3] = (uint8_t)r;
			switch ((r >> 4) & 7) {
			case 0:
			case 1:
				/* mostly ICW1-ish and OCW-ish command bytes */
				out(&p, port, d[0]);
				break;
			case 2:
				if (port & 0x80)
					pic_slave_pio(&p, port & 1, d, size, true);
				else
					pic_master_pio(&p, port & 1, d, size, true);
				break;
			case 3:
				if (port & 0x80)
					pic_slave_pio(&p, port & 1, d, size, false);
				else
					pic_master_pio(&p, port & 1, d, size, false);
				break;
			case 4:
			case 5:
				pic_set_irq(&p, d[1] & 15, d[2] & 1);
				break;
			default:
				v = pic_pending(&p);
				if (v >= 0 && !vector_ok(&p, v))
					bad_pending++;
				if (v >= 0) {
					delivered++;
					if (!vector_ok(&p, pic_acknowledge(&p)))
						bad_ack++;
				}
				break;
			}
			v = pic_pending(&p);
			if (v >= 0 && !vector_ok(&p, v))
				bad_pending++;
			for (unsigned n = 0; n < 2; n++)
				if (p.chip[n].vector_base & 7)
					bad_base++;
			for (unsigned irq = 0; irq < PIC_NIRQ; irq++)
				if (pic_irq_open(&p, irq) && (p.chip[irq >> 3].imr & (1u << (irq & 7))))
					bad_mask++;
		}
	}
	CHECK_INT(bad_pending, 0, "random port traffic: pic_pending always within a chip's 8 vectors");
	CHECK_INT(bad_ack, 0, "random port traffic: pic_acknowledge always within a chip's 8 vectors");
	CHECK_INT(bad_base, 0, "random port traffic: vector bases stay multiples of 8");
	CHECK_INT(bad_mask, 0, "random port traffic: a masked input is never open");
	CHECK(delivered > 100, "random port traffic delivered interrupts too (%u)", delivered);
}

void test_pic(void)
{
	tap_suite("pic: the 8259A pair");
	test_power_on();
	test_icw_cascade();
	test_icw2_low_bits();
	test_icw_single();
	test_icw_no_icw4();
	test_icw_restart();
	test_icw1_resets();
	test_bios_like();
	test_mask();
	test_edge();
	test_level();
	test_register_reads();
	test_poll();
	test_nesting();
	test_specific_eoi();
	test_rotation();
	test_aeoi();
	test_special_mask();
	test_cascade();
	test_cascade_more();
	test_sfnm();
	test_spurious();
	test_wide();
	test_hostile();
}
