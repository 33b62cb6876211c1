/*
 * debugcon.c - the port-E9 debug console (see debugcon.h).
 */
#include "debugcon.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void debugcon_init(struct debugcon *d, struct out_stream *out)
{
	d->out = out;
	d->bytes = 0;
}

void debugcon_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	struct debugcon *d = ctx;

	(void)offset;
	if (size == 0)
		return;
	if (!is_write) {
		memset(data, 0xff, size);
		data[0] = DEBUGCON_READBACK;
		return;
	}
	d->bytes++;
	outstream_put(d->out, data[0]);
}

int debugcon_open(const char *path, int share_fd)
{
	struct stat a, b;
	int fd;

	if (share_fd >= 0 && stat(path, &a) == 0 && fstat(share_fd, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return share_fd;
	/* O_NONBLOCK: opening a FIFO nobody reads fails (ENXIO) instead of
	 * hanging; the stream waits for room when a write would block. */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, 0666);
	return fd < 0 ? -errno : fd;
}
