/*
 * font.h - an 8x8 font for what gdbvm draws itself: text written through
 * the BIOS in graphics modes, and text screens in --screenshot.  It has
 * printable ASCII, CP437's box-drawing characters, shades and blocks;
 * other characters are drawn as a hollow box.
 */
#ifndef GDBVM_FONT_H
#define GDBVM_FONT_H

#include <stdbool.h>
#include <stdint.h>

#define FONT_WIDTH	8
#define FONT_HEIGHT	8

/* The glyph of CP437 character ch: 8 rows, bit 7 the leftmost pixel. */
void font_glyph(uint8_t ch, uint8_t rows[FONT_HEIGHT]);

#endif
