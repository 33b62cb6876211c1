/*
 * bios_kbd.c - INT 16h, the keyboard, fed from stdin: each byte read is a
 * key, with the scan code a US keyboard gives it ('\n' is the Enter key,
 * ASCII 0Dh), and a terminal's escape sequences are the keys they stand
 * for (keymap.c).  A call that waits for a key polls stdin for a while and
 * asks the ROM to call again, so the vCPU never blocks in the VMM and
 * signals, --timeout and gdb's interrupt still stop it.
 */
#include "bios.h"
#include "display.h"

#include <errno.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#define KEY_WAIT_MS 20	/* one poll of stdin while a call waits for a key */
#define ESC_WAIT_MS 50	/* an ESC with nothing after it for this long is the Esc key */

void bios_keyboard_init(struct bios_keyboard *k, int fd)
{
	*k = (struct bios_keyboard){ .fd = fd, .eof = fd < 0 };
}

int bios_keyboard_raw(struct bios_keyboard *k)
{
	struct termios raw;
	pid_t pgrp;

	if (k->fd < 0 || !isatty(k->fd) || tcgetattr(k->fd, &k->tty_saved) < 0)
		return 0;	/* not a terminal: bytes come as they are */
	/* Started in the background of its controlling terminal (gdbvm ... &
	 * and gdb in the same terminal): the terminal belongs to the shell
	 * and gdb; changing it would stop gdbvm with SIGTTOU. */
	pgrp = tcgetpgrp(k->fd);
	if (pgrp >= 0 && pgrp != getpgrp())
		return 0;
	raw = k->tty_saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(k->fd, TCSANOW, &raw) < 0)
		return -errno;
	k->tty_changed = true;
	return 0;
}

