/*
 * cmos.h - the CMOS RAM and real-time clock (an MC146818-style RTC) on
 * ports 0x70 (index, bit 7 the NMI mask) and 0x71 (data).
 *
 * The clock is the host's UTC time (from an injected clock function, so
 * tests control time) plus an offset the guest sets by writing the time
 * registers.  Status register B chooses BCD or binary and 12- or 24-hour
 * values; its SET bit freezes the registers the guest reads and writes
 * until it is cleared, when the written time becomes the guest's clock
 * (kept between 1970 and 2259).
 * Status A's update-in-progress bit is set during the last
 * CMOS_UIP_WINDOW_NS of every second, so a guest that waits while it is
 * set and then reads has that long before the second changes.  Status C's
 * flags (update, alarm, periodic) are computed from the clock when C is
 * read and cleared by the read; cmos_irq_line() is IRQ8 (high from a flag
 * until status C is read).  Registers 0x0E-0x7F are RAM, filled with the
 * standard PC fields by cmos_set_machine().
 */
#ifndef GDBVM_CMOS_H
#define GDBVM_CMOS_H

#include <stdbool.h>
#include <stdint.h>

#include "irq_line.h"

#define CMOS_INDEX_PORT	0x70
#define CMOS_NPORTS	2
#define CMOS_RAM_SIZE	128
#define CMOS_NMI_DISABLE 0x80	/* bit 7 of a write to port 0x70 */

/* Registers (indexes). */
enum {
	CMOS_SECONDS = 0x00, CMOS_SECONDS_ALARM = 0x01,
	CMOS_MINUTES = 0x02, CMOS_MINUTES_ALARM = 0x03,
	CMOS_HOURS = 0x04, CMOS_HOURS_ALARM = 0x05,
	CMOS_WEEKDAY = 0x06, CMOS_DAY = 0x07, CMOS_MONTH = 0x08, CMOS_YEAR = 0x09,
	CMOS_STATUS_A = 0x0a, CMOS_STATUS_B = 0x0b, CMOS_STATUS_C = 0x0c,
	CMOS_STATUS_D = 0x0d,
	CMOS_FLOPPY = 0x10, CMOS_EQUIPMENT = 0x14,
	CMOS_BASE_LO = 0x15, CMOS_BASE_HI = 0x16,
	CMOS_EXT_LO = 0x17, CMOS_EXT_HI = 0x18,
	CMOS_CHECKSUM_HI = 0x2e, CMOS_CHECKSUM_LO = 0x2f,
	CMOS_EXT2_LO = 0x30, CMOS_EXT2_HI = 0x31,
	CMOS_CENTURY = 0x32,
	CMOS_HIGH_LO = 0x34, CMOS_HIGH_HI = 0x35,
};

/* Status A */
#define CMOS_A_UIP	0x80	/* update in progress (read only) */
#define CMOS_A_DV	0x70	/* divider bits: 010 = 32.768 kHz time base, running */
#define CMOS_A_RS	0x0f	/* periodic interrupt rate */
#define CMOS_A_DEFAULT	0x26	/* time base running, 1024 Hz periodic rate */
/* Status B */
#define CMOS_B_SET	0x80	/* freeze the update; time writes set the clock */
#define CMOS_B_PIE	0x40
#define CMOS_B_AIE	0x20
#define CMOS_B_UIE	0x10
#define CMOS_B_SQWE	0x08
#define CMOS_B_DM	0x04	/* values in binary (clear: BCD) */
#define CMOS_B_24H	0x02	/* 24-hour clock (clear: 12-hour, bit 7 of hours = PM) */
#define CMOS_B_DSE	0x01
#define CMOS_B_DEFAULT	CMOS_B_24H
/* Status C */
#define CMOS_C_IRQF	0x80
#define CMOS_C_PF	0x40
#define CMOS_C_AF	0x20
#define CMOS_C_UF	0x10
/* Status D */
#define CMOS_D_VRT	0x80	/* the RAM and time are valid (battery good) */

#define CMOS_UIP_WINDOW_NS	INT64_C(2000000)	/* 2 ms before each second */
#define CMOS_HOURS_PM	0x80

/* The host clock: nanoseconds since the Unix epoch (UTC). */
typedef int64_t (*cmos_clock_fn)(void *ctx);

/* The clock gdbvm uses: CLOCK_REALTIME. */
int64_t cmos_host_clock(void *ctx);

#define CMOS_IRQ 8	/* the RTC's input on the PICs (the slave's first) */

struct cmos {
	uint8_t ram[CMOS_RAM_SIZE];	/* time registers hold their last values */
	uint8_t index;			/* selected register, 0-127 */
	bool nmi_disabled;		/* bit 7 of the last index write */
	cmos_clock_fn clock;
	void *clock_ctx;
	int64_t offset_ns;		/* guest time = host time + offset */
	int64_t flags_ns;		/* guest time when status C was last read */
	/* IRQ 8, lowered at once when a read of status C clears the flags (the
	 * controller then sees the next flag as a new edge, however soon it
	 * comes); raised by the interrupt core's sync (irq.c).  Not connected
	 * after cmos_init: set it afterwards. */
	struct irq_line irq;
};

/* What the machine has, for the standard CMOS RAM fields. */
struct cmos_machine {
	uint64_t ram_bytes;	/* guest RAM */
	unsigned base_kib;	/* conventional memory (at most 640) */
	uint8_t floppy_type;	/* drive A's CMOS type (1-5), 0 for none */
};

/* Power-on state: RAM cleared, status A-D at their defaults. */
void cmos_init(struct cmos *c, cmos_clock_fn clock, void *clock_ctx);

/* Fill the memory, equipment and floppy fields and the checksum. */
void cmos_set_machine(struct cmos *c, const struct cmos_machine *mach);

/* The CMOS drive type for a floppy of this geometry (0: not a floppy size). */
uint8_t cmos_floppy_type(uint32_t cylinders, uint32_t heads, uint32_t sectors);

/* The checksum over 0x10-0x2D, as stored big-endian at 0x2E-0x2F. */
uint16_t cmos_checksum(const struct cmos *c);

/* Register access as the guest sees it through port 0x71. */
uint8_t cmos_read(struct cmos *c, uint8_t reg);
void cmos_write(struct cmos *c, uint8_t reg, uint8_t value);

/*
 * Whether IRQ8 would be asserted now (status C's IRQF after the flags are
 * brought up to date), for the interrupt controller that comes later.
 */
bool cmos_irq_line(struct cmos *c);

/*
 * Nanoseconds from now until the next event that raises IRQ8 (a periodic,
 * update or alarm flag whose interrupt status B enables), or -1 when none
 * is enabled.  An alarm is looked for second by second, so this may be a
 * second that ends without one: the caller simply asks again.
 */
int64_t cmos_next_irq_in_ns(struct cmos *c);

/* pio_handler for ports 0x70-0x71 (ctx is the struct cmos). */
void cmos_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);

#endif
