/*
 * pio.h - the I/O port bus: a table of devices, each owning a range of
 * ports behind one handler signature, and what happens on ports nobody
 * owns (reads return all ones, writes are dropped, each port is reported
 * once on stderr).
 */
#ifndef GDBVM_PIO_H
#define GDBVM_PIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PIO_MAX_DEVICES 16

/*
 * A device's handler for one access of size 1, 2 or 4 bytes at port
 * (base + offset).  For a write, data holds the value (little-endian); for
 * a read the handler fills data.
 */
typedef void (*pio_handler)(void *ctx, uint16_t offset, uint8_t *data, unsigned size,
			    bool is_write);

struct pio_device {
	const char *name;
	uint16_t base;
	uint16_t len;
	pio_handler handler;
	void *ctx;
};

struct pio_bus {
	struct pio_device devices[PIO_MAX_DEVICES];
	unsigned ndevices;
	FILE *report;			/* where unknown ports are reported */
	uint8_t reported[65536 / 8];	/* one bit per port already reported */
};

void pio_bus_init(struct pio_bus *bus, FILE *report);

/* 0, -EINVAL for an empty or wrapping range, -EEXIST on overlap, -ENOSPC. */
int pio_register(struct pio_bus *bus, const char *name, uint16_t base, uint16_t len,
		 pio_handler handler, void *ctx);

/* The device owning port, or NULL. */
const struct pio_device *pio_find(const struct pio_bus *bus, uint16_t port);

/*
 * Carry out an I/O exit: count accesses of size bytes each (string I/O
 * repeats), data pointing at count * size bytes.
 */
void pio_dispatch(struct pio_bus *bus, uint16_t port, uint8_t *data, unsigned size,
		  uint32_t count, bool is_write);

#endif
