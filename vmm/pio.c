/*
 * pio.c - I/O port dispatch through the device table (see pio.h).
 */
#include "pio.h"

#include <errno.h>
#include <string.h>

void pio_bus_init(struct pio_bus *bus, FILE *report)
{
	memset(bus, 0, sizeof(*bus));
	bus->report = report;
}

int pio_register(struct pio_bus *bus, const char *name, uint16_t base, uint16_t len,
		 pio_handler handler, void *ctx)
{
	if (len == 0 || (uint32_t)base + len > 0x10000 || !handler)
		return -EINVAL;
	for (unsigned i = 0; i < bus->ndevices; i++) {
		const struct pio_device *d = &bus->devices[i];

		if (base < d->base + d->len && d->base < base + len)
			return -EEXIST;
	}
	if (bus->ndevices == PIO_MAX_DEVICES)
		return -ENOSPC;
	bus->devices[bus->ndevices++] = (struct pio_device){
		.name = name, .base = base, .len = len, .handler = handler, .ctx = ctx,
	};
	return 0;
}

const struct pio_device *pio_find(const struct pio_bus *bus, uint16_t port)
{
	for (unsigned i = 0; i < bus->ndevices; i++) {
		const struct pio_device *d = &bus->devices[i];

		if (port >= d->base && port - d->base < d->len)
			return d;
	}
	return NULL;
}

static void unknown_port(struct pio_bus *bus, uint16_t port, uint8_t *data, unsigned size,
			 bool is_write)
{
	uint8_t bit = (uint8_t)(1u << (port & 7));

	if (!is_write)
		memset(data, 0xff, size);
	if (bus->reported[port >> 3] & bit)
		return;
	bus->reported[port >> 3] |= bit;
	if (bus->report)
		fprintf(bus->report, "gdbvm: guest %s unknown I/O port 0x%04x (%s; reported once)\n",
			is_write ? "wrote to" : "read from", port,
			is_write ? "write ignored" : "read as all ones");
}

void pio_dispatch(struct pio_bus *bus, uint16_t port, uint8_t *data, unsigned size,
		  uint32_t count, bool is_write)
{
	const struct pio_device *d = pio_find(bus, port);

	for (uint32_t i = 0; i < count; i++, data += size) {
		if (d)
			d->handler(d->ctx, (uint16_t)(port - d->base), data, size, is_write);
		else
			unknown_port(bus, port, data, size, is_write);
	}
}