void bios_keyboard_restore(struct bios_keyboard *k)
{
	if (k->tty_changed && tcsetattr(k->fd, TCSANOW, &k->tty_saved) == 0)
		k->tty_changed = false;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void enqueue(struct bios_keyboard *k, const uint16_t *keys, unsigned n)
{
	for (unsigned i = 0; i < n && k->count < BIOS_KEY_QUEUE; i++)
		k->queue[(k->head + k->count++) % BIOS_KEY_QUEUE] = keys[i];
}

/* Queue what stdin has, waiting up to wait_ms for something.  An escape
 * sequence left unfinished becomes keys when stdin ends or stays quiet
 * for ESC_WAIT_MS. */
static void fill(struct bios_keyboard *k, int wait_ms)
{
	struct pollfd pfd = { .fd = k->fd, .events = POLLIN };
	uint16_t keys[KEYMAP_MAX_KEYS];
	uint8_t buf[16];	/* 16 bytes and 8 pending give at most 24 keys: they fit */
	ssize_t n = 0;

	if (k->count)
		return;
	if (!k->eof && poll(&pfd, 1, wait_ms) > 0) {
		n = read(k->fd, buf, sizeof(buf));
		if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
			k->eof = true;
	}
	if (n >= 0)	/* display: the quit key; moves to the keyboard input path */
		n = (ssize_t)display_keys(buf, (size_t)n);
	for (ssize_t i = 0; i < n; i++) {
		bool was_pending = keymap_pending(&k->keymap);

		enqueue(k, keys, keymap_feed(&k->keymap, buf[i], keys));
		if (!was_pending && keymap_pending(&k->keymap))
			k->pending_since = now_ms();
	}
	if (keymap_pending(&k->keymap) && (k->eof || now_ms() - k->pending_since >= ESC_WAIT_MS))
		enqueue(k, keys, keymap_flush(&k->keymap, keys));
}

static uint16_t take(struct bios_keyboard *k)
{
	uint16_t key = k->queue[k->head];

	k->head = (k->head + 1) % BIOS_KEY_QUEUE;
	k->count--;
	return key;
}

/* For AH=00h/01h: drop the keys at the head that only AH=10h/11h return
 * (F11, F12), as a BIOS does; then *key is the head's code as AH=00h gives
 * it (the grey keys' E0h as 00h).  False when no key is left. */
static bool legacy_head(struct bios_keyboard *k, uint16_t *key)
{
	while (k->count) {
		if (keymap_legacy(k->queue[k->head], key))
			return true;
		take(k);
	}
	return false;
}

/* No key is waiting and none will come: say so once, and let the guest
 * wait as for a keyboard nobody types on, without spinning. */
static void no_more_keys(struct bios *b)
{
	if (!b->kbd.eof_reported)
		fprintf(b->err, "gdbvm: INT 16h: stdin has ended; no more keys will come\n");
	b->kbd.eof_reported = true;
	poll(NULL, 0, KEY_WAIT_MS);
}

/* Whether a key is ready for the call (AH=10h/11h: any; AH=00h/01h: one
 * the old keyboard has), in *key as that call returns it. */
static bool ready_key(struct bios_keyboard *k, bool extended, uint16_t *key)
{
	if (extended && k->count)
		*key = k->queue[k->head];
	return extended ? k->count != 0 : legacy_head(k, key);
}

/* AH=00h/10h: wait for a key; AX = scan code << 8 | ASCII. */
static enum bios_action read_key(struct bios *b, struct bios_frame *f)
{
	struct bios_keyboard *k = &b->kbd;
	uint16_t key;

	fill(k, KEY_WAIT_MS);
	if (ready_key(k, reg_hi(f->eax) == 0x10, &key)) {
		take(k);
		set_x(&f->eax, key);
		return BIOS_RETURN;
	}
	if (k->eof && !keymap_pending(&k->keymap))
		no_more_keys(b);
	return BIOS_AGAIN;
}

/* AH=01h/11h: is a key waiting?  ZF clear and AX = the key if so. */
static enum bios_action peek_key(struct bios *b, struct bios_frame *f)
{
	struct bios_keyboard *k = &b->kbd;
	uint16_t key;
	bool ready;

	fill(k, 0);
	ready = ready_key(k, reg_hi(f->eax) == 0x11, &key);
	if (!ready && k->eof)
		no_more_keys(b);
	frame_flag(f, FLAG_ZF, !ready);
	if (ready)
		set_x(&f->eax, key);
	return BIOS_RETURN;
}

/* AH=02h/12h: shift flags: none held. */
static enum bios_action shift_flags(struct bios *b, struct bios_frame *f)
{
	(void)b;
	set_lo(&f->eax, 0);
	if (reg_hi(f->eax) == 0x12)
		set_hi(&f->eax, 0);
	return BIOS_RETURN;
}

/* AH=03h: typematic rate: accepted. */
static enum bios_action typematic(struct bios *b, struct bios_frame *f)
{
	(void)b;
	(void)f;
	return BIOS_RETURN;
}

/* AH=05h: put CH (scan code), CL (ASCII) in the buffer; AL=1 when full. */
static enum bios_action push_key(struct bios *b, struct bios_frame *f)
{
	struct bios_keyboard *k = &b->kbd;

	if (k->count >= 16) {	/* the BIOS's buffer holds 16 */
		set_lo(&f->eax, 1);
		return BIOS_RETURN;
	}
	k->queue[(k->head + k->count++) % BIOS_KEY_QUEUE] = (uint16_t)f->ecx;
	set_lo(&f->eax, 0);
	return BIOS_RETURN;
}

static const bios_call_fn keyboard_calls[256] = {
	[0x00] = read_key,    [0x01] = peek_key, [0x02] = shift_flags, [0x03] = typematic,
	[0x05] = push_key,    [0x10] = read_key, [0x11] = peek_key,    [0x12] = shift_flags,
};

enum bios_action bios_int16(struct bios *b, struct bios_frame *f)
{
	return bios_dispatch_ah(b, f, keyboard_calls);
}
