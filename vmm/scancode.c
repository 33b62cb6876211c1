/*
 * scancode.c - BIOS key codes <-> scan code set 1 (see scancode.h).  The
 * tables are the PC/AT BIOS's: what INT 16h returns for each key alone,
 * with Shift, with Ctrl and with Alt (0 where the BIOS gives nothing).
 */
#include "scancode.h"

#include <stddef.h>

struct key_codes {
	uint16_t plain, shift, ctrl, alt;
};

/* A letter key: Ctrl gives the control character, Alt scan code only. */
#define LETTER(sc, ch) [sc] = { (sc) << 8 | (ch), (sc) << 8 | ((ch) - 0x20), (sc) << 8 | ((ch) - 0x60), (sc) << 8 }
/* A key of the digit row: Alt gives 78h-83h. */
#define DIGIT(sc, ch, sh, ctl) [sc] = { (sc) << 8 | (ch), (sc) << 8 | (sh), ctl, ((sc) + 0x76) << 8 }
/* A punctuation key: Alt gives its scan code only. */
#define PUNCT(sc, ch, sh, ctl) [sc] = { (sc) << 8 | (ch), (sc) << 8 | (sh), ctl, (sc) << 8 }
/* A numeric keypad key: without Num Lock (or Shift) the cursor key. */
#define KEYPAD(sc, ch, ctl) [sc] = { (sc) << 8, (sc) << 8 | (ch), (ctl) << 8, 0 }
/* F1-F10: Shift 54h-5Dh, Ctrl 5Eh-67h, Alt 68h-71h. */
#define FKEY(n) [0x3a + (n)] = { (0x3a + (n)) << 8, (0x53 + (n)) << 8, (0x5d + (n)) << 8, (0x67 + (n)) << 8 }

/* Keys without the E0h prefix, by scan code.  Modifiers and locks are
 * handled apart and have no entry. */
static const struct key_codes keys[0x59] = {
	[0x01] = { 0x011b, 0x011b, 0x011b, 0x0100 },
	DIGIT(0x02, '1', '!', 0),      DIGIT(0x03, '2', '@', 0x0300), DIGIT(0x04, '3', '#', 0),
	DIGIT(0x05, '4', '$', 0),      DIGIT(0x06, '5', '%', 0),      DIGIT(0x07, '6', '^', 0x071e),
	DIGIT(0x08, '7', '&', 0),      DIGIT(0x09, '8', '*', 0),      DIGIT(0x0a, '9', '(', 0),
	DIGIT(0x0b, '0', ')', 0),      DIGIT(0x0c, '-', '_', 0x0c1f), DIGIT(0x0d, '=', '+', 0),
	[0x0e] = { 0x0e08, 0x0e08, 0x0e7f, 0x0e00 },
	[0x0f] = { 0x0f09, 0x0f00, 0x9400, 0xa500 },
	LETTER(0x10, 'q'), LETTER(0x11, 'w'), LETTER(0x12, 'e'), LETTER(0x13, 'r'),
	LETTER(0x14, 't'), LETTER(0x15, 'y'), LETTER(0x16, 'u'), LETTER(0x17, 'i'),
	LETTER(0x18, 'o'), LETTER(0x19, 'p'),
	PUNCT(0x1a, '[', '{', 0x1a1b), PUNCT(0x1b, ']', '}', 0x1b1d),
	[0x1c] = { 0x1c0d, 0x1c0d, 0x1c0a, 0x1c00 },
	LETTER(0x1e, 'a'), LETTER(0x1f, 's'), LETTER(0x20, 'd'), LETTER(0x21, 'f'),
	LETTER(0x22, 'g'), LETTER(0x23, 'h'), LETTER(0x24, 'j'), LETTER(0x25, 'k'),
	LETTER(0x26, 'l'),
	PUNCT(0x27, ';', ':', 0),      PUNCT(0x28, '\'', '"', 0),     PUNCT(0x29, '`', '~', 0),
	PUNCT(0x2b, '\\', '|', 0x2b1c),
	LETTER(0x2c, 'z'), LETTER(0x2d, 'x'), LETTER(0x2e, 'c'), LETTER(0x2f, 'v'),
	LETTER(0x30, 'b'), LETTER(0x31, 'n'), LETTER(0x32, 'm'),
	PUNCT(0x33, ',', '<', 0),      PUNCT(0x34, '.', '>', 0),      PUNCT(0x35, '/', '?', 0),
	[0x37] = { 0x372a, 0x372a, 0x9600, 0x3700 },	/* keypad * */
	[0x39] = { 0x3920, 0x3920, 0x3920, 0x3920 },
	FKEY(1), FKEY(2), FKEY(3), FKEY(4), FKEY(5), FKEY(6), FKEY(7), FKEY(8), FKEY(9), FKEY(10),
	KEYPAD(0x47, '7', 0x77), KEYPAD(0x48, '8', 0x8d), KEYPAD(0x49, '9', 0x84),
	[0x4a] = { 0x4a2d, 0x4a2d, 0x8e00, 0x4a00 },	/* keypad - */
	KEYPAD(0x4b, '4', 0x73), KEYPAD(0x4c, '5', 0x8f), KEYPAD(0x4d, '6', 0x74),
	[0x4e] = { 0x4e2b, 0x4e2b, 0x9000, 0x4e00 },	/* keypad + */
	KEYPAD(0x4f, '1', 0x75), KEYPAD(0x50, '2', 0x91), KEYPAD(0x51, '3', 0x76),
	KEYPAD(0x52, '0', 0x92), KEYPAD(0x53, '.', 0x93),
	[0x57] = { 0x8500, 0x8700, 0x8900, 0x8b00 },	/* F11 */
	[0x58] = { 0x8600, 0x8800, 0x8a00, 0x8c00 },	/* F12 */
};

