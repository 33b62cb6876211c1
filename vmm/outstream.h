/*
 * outstream.h - buffered output to one descriptor, shared by the devices
 * that print there (COM1 and the port-E9 debug console both write stdout
 * through one stream, so their bytes come out in the order the guest wrote
 * them).
 *
 * A terminal is written at once, a pipe or socket at each newline, a
 * regular file when the buffer fills; every stream is also flushed when
 * asked (the guest waits for input, the run stops).
 */
#ifndef GDBVM_OUTSTREAM_H
#define GDBVM_OUTSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OUTSTREAM_BUF_SIZE 4096

struct out_stream {
	int fd;
	bool direct;		/* write through at once (a terminal) */
	bool lines;		/* flush at each newline (a pipe or socket) */
	bool error;		/* a write failed; further bytes are dropped */
	bool dropped;		/* a byte found the buffer full after a flush gave up */
	/*
	 * Optional: true when the vCPU is asked to stop (a signal, a
	 * debugger's interrupt).  A flush then waits for no reader: when the
	 * descriptor cannot take a write at once it gives up, keeping its
	 * bytes, so a stalled reader cannot hold the vCPU.
	 */
	bool (*give_up)(void *ctx);
	void *give_up_ctx;
	size_t len;
	uint8_t buf[OUTSTREAM_BUF_SIZE];
	uint8_t last;		/* the last byte put (0: none yet) */
};

void outstream_init(struct out_stream *s, int fd);

/* Append a byte, flushing as the descriptor's kind says. */
void outstream_put(struct out_stream *s, uint8_t byte);

/* Write out what is buffered. 0, -errno from write(2), or -EINTR when
 * give_up() said to stop waiting (what is unwritten stays buffered). */
int outstream_flush(struct out_stream *s);

/* Flush; false when any byte was lost (a write error, a full buffer). */
bool outstream_finish(struct out_stream *s);

#endif
