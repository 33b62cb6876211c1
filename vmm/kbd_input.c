/*
 * kbd_input.c - stdin -> keys -> scan codes -> the 8042 keyboard, with
 * flow control (see kbd_input.h).
 */
#include "kbd_input.h"
#include "display.h"
#include "scancode.h"

#include <errno.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The guest reads port 0x60 or 0x64.  Once stdin is the keyboard's, type
 * what came meanwhile.  Before, a read of either port that finds nothing
 * waiting is the guest looking for a key (polling the status, or, as the
 * crudest drivers do, the data port itself): stdin becomes the keyboard's,
 * and keys start with the next read (so a guest emptying the output
 * buffer before it starts does not throw the first keys away). */
static void before_read(void *ctx, uint16_t port)
{
	struct kbd_input *in = ctx;

	(void)port;
	if (in->claimed)
		kbd_input_pump(in);
	else if (!i8042_busy(in->kbd))
		kbd_input_claim(in);
}

void kbd_input_init(struct kbd_input *in, int fd, struct i8042 *kbd)
{
	*in = (struct kbd_input){ .fd = fd, .eof = fd < 0, .kbd = kbd };
	kbd->before_read = before_read;
	kbd->before_read_ctx = in;
}

void kbd_input_claim(struct kbd_input *in)
{
	in->claimed = true;
}

/* stdin is read while the queue has room for what one read can give: 16
 * bytes and 8 pending make at most 24 keys. */
#define READ_BYTES	16
#define READ_KEYS	(READ_BYTES + KEYMAP_MAX_PENDING)

static bool read_room(const struct kbd_input *in)
{
	return in->claimed && !in->eof &&
	       (in->interactive || in->count + READ_KEYS <= KBD_INPUT_QUEUE);
}

static void enqueue(struct kbd_input *in, const uint16_t *keys, unsigned n)
{
	for (unsigned i = 0; i < n && in->count < KBD_INPUT_QUEUE; i++)
		in->queue[(in->head + in->count++) % KBD_INPUT_QUEUE] = keys[i];
}

/* Type queued keys while they fit.  True when one went in. */
static bool type_keys(struct kbd_input *in)
{
	bool typed = false;

	while (in->count) {
		uint8_t bytes[SCANCODE_MAX];
		unsigned n = scancode_encode(in->queue[in->head], bytes);

		/* One key at a time: the next once the guest has read the last
		 * byte of this one, so keys and the replies to the guest's
		 * commands do not interleave more than they must. */
		if (n && (i8042_busy(in->kbd) || !i8042_key_room(in->kbd, n) ||
			  (in->accepts && !in->accepts(in->accepts_ctx))))
			break;
		if (n && i8042_key_bytes(in->kbd, bytes, n))
			typed = true;
		in->head = (in->head + 1) % KBD_INPUT_QUEUE;
		in->count--;
	}
	return typed;
}

/* Decode what stdin has now. */
static void read_stdin(struct kbd_input *in)
{
	struct pollfd pfd = { .fd = in->fd, .events = POLLIN };
	uint16_t keys[KEYMAP_MAX_KEYS];
	uint8_t buf[READ_BYTES];
	ssize_t n = 0;

	if (!read_room(in))
		return;
	if (poll(&pfd, 1, 0) > 0) {
		if (pfd.revents & POLLNVAL) {
			in->eof = true;
			return;
		}
		n = read(in->fd, buf, sizeof(buf));
		if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
			in->eof = true;
	}
	/* --display watches the keys for its quit key (and is told each time
	 * stdin is looked at): the keys after it are not the guest's. */
	n = (ssize_t)display_keys(buf, n > 0 ? (size_t)n : 0);
	for (ssize_t i = 0; i < n; i++) {
		bool was_pending = keymap_pending(&in->keymap);

		enqueue(in, keys, keymap_feed(&in->keymap, buf[i], keys));
		if (!was_pending && keymap_pending(&in->keymap))
			in->pending_since = now_ms();
	}
}

bool kbd_input_type(struct kbd_input *in)
{
	return in->claimed && type_keys(in);
}

bool kbd_input_pump(struct kbd_input *in)
{
	uint16_t keys[KEYMAP_MAX_KEYS];
	bool typed;

	if (!in->claimed)
		return false;
	typed = type_keys(in);
	read_stdin(in);
	if (keymap_pending(&in->keymap) && !in->count &&
	    (in->eof || now_ms() - in->pending_since >= KBD_ESC_WAIT_MS))
		enqueue(in, keys, keymap_flush(&in->keymap, keys));
	return type_keys(in) || typed;
}

int kbd_input_poll_fd(const struct kbd_input *in)
{
	return read_room(in) ? in->fd : -1;
}

int kbd_input_timeout_ms(const struct kbd_input *in)
{
	uint64_t waited;

	/* The sequence becomes keys only once the keys before it are typed:
	 * until then there is nothing to wake up for. */
	if (!in->claimed || !keymap_pending(&in->keymap) || in->count)
		return -1;
	waited = now_ms() - in->pending_since;
	return waited >= KBD_ESC_WAIT_MS ? 0 : (int)(KBD_ESC_WAIT_MS - waited);
}

bool kbd_input_can_come(const struct kbd_input *in)
{
	return !in->eof || in->count || keymap_pending(&in->keymap);
}

void kbd_input_wait(struct kbd_input *in, int ms)
{
	struct pollfd pfd = { .fd = kbd_input_poll_fd(in), .events = POLLIN };
	int t = kbd_input_timeout_ms(in);

	if (t >= 0 && t < ms)
		ms = t;
	if (pfd.fd >= 0 || ms > 0)
		poll(pfd.fd >= 0 ? &pfd : NULL, pfd.fd >= 0 ? 1 : 0, ms);
	kbd_input_pump(in);
}

int kbd_input_raw(struct kbd_input *in)
{
	struct termios raw;
	pid_t pgrp;

	if (in->fd < 0 || !isatty(in->fd) || tcgetattr(in->fd, &in->tty_saved) < 0)
		return 0;	/* not a terminal: bytes come as they are */
	/* Started in the background of its controlling terminal (gdbvm ... &
	 * and gdb in the same terminal): the terminal belongs to the shell
	 * and gdb; changing it would stop gdbvm with SIGTTOU. */
	pgrp = tcgetpgrp(in->fd);
	if (pgrp >= 0 && pgrp != getpgrp())
		return 0;
	raw = in->tty_saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(in->fd, TCSANOW, &raw) < 0)
		return -errno;
	in->tty_changed = true;
	return 0;
}

void kbd_input_restore(struct kbd_input *in)
{
	if (in->tty_changed && tcsetattr(in->fd, TCSANOW, &in->tty_saved) == 0)
		in->tty_changed = false;
}
