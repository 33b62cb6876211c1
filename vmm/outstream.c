/*
 * outstream.c - buffered output to a descriptor (see outstream.h).
 *
 * Buffering keeps a chatty guest from costing one write(2) per byte; the
 * flush rules keep what a reader sees live where it matters (a terminal,
 * a pipe read line by line).
 */
#include "outstream.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_regular_file(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

void outstream_init(struct out_stream *s, int fd)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->direct = isatty(fd) == 1;
	s->lines = !is_regular_file(fd);
}

/* Asked to stop, and the descriptor cannot take a write without waiting?
 * (The buffer is PIPE_BUF bytes, so a pipe with room takes it whole.) */
static bool stop_waiting(const struct out_stream *s)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };

	return s->give_up && s->give_up(s->give_up_ctx) && poll(&pfd, 1, 0) == 0;
}

int outstream_flush(struct out_stream *s)
{
	size_t done = 0;

	while (done < s->len && !s->error) {
		ssize_t n;

		if (stop_waiting(s)) {
			memmove(s->buf, s->buf + done, s->len - done);
			s->len -= done;
			return -EINTR;
		}
		n = write(s->fd, s->buf + done, s->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* A non-blocking pipe that is full: wait for room. */
			struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };

			if (poll(&pfd, 1, -1) >= 0 || errno == EINTR)
				continue;
		}
		if (n <= 0) {
			s->error = true;
			s->len = 0;
			return n < 0 ? -errno : -EIO;
		}
		done += (size_t)n;
	}
	s->len = 0;
	return 0;
}

void outstream_put(struct out_stream *s, uint8_t byte)
{
	s->last = byte;
	if (s->error)
		return;
	if (s->len == sizeof(s->buf)) {	/* a flush gave up: try again */
		outstream_flush(s);
		if (s->error)
			return;
		if (s->len == sizeof(s->buf)) {
			s->dropped = true;	/* it gave up again: no room */
			return;
		}
	}
	s->buf[s->len++] = byte;
	if (s->direct || s->len == sizeof(s->buf) || (s->lines && byte == '\n'))
		outstream_flush(s);
}

bool outstream_finish(struct out_stream *s)
{
	return outstream_flush(s) == 0 && !s->error && !s->dropped;
}
