/*
 * vga.h - the 80x25 colour text screen at 0xB8000 in guest RAM, its
 * cursor (page 0's, kept in the BIOS data area where the BIOS keeps it),
 * the text operations INT 10h needs, and the screen as plain text for
 * --screen.
 */
#ifndef GDBVM_VGA_H
#define GDBVM_VGA_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "memory.h"

#define VGA_TEXT_BASE	0xb8000
#define VGA_COLS	80
#define VGA_ROWS	25
#define VGA_TEXT_SIZE	(VGA_COLS * VGA_ROWS * 2)
#define VGA_ATTR	0x07	/* light grey on black */
#define BDA_CURSOR	0x450	/* column, row of page 0 */

struct vga_window {
	uint8_t top, left, bottom, right;	/* inclusive, clipped to the screen */
};

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

/* Teletype: CR, LF, BS and BEL act, anything else is written at the
 * cursor, which advances, wraps and scrolls the screen. */
void vga_teletype(struct guest_mem *mem, uint8_t ch);

/* The screen as text: one line per row, trailing blanks and trailing empty
 * rows left out, characters outside printable ASCII shown as '.'
 * (NUL as a blank).  0, or -EFAULT when RAM does not cover the screen. */
int vga_dump(const struct guest_mem *mem, FILE *out);

#endif
