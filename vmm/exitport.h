/*
 * exitport.h - the test exit port, compatible with QEMU's isa-debug-exit:
 * a guest write of V to port 0xf4 ends the run with status (V << 1) | 1.
 */
#ifndef GDBVM_EXITPORT_H
#define GDBVM_EXITPORT_H

#include <stdbool.h>
#include <stdint.h>

#define EXITPORT_BASE 0xf4
#define EXITPORT_NPORTS 1

struct exitport {
	bool requested;		/* the guest wrote to the port */
	uint32_t value;		/* what it wrote */
};

/* pio_handler: reads return all ones, a write requests the end of the run. */
void exitport_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);

/* The process exit status for a written value, as isa-debug-exit gives it. */
static inline int exitport_status(uint32_t value)
{
	return (int)(((value << 1) | 1) & 0xff);
}

#endif
