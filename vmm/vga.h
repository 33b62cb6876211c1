/*
 * vga.h - the colour text screen at 0xB8000 in guest RAM (80x25, or 40x25
 * in modes 0 and 1, as the BIOS data area's column count at 0x44A says),
 * its cursor (page 0's, kept in the BIOS data area where the BIOS keeps
 * it), the text operations INT 10h needs, and the screen as text (plain or
 * with ANSI colours) for --screen.
 */
#ifndef GDBVM_VGA_H
#define GDBVM_VGA_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "memory.h"

#define VGA_TEXT_BASE	0xb8000
#define VGA_COLS	80
#define VGA_COLS_NARROW	40	/* modes 0 and 1 */
#define VGA_ROWS	25
#define VGA_TEXT_SIZE	(VGA_COLS * VGA_ROWS * 2)
#define VGA_ATTR	0x07	/* light grey on black */
#define BDA_CURSOR	0x450	/* column, row of page 0 */
#define BDA_COLS	0x44a	/* columns of the current mode */
#define BDA_MODE	0x449	/* the current video mode */

struct vga_window {
	uint8_t top, left, bottom, right;	/* inclusive, clipped to the screen */
};

/* The text columns, from the BIOS data area: 40 when it says 40, else 80. */
unsigned vga_cols(const struct guest_mem *mem);

/* Clear the screen to blanks in VGA_ATTR and home the cursor. */
void vga_reset(struct guest_mem *mem);

void vga_cursor(const struct guest_mem *mem, uint8_t *row, uint8_t *col);
void vga_set_cursor(struct guest_mem *mem, uint8_t row, uint8_t col);

/* Character and attribute at (row, col), as char | attr << 8. */
uint16_t vga_cell(const struct guest_mem *mem, uint8_t row, uint8_t col);
/* Write count copies of ch from (row, col) on, wrapping along the rows
 * to the end of the screen; attr < 0 keeps each cell's attribute. */
void vga_fill(struct guest_mem *mem, uint8_t row, uint8_t col, uint8_t ch, int attr,
	      unsigned count);

/* Scroll a window up (or down) by lines, blanking with attr; 0 lines
 * clears it. */
void vga_scroll(struct guest_mem *mem, struct vga_window w, unsigned lines, uint8_t attr, bool up);

/* What a teletype character does (vga_tty_step). */
#define VGA_TTY_DRAW	1	/* draw it at the cursor before it moves */
#define VGA_TTY_SCROLL	2	/* then scroll the screen up a line */

/* Teletype ch with the cursor at (*row, *col) on a screen cols wide:
 * CR, LF, BS and BEL act, anything else is drawn and the cursor advances,
 * wrapping; *row and *col become the new cursor.  Returns VGA_TTY_* flags. */
unsigned vga_tty_step(uint8_t ch, unsigned cols, uint8_t *row, uint8_t *col);

/* Teletype on the text screen: the cursor advances, wraps and scrolls the
 * screen.  With draw false only the cursor moves: text memory is not
 * touched. */
void vga_teletype(struct guest_mem *mem, uint8_t ch, bool draw);

/* How vga_dump shows the screen. */
struct vga_dump_style {
	bool ansi;		/* colours as ANSI escape sequences, CP437 as UTF-8 */
	unsigned cols;		/* 40 or 80 */
	const char *title;	/* the separator line's words */
};

/*
 * The screen as text, after a separator line "-- TITLE ---...": one line
 * per row, trailing blank cells and trailing empty rows left out (a blank
 * cell with a non-black background counts as shown when ansi).  Plain:
 * characters outside printable ASCII as '.', NUL as a blank.  ANSI: the
 * attribute's colours (foreground 0-15, background 0-7; the blink bit is
 * not shown), CP437 characters as UTF-8, NUL as a blank.  0, or -EFAULT
 * when RAM does not cover the screen.
 */
int vga_dump(const struct guest_mem *mem, FILE *out, const struct vga_dump_style *style);

/* A character as --screen's ANSI form and --display show it: CP437 in
 * UTF-8, NUL as a blank.  Returns the bytes written to out (1 to 3). */
unsigned vga_char_utf8(uint8_t ch, char out[4]);

/* A separator line "-- words ---..." as wide as cols (at least the words). */
void vga_separator(FILE *out, const char *words, unsigned cols);

#endif
