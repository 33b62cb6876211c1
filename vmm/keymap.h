/*
 * keymap.h - stdin bytes to the keys INT 16h returns: each byte is the key
 * a US keyboard types it with (bios_key_code), and the escape sequences a
 * terminal sends for keys that have no byte (arrows, Home, End, PgUp, PgDn,
 * Insert, Delete, F1-F12: the CSI "ESC [" and SS3 "ESC O" forms, the
 * "ESC [ n ~" forms and the Linux console's "ESC [ [ A"-"E") are decoded
 * into their scan codes.  A lone ESC is the Esc key; so is an ESC that no
 * sequence follows (the caller flushes after a short wait or at the end
 * of input).  Pure: no I/O, no clock.
 */
#ifndef GDBVM_KEYMAP_H
#define GDBVM_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

#define KEYMAP_MAX_PENDING	8	/* bytes of an unfinished sequence */
#define KEYMAP_MAX_KEYS		(KEYMAP_MAX_PENDING + 1)	/* keys one call can give */

/*
 * Key codes are scan code << 8 | ASCII.  Keys of the enhanced keyboard's
 * grey block (arrows, Home...) carry ASCII E0h, as INT 16h AH=10h returns
 * them; keymap_legacy turns them into what AH=00h returns.
 */
#define KEY_UP		0x48e0
#define KEY_DOWN	0x50e0
#define KEY_LEFT	0x4be0
#define KEY_RIGHT	0x4de0
#define KEY_HOME	0x47e0
#define KEY_END		0x4fe0
#define KEY_PGUP	0x49e0
#define KEY_PGDN	0x51e0
#define KEY_INSERT	0x52e0
#define KEY_DELETE	0x53e0
#define KEY_F1		0x3b00	/* F1-F10: 3Bh-44h */
#define KEY_F11		0x8500
#define KEY_F12		0x8600
#define KEY_ESC		0x011b
#define KEY_SHIFT_TAB	0x0f00

struct keymap {
	uint8_t pending[KEYMAP_MAX_PENDING];	/* the sequence so far, ESC first */
	unsigned npending;
	bool discarding;	/* in a sequence too long for any key: skip to its end */
};

/* The key a single byte types (no sequence). */
uint16_t bios_key_code(uint8_t byte);

/* Feed one byte; the keys it completes go to keys[] (at most
 * KEYMAP_MAX_KEYS); returns how many. */
unsigned keymap_feed(struct keymap *km, uint8_t byte, uint16_t *keys);

/* Whether an unfinished sequence waits for more bytes. */
static inline bool keymap_pending(const struct keymap *km)
{
	return km->npending != 0;
}

/* No more bytes follow soon: the unfinished sequence's bytes are keys
 * (ESC the Esc key).  Returns how many went to keys[]. */
unsigned keymap_flush(struct keymap *km, uint16_t *keys);

/* What INT 16h AH=00h/01h return for key: the grey keys' E0h becomes 00h;
 * false for keys only AH=10h/11h return (F11, F12), which they drop. */
bool keymap_legacy(uint16_t key, uint16_t *legacy);

#endif