/* The grey keys of the enhanced keyboard, sent with the E0h prefix. */
static const struct {
	uint8_t sc;
	struct key_codes codes;
} grey_keys[] = {
	{ 0x1c, { 0xe00d, 0xe00d, 0xe00a, 0xa600 } },	/* keypad Enter */
	{ 0x35, { 0xe02f, 0xe02f, 0x9500, 0xa400 } },	/* keypad / */
	{ 0x47, { 0x47e0, 0x47e0, 0x77e0, 0x9700 } },	/* Home */
	{ 0x48, { 0x48e0, 0x48e0, 0x8de0, 0x9800 } },	/* Up */
	{ 0x49, { 0x49e0, 0x49e0, 0x84e0, 0x9900 } },	/* Page Up */
	{ 0x4b, { 0x4be0, 0x4be0, 0x73e0, 0x9b00 } },	/* Left */
	{ 0x4d, { 0x4de0, 0x4de0, 0x74e0, 0x9d00 } },	/* Right */
	{ 0x4f, { 0x4fe0, 0x4fe0, 0x75e0, 0x9f00 } },	/* End */
	{ 0x50, { 0x50e0, 0x50e0, 0x91e0, 0xa000 } },	/* Down */
	{ 0x51, { 0x51e0, 0x51e0, 0x76e0, 0xa100 } },	/* Page Down */
	{ 0x52, { 0x52e0, 0x52e0, 0x92e0, 0xa200 } },	/* Insert */
	{ 0x53, { 0x53e0, 0x53e0, 0x93e0, 0xa300 } },	/* Delete */
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))
#define NGREY (sizeof(grey_keys) / sizeof(grey_keys[0]))

/* The keypad keys that type the digits 0-9 with Alt held. */
static const uint8_t keypad_digits[10] = { 0x52, 0x4f, 0x50, 0x51, 0x4b, 0x4c, 0x4d, 0x47, 0x48, 0x49 };

/* Which of the four columns: the modifier key held for it (0: none). */
static const uint8_t column_modifier[4] = { 0, SC_LSHIFT, SC_CTRL, SC_ALT };

static uint16_t column(const struct key_codes *k, unsigned col)
{
	const uint16_t v[4] = { k->plain, k->shift, k->ctrl, k->alt };

	return v[col];
}

/* Press and release sc (E0h-prefixed when grey), inside the modifier's
 * press and release. */
