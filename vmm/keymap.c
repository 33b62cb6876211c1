/*
 * keymap.c - stdin bytes and terminal escape sequences to BIOS key codes
 * (see keymap.h).
 */
#include "keymap.h"

#include <string.h>

#define ESC 0x1b

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
	{ '\b', 0x0e, '\b' }, { 0x7f, 0x0e, '\b' }, { ESC, 0x01, ESC }, { ' ', 0x39, ' ' },
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

/* Sequences ending in a letter: ESC [ letter and ESC O letter (a number
 * and modifiers before the letter are ignored). */
static const struct {
	char final;
	uint16_t key;
} letter_keys[] = {
	{ 'A', KEY_UP },   { 'B', KEY_DOWN }, { 'C', KEY_RIGHT },     { 'D', KEY_LEFT },
	{ 'H', KEY_HOME }, { 'F', KEY_END },  { 'P', KEY_F1 },	      { 'Q', KEY_F1 + 0x100 },
	{ 'R', KEY_F1 + 0x200 },	      { 'S', KEY_F1 + 0x300 }, { 'Z', KEY_SHIFT_TAB },
};

/* ESC [ n ~ */
static const struct {
	uint8_t n;
	uint16_t key;
} tilde_keys[] = {
	{ 1, KEY_HOME },	   { 2, KEY_INSERT },	      { 3, KEY_DELETE },
	{ 4, KEY_END },		   { 5, KEY_PGUP },	      { 6, KEY_PGDN },
	{ 7, KEY_HOME },	   { 8, KEY_END },	      { 11, KEY_F1 },
	{ 12, KEY_F1 + 0x100 },	   { 13, KEY_F1 + 0x200 },    { 14, KEY_F1 + 0x300 },
	{ 15, KEY_F1 + 0x400 },	   { 17, KEY_F1 + 0x500 },    { 18, KEY_F1 + 0x600 },
	{ 19, KEY_F1 + 0x700 },	   { 20, KEY_F1 + 0x800 },    { 21, KEY_F1 + 0x900 },
	{ 23, KEY_F11 },	   { 24, KEY_F12 },
};

/* The keypad in application mode: ESC O M is Enter, ESC O j-y are
 * * + , - . / and the digits. */
static const char keypad_chars[] = "*+,-./0123456789";

/* The decoded key of a complete sequence, or 0 for one nobody maps. */
static uint16_t decode(const uint8_t *seq, unsigned len, uint8_t final)
{
	unsigned n = 0;
	bool number = false;

	if (len == 3 && seq[1] == '[' && seq[2] == '[')	/* Linux console F1-F5 */
		return final >= 'A' && final <= 'E' ? (uint16_t)(KEY_F1 + (final - 'A') * 0x100) : 0;
	for (unsigned i = 2; i < len && seq[i] != ';'; i++) {
		n = n * 10 + (seq[i] - '0');
		number = true;
	}
	if (final == '~') {
		for (unsigned i = 0; number && i < sizeof(tilde_keys) / sizeof(tilde_keys[0]); i++)
			if (tilde_keys[i].n == n)
				return tilde_keys[i].key;
		return 0;
	}
	if (seq[1] == 'O' && final == 'M')
		return bios_key_code('\r');
	if (seq[1] == 'O' && final >= 'j' && final <= 'y')
		return bios_key_code((uint8_t)keypad_chars[final - 'j']);
	for (unsigned i = 0; i < sizeof(letter_keys) / sizeof(letter_keys[0]); i++)
		if (letter_keys[i].final == final)
			return letter_keys[i].key;
	return 0;
}

unsigned keymap_flush(struct keymap *km, uint16_t *keys)
{
	unsigned n = km->npending;

	for (unsigned i = 0; i < n; i++)
		keys[i] = bios_key_code(km->pending[i]);
	km->npending = 0;
	return n;
}

unsigned keymap_feed(struct keymap *km, uint8_t byte, uint16_t *keys)
{
	unsigned n = km->npending, out;
	bool param = (byte >= '0' && byte <= '9') || byte == ';';
	uint16_t key;

	if (km->discarding) {
		km->discarding = param;
		if (param || (byte >= 0x40 && byte <= 0x7e))
			return 0;	/* skipped, up to and with the final byte */
	}
	if (n == 0) {
		if (byte == ESC) {
			km->pending[km->npending++] = byte;
			return 0;
		}
		keys[0] = bios_key_code(byte);
		return 1;
	}
	if (n == 1) {	/* after ESC: a sequence starts, or ESC was the Esc key */
		if (byte == '[' || byte == 'O') {
			km->pending[km->npending++] = byte;
			return 0;
		}
		out = keymap_flush(km, keys);
		return out + keymap_feed(km, byte, keys + out);
	}
	if (param || (byte == '[' && n == 2 && km->pending[1] == '[')) {
		if (n == KEYMAP_MAX_PENDING) {	/* longer than any key's: not a key */
			km->npending = 0;
			km->discarding = true;
			return 0;
		}
		km->pending[km->npending++] = byte;
		return 0;
	}
	if (byte >= 0x40 && byte <= 0x7e) {	/* the final byte */
		key = decode(km->pending, n, byte);
		km->npending = 0;
		if (!key)
			return 0;	/* a sequence for a key the BIOS has not: dropped */
		keys[0] = key;
		return 1;
	}
	/* Not a sequence after all: its bytes are keys, then this byte. */
	out = keymap_flush(km, keys);
	return out + keymap_feed(km, byte, keys + out);
}

bool keymap_legacy(uint16_t key, uint16_t *legacy)
{
	uint8_t scan = (uint8_t)(key >> 8);

	if (scan == (KEY_F11 >> 8) || scan == (KEY_F12 >> 8))
		return false;
	*legacy = (key & 0xff) == 0xe0 && scan ? (uint16_t)(key & 0xff00) : key;
	return true;
}
