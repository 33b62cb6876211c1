/*
 * scancode.h - BIOS key codes (scan code << 8 | ASCII, keymap.h) and the
 * scan code set 1 bytes a PC keyboard sends for them, both ways:
 *
 * - scancode_encode: the bytes of one key typed, with the modifier presses
 *   a person would make around it (Shift for 'A' and '!', Ctrl for Ctrl-C,
 *   the E0h prefix for the grey keys).  A key no key combination makes (a
 *   byte with scan code 0, such as 80h-FFh) is typed as a PC user would:
 *   Alt held and its decimal value on the numeric keypad.
 * - scancode_translate: what a PC BIOS's INT 09h makes of each byte, with
 *   the shift state it keeps in the BIOS data area (struct kbd_shift).
 *
 * Pure tables and arithmetic: no I/O.
 */
#ifndef GDBVM_SCANCODE_H
#define GDBVM_SCANCODE_H

#include <stdbool.h>
#include <stdint.h>

#define SCANCODE_MAX	10	/* bytes one key can take: Alt, 3 digits, Alt up */

/* Set 1 codes of the keys with a meaning of their own. */
#define SC_ESC		0x01
#define SC_CTRL		0x1d
#define SC_LSHIFT	0x2a
#define SC_RSHIFT	0x36
#define SC_ALT		0x38
#define SC_CAPS		0x3a
#define SC_NUM		0x45
#define SC_SCROLL	0x46
#define SC_INSERT	0x52
#define SC_E0		0xe0
#define SC_BREAK	0x80	/* or-ed into a key's code when it is released */

/* BDA 0417h (flags1) bits. */
#define KF1_RSHIFT	0x01
#define KF1_LSHIFT	0x02
#define KF1_CTRL	0x04
#define KF1_ALT		0x08
#define KF1_SCROLL	0x10	/* the locks: on */
#define KF1_NUM		0x20
#define KF1_CAPS	0x40
#define KF1_INSERT	0x80
/* BDA 0418h (flags2) bits: keys held. */
#define KF2_LCTRL	0x01
#define KF2_LALT	0x02
#define KF2_SCROLL	0x10
#define KF2_NUM		0x20
#define KF2_CAPS	0x40
#define KF2_INSERT	0x80
/* BDA 0496h (flags3) bits. */
#define KF3_E1		0x01	/* inside Pause's E1h sequence */
#define KF3_E0		0x02	/* the last byte was the E0h prefix */
#define KF3_RCTRL	0x04
#define KF3_RALT	0x08
#define KF3_ENHANCED	0x10	/* a 101/102-key keyboard is installed */

/* The BIOS's keyboard state: BDA bytes 0417h, 0418h, 0419h (the Alt +
 * keypad number being typed) and 0496h. */
struct kbd_shift {
	uint8_t flags1, flags2, alt_number, flags3;
};

/* The bytes (at most SCANCODE_MAX) that type key; 0 for a key nothing
 * types (key code 0000h). */
unsigned scancode_encode(uint16_t key, uint8_t *out);

/* One byte from the keyboard through INT 09h: updates *s and, when the
 * byte completes a key press that gives a key code, stores it in *key and
 * returns true. */
bool scancode_translate(struct kbd_shift *s, uint8_t byte, uint16_t *key);

#endif
