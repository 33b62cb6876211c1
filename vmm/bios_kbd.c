/*
 * bios_kbd.c - INT 16h, the keyboard, fed from stdin: each byte read is a
 * key, with the scan code a US keyboard gives it ('\n' is the Enter key,
 * ASCII 0Dh).  A call that waits for a key polls stdin for a while and
 * asks the ROM to call again, so the vCPU never blocks in the VMM and
 * signals, --timeout and gdb's interrupt still stop it.
 */
#include "bios.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#define KEY_WAIT_MS 20	/* one poll of stdin while a call waits for a key */

/* The keyboard rows: each character's scan code is the row's first code
 * plus its position; the second string is the row shifted. */
static const struct {
	uint8_t first;
	const char *plain, *shifted;
} key_rows[] = {
	{ 0x02, "1234567890-=", "!@#$%^&*()_+" },
	{ 0x10, "qwertyuiop[]", "QWERTYUIOP{}" },
	{ 0x1e, "asdfghjkl;'`", "ASDFGHJKL:\"~" },
	{ 0x2b, "\\zxcvbnm,./", "|ZXCVBNM<>?" },
};

/* Keys that are not in the rows above. */
static const struct {
	uint8_t byte, scan, ascii;
} key_specials[] = {
	{ '\n', 0x1c, '\r' }, { '\r', 0x1c, '\r' }, { '\t', 0x0f, '\t' },
	{ '\b', 0x0e, '\b' }, { 0x7f, 0x0e, '\b' }, { 0x1b, 0x01, 0x1b }, { ' ', 0x39, ' ' },
};

uint16_t bios_key_code(uint8_t byte)
{
	for (unsigned i = 0; i < sizeof(key_specials) / sizeof(key_specials[0]); i++)
		if (key_specials[i].byte == byte)
			return (uint16_t)(key_specials[i].scan << 8 | key_specials[i].ascii);
	for (unsigned r = 0; r < sizeof(key_rows) / sizeof(key_rows[0]); r++)
		for (unsigned i = 0; key_rows[r].plain[i]; i++)
			if (key_rows[r].plain[i] == byte || key_rows[r].shifted[i] == byte)
				return (uint16_t)((key_rows[r].first + i) << 8 | byte);
	if (byte >= 1 && byte <= 26)	/* Ctrl+letter: the letter's key */
		return (uint16_t)((bios_key_code((uint8_t)('a' + byte - 1)) & 0xff00) | byte);
	return byte;	/* no key makes it: scan code 0 */
}

void bios_keyboard_init(struct bios_keyboard *k, int fd)
{
	*k = (struct bios_keyboard){ .fd = fd, .eof = fd < 0 };
}

/* Queue what stdin has, waiting up to wait_ms for something. */
static void fill(struct bios_keyboard *k, int wait_ms)
{
	struct pollfd pfd = { .fd = k->fd, .events = POLLIN };
	uint8_t buf[16];
	ssize_t n;

	if (k->count || k->eof)
		return;
	if (poll(&pfd, 1, wait_ms) <= 0)
		return;
	n = read(k->fd, buf, sizeof(buf) - k->count);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		k->eof = true;
		return;
	}
	for (ssize_t i = 0; i < n; i++)
		k->queue[(k->head + k->count++) % 16] = bios_key_code(buf[i]);
}

static uint16_t take(struct bios_keyboard *k)
{
	uint16_t key = k->queue[k->head];

	k->head = (k->head + 1) % 16;
	k->count--;
	return key;
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

/* AH=00h/10h: wait for a key; AX = scan code << 8 | ASCII. */
static enum bios_action read_key(struct bios *b, struct bios_frame *f)
{
	struct bios_keyboard *k = &b->kbd;

	fill(k, KEY_WAIT_MS);
	if (k->count) {
		set_x(&f->eax, take(k));
		return BIOS_RETURN;
	}
	if (k->eof)
		no_more_keys(b);
	return BIOS_AGAIN;
}

/* AH=01h/11h: is a key waiting?  ZF clear and AX = the key if so. */
static enum bios_action peek_key(struct bios *b, struct bios_frame *f)
{
	struct bios_keyboard *k = &b->kbd;

	fill(k, 0);
	if (!k->count && k->eof)
		no_more_keys(b);
	frame_flag(f, FLAG_ZF, k->count == 0);
	if (k->count)
		set_x(&f->eax, k->queue[k->head]);
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

	if (k->count == 16) {
		set_lo(&f->eax, 1);
		return BIOS_RETURN;
	}
	k->queue[(k->head + k->count++) % 16] = (uint16_t)f->ecx;
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
