/*
 * debugcon.h - the port-E9 debug console (Bochs's "port E9 hack", QEMU's
 * -debugcon): each byte a guest writes to port 0xe9 goes to an output
 * stream, stdout's (shared with COM1, so the two keep the guest's order)
 * or a file's (--debugcon FILE).  Reading the port gives 0xe9, which is how
 * guests detect the console.
 */
#ifndef GDBVM_DEBUGCON_H
#define GDBVM_DEBUGCON_H

#include <stdbool.h>
#include <stdint.h>

#include "outstream.h"

#define DEBUGCON_PORT 0xe9
#define DEBUGCON_NPORTS 1
#define DEBUGCON_READBACK 0xe9

struct debugcon {
	struct out_stream *out;
	uint64_t bytes;		/* bytes the guest wrote */
};

void debugcon_init(struct debugcon *d, struct out_stream *out);

/*
 * pio_handler: a write of any size sends its low byte (as Bochs and QEMU
 * do); a read gives 0xe9 in its low byte and all ones above it (the ports
 * after 0xe9 belong to nobody).
 */
void debugcon_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);

/*
 * Open --debugcon's FILE for writing: created or truncated, never blocking
 * on open (a FIFO without a reader is refused: -ENXIO).  When FILE is the
 * file share_fd is open on (/dev/stdout), it is left alone (not truncated)
 * and share_fd is returned, so the caller writes through share_fd's
 * stream.  The descriptor, or -errno.
 */
int debugcon_open(const char *path, int share_fd);

#endif
