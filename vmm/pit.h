/*
 * pit.h - the 8254 programmable interval timer (ports 0x40-0x43) and the
 * PC's port 0x61 (channel 2's gate and output, the speaker data bit, the
 * refresh toggle).  Counting runs at 1.193182 MHz of guest time
 * (guest_clock.h).  The state is computed from the time a count was
 * loaded, so nothing ticks in the background.  Interrupts are not
 * delivered yet: channel 0's rising edges are exposed for the IRQ0 work
 * (pit_next_edge_ns, pit_edges).
 */
#ifndef GDBVM_PIT_H
#define GDBVM_PIT_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_clock.h"

#define PIT_BASE 0x40
#define PIT_NPORTS 4
#define PIT_PORT61 0x61
#define PIT_HZ 1193182u
#define PIT_REFRESH_TICKS 18	/* the PC's refresh period (channel 1, ~15 us) */

struct pit_channel {
	uint8_t mode;		/* 0-5 */
	uint8_t rw;		/* 1 low byte, 2 high byte, 3 low then high */
	bool bcd;
	bool gate;
	bool armed;		/* a count is in force (and, modes 1 and 5, triggered) */
	bool counted;		/* a count was written since the control word */
	bool frozen;		/* gate low in modes 0, 2, 3, 4: counting stopped */
	int64_t frozen_at;	/* tick counting stopped at */
	uint32_t n;		/* the count in force, 1..65536 */
	uint32_t pending;	/* a new count for the next reload or trigger (0: none) */
	int64_t pending_at;	/* tick that count was written */
	int64_t t0;		/* tick the counting element was loaded with n */
	uint64_t edges;		/* rising edges of OUT before t0 */
	uint16_t cr;		/* count register as written so far */
	bool write_hi;		/* the next count byte written is the high byte */
	bool read_hi;		/* the next unlatched read gives the high byte */
	bool count_latched;
	uint16_t latch;
	bool latch_hi;		/* the next latched read gives the high byte */
	bool status_latched;
	uint8_t status;
};

struct pit {
	struct guest_clock *clock;
	struct pit_channel ch[3];
	uint8_t port61;		/* bits 0-3 as last written */
};

void pit_init(struct pit *p, struct guest_clock *clock);

/* pio_handlers: ports 0x40-0x43, and port 0x61 (offset 0). */
void pit_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);
void pit_port61_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);

/* Channel ch's OUT now. */
bool pit_out(struct pit *p, unsigned ch);

/* Rising edges of channel ch's OUT so far (IRQ0 is edge triggered: the
 * interrupt work delivers one per edge it has not seen). */
uint64_t pit_edges(struct pit *p, unsigned ch);

/* Guest time of channel ch's next rising edge, or UINT64_MAX if none is
 * coming (not counting, gate low, or a one-shot that has fired). */
uint64_t pit_next_edge_ns(struct pit *p, unsigned ch);

/* Tick/nanosecond conversions at PIT_HZ (ns_of_tick rounds up). */
int64_t pit_tick_of_ns(uint64_t ns);
uint64_t pit_ns_of_tick(int64_t tick);

#endif