static unsigned press(uint8_t *out, uint8_t modifier, bool grey, uint8_t sc)
{
	unsigned n = 0;

	if (modifier)
		out[n++] = modifier;
	if (grey)
		out[n++] = SC_E0;
	out[n++] = sc;
	if (grey)
		out[n++] = SC_E0;
	out[n++] = (uint8_t)(sc | SC_BREAK);
	if (modifier)
		out[n++] = (uint8_t)(modifier | SC_BREAK);
	return n;
}

/* Alt, the decimal digits of ascii on the keypad, Alt released. */
static unsigned alt_number(uint8_t ascii, uint8_t *out)
{
	char digits[4];
	unsigned nd = 0, n = 0;

	do {
		digits[nd++] = (char)(ascii % 10);
		ascii /= 10;
	} while (ascii);
	out[n++] = SC_ALT;
	while (nd) {
		uint8_t sc = keypad_digits[(unsigned char)digits[--nd]];

		out[n++] = sc;
		out[n++] = (uint8_t)(sc | SC_BREAK);
	}
	out[n++] = SC_ALT | SC_BREAK;
	return n;
}

unsigned scancode_encode(uint16_t key, uint8_t *out)
{
	uint8_t sc = (uint8_t)(key >> 8);

	if (key == 0)
		return 0;
	for (unsigned col = 0; col < 4; col++) {
		for (unsigned i = 0; i < NGREY; i++)
			if (column(&grey_keys[i].codes, col) == key)
				return press(out, column_modifier[col], true, grey_keys[i].sc);
		/* The key whose scan code the key code carries, if it makes it */
		if (sc < NKEYS && column(&keys[sc], col) == key)
			return press(out, column_modifier[col], false, sc);
	}
	for (unsigned col = 0; col < 4; col++)	/* Shift+F1, Alt+1...: another key's */
		for (unsigned i = 1; i < NKEYS; i++)
			if (column(&keys[i], col) == key)
				return press(out, column_modifier[col], false, (uint8_t)i);
	return alt_number((uint8_t)key, out);
}

/* A lock key pressed: toggle its state, once per press (not on repeat). */
static void lock_key(struct kbd_shift *s, uint8_t state, uint8_t held, bool released)
{
	if (released) {
		s->flags2 &= (uint8_t)~held;
	} else if (!(s->flags2 & held)) {
		s->flags2 |= held;
		s->flags1 ^= state;
	}
}

/* Shift, Ctrl, Alt and the locks.  True when sc was one of them. */
static bool modifier_key(struct kbd_shift *s, uint8_t sc, bool grey, bool released, uint16_t *key,
			 bool *have_key)
{
	uint8_t f1 = 0, f2 = 0, f3 = 0;

	switch (sc) {
	case SC_LSHIFT:
	case SC_RSHIFT:
		if (grey)	/* the fake shifts around grey keys: ignored */
			return true;
		f1 = sc == SC_LSHIFT ? KF1_LSHIFT : KF1_RSHIFT;
		break;
	case SC_CTRL:
		f1 = KF1_CTRL;
		f2 = grey ? 0 : KF2_LCTRL;
		f3 = grey ? KF3_RCTRL : 0;
		break;
	case SC_ALT:
		f1 = KF1_ALT;
		f2 = grey ? 0 : KF2_LALT;
		f3 = grey ? KF3_RALT : 0;
		if (released && s->alt_number) {	/* Alt + keypad digits typed a byte */
			*key = s->alt_number;
			*have_key = true;
			s->alt_number = 0;
		}
		break;
	case SC_CAPS:
		lock_key(s, KF1_CAPS, KF2_CAPS, released);
		return true;
	case SC_NUM:
		lock_key(s, KF1_NUM, KF2_NUM, released);
		return true;
	case SC_SCROLL:
		lock_key(s, KF1_SCROLL, KF2_SCROLL, released);
		return true;
	default:
		return false;
	}
	if (released) {
		s->flags2 &= (uint8_t)~f2;
		s->flags3 &= (uint8_t)~f3;
		/* Ctrl and Alt stay on while the other side's key is held. */
		if (sc == SC_CTRL && !(s->flags2 & KF2_LCTRL) && !(s->flags3 & KF3_RCTRL))
			s->flags1 &= (uint8_t)~KF1_CTRL;
		else if (sc == SC_ALT && !(s->flags2 & KF2_LALT) && !(s->flags3 & KF3_RALT))
			s->flags1 &= (uint8_t)~KF1_ALT;
		else if (sc != SC_CTRL && sc != SC_ALT)
			s->flags1 &= (uint8_t)~f1;
	} else {
		s->flags1 |= f1;
		s->flags2 |= f2;
		s->flags3 |= f3;
	}
	return true;
}

/* Whether the numeric keypad types digits now: Num Lock xor Shift. */
static bool keypad_shifted(const struct kbd_shift *s)
{
	return !(s->flags1 & KF1_NUM) != !(s->flags1 & (KF1_LSHIFT | KF1_RSHIFT));
}

static bool is_letter(uint8_t sc)
{
	return (sc >= 0x10 && sc <= 0x19) || (sc >= 0x1e && sc <= 0x26) || (sc >= 0x2c && sc <= 0x32);
}

bool scancode_translate(struct kbd_shift *s, uint8_t byte, uint16_t *key)
{
	bool grey = s->flags3 & KF3_E0, released = byte & SC_BREAK, have_key = false, shifted;
	uint8_t sc = byte & (uint8_t)~SC_BREAK;
	const struct key_codes *k = NULL;

	s->flags3 = (uint8_t)((s->flags3 & ~KF3_E0) | KF3_ENHANCED);
	if (byte == SC_E0 && !(s->flags3 & KF3_E1)) {
		s->flags3 |= KF3_E0;
		return false;
	}
	if (byte == 0xe1 || (s->flags3 & KF3_E1)) {	/* Pause: E1 1D 45 E1 9D C5, ignored */
		if (byte == 0xe1 || sc == SC_CTRL)
			s->flags3 |= KF3_E1;
		else
			s->flags3 &= (uint8_t)~KF3_E1;
		return false;
	}
	if (byte == 0x00 || byte == 0xff || byte == 0xfa || byte == 0xfe || byte == 0xee)
		return false;	/* overrun, keyboard replies: no key */
	if (modifier_key(s, sc, grey, released, key, &have_key))
		return have_key;
	if (sc == SC_INSERT && (grey || !keypad_shifted(s)) && !(s->flags1 & (KF1_CTRL | KF1_ALT))) {
		/* Insert (not the keypad's 0): toggles its state, and is a key */
		if (released) {
			s->flags2 &= (uint8_t)~KF2_INSERT;
		} else if (!(s->flags2 & KF2_INSERT)) {
			s->flags1 ^= KF1_INSERT;
			s->flags2 |= KF2_INSERT;
		}
	}
	if (released)
		return false;
	if (grey) {
		for (unsigned i = 0; i < NGREY; i++)
			if (grey_keys[i].sc == sc)
				k = &grey_keys[i].codes;
	} else if (sc < NKEYS) {
		k = &keys[sc];
	}
	if (!k)
		return false;
	if (!grey && (s->flags1 & KF1_ALT) && sc >= 0x47 && sc <= 0x53) {	/* Alt + keypad */
		for (unsigned d = 0; d < 10; d++)
			if (keypad_digits[d] == sc)
				s->alt_number = (uint8_t)(s->alt_number * 10 + d);
		return false;
	}
	if (s->flags1 & KF1_ALT)
		*key = k->alt;
	else if (s->flags1 & KF1_CTRL)
		*key = k->ctrl;
	else {
		shifted = s->flags1 & (KF1_LSHIFT | KF1_RSHIFT);
		if ((s->flags1 & KF1_CAPS) && is_letter(sc))
			shifted = !shifted;
		if (!grey && sc >= 0x47 && sc <= 0x53 && sc != 0x4a && sc != 0x4e)
			shifted = keypad_shifted(s);
		*key = shifted ? k->shift : k->plain;
	}
	return *key != 0;
}
