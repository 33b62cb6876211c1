/*
 * display_render.h - --display's picture as terminal bytes: a frame (the
 * text screen's cells and cursor, or a graphics screen as an indexed
 * image) in, the ANSI escape sequences that bring the terminal from the
 * last frame drawn to this one out.  Only the cells that changed are
 * written; a frame equal to the last one gives no bytes at all.  Pure: no
 * I/O, no clock, no guest memory (display.c takes the frames and writes
 * the bytes).
 *
 * Text: the 16 CGA colours as the terminal's 16 ANSI colours (foreground
 * 30-37 and 90-97; background 40-47, and 100-107 for the attribute's
 * blink bit, shown as a bright background as the VGA does with blinking
 * switched off), CP437 characters in UTF-8, the guest's cursor where the
 * terminal's is, as a blinking underline or block (DECSCUSR) or hidden.
 * Graphics: each terminal cell is two pixels, the upper one the foreground
 * of U+2580 (upper half block) and the lower one its background, in 24-bit
 * colour or the nearest of the 256-colour palette's cube and greys; the
 * picture is scaled (nearest pixel) to the largest 4:3 area that fits the
 * terminal, at its top left.
 */
#ifndef GDBVM_DISPLAY_RENDER_H
#define GDBVM_DISPLAY_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vga.h"
#include "video.h"

enum display_kind {
	DISPLAY_BLANK,	/* nothing drawn yet */
	DISPLAY_TEXT,	/* cells and a cursor */
	DISPLAY_PIXELS,	/* an indexed image */
	DISPLAY_NOTE,	/* a line saying why the screen is not shown */
};

enum display_cursor { CURSOR_HIDDEN, CURSOR_UNDERLINE, CURSOR_BLOCK };

struct display_frame {
	enum display_kind kind;
	/* DISPLAY_TEXT */
	unsigned cols;				/* 40 or 80 */
	uint16_t cells[VGA_ROWS * VGA_COLS];	/* char | attr << 8, row by row */
	uint8_t cursor_row, cursor_col;
	enum display_cursor cursor;
	/* DISPLAY_PIXELS */
	const struct video_image *image;
	/* DISPLAY_NOTE */
	char note[128];
};

/* Bytes being put together for one write. */
struct display_buf {
	char *data;
	size_t len, cap;
	bool failed;	/* out of memory: the frame is dropped */
};

void display_buf_free(struct display_buf *b);

/* One terminal cell of a graphics picture: the upper and lower pixels'
 * colours, 0xRRGGBB each. */
struct display_pixel_cell {
	uint32_t top, bottom;
};

struct display_renderer {
	unsigned term_cols, term_rows;	/* the terminal's size */
	bool truecolor;			/* 24-bit colour, else the 256-colour palette */
	bool valid;			/* the terminal shows last: draw only changes */
	enum display_kind last_kind;
	/* DISPLAY_TEXT: what the terminal shows */
	unsigned last_cols;
	uint16_t last_cells[VGA_ROWS * VGA_COLS];
	int last_cursor_row, last_cursor_col;	/* -1: hidden */
	enum display_cursor last_cursor;
	/* DISPLAY_PIXELS: the picture's cells, pic_cols x pic_rows */
	struct display_pixel_cell *last_pixels;
	unsigned pic_cols, pic_rows;
	uint16_t last_width, last_height;
	char last_note[128];
	/* SGR state the terminal is in (-1: unknown) */
	int sgr_fg, sgr_bg;
};

/* A renderer for a terminal of cols x rows (at least 1 x 1). */
void display_renderer_init(struct display_renderer *r, unsigned cols, unsigned rows,
			   bool truecolor);
/* The terminal changed size or lost its contents: the next frame is
 * drawn whole, after clearing the screen. */
void display_renderer_resize(struct display_renderer *r, unsigned cols, unsigned rows);
void display_renderer_free(struct display_renderer *r);

/* Append to out what brings the terminal to frame f.  0, or -ENOMEM (the
 * renderer then redraws everything next time). */
int display_render(struct display_renderer *r, const struct display_frame *f,
		   struct display_buf *out);

/* The 256-colour palette's entry nearest to 0xRRGGBB (the 6x6x6 cube
 * 16-231 and the greys 232-255). */
uint8_t display_xterm256(uint32_t rgb);

/* The quit key, Ctrl-] (GS, 1Dh), as telnet uses it. */
#define DISPLAY_QUIT_BYTE 0x1d
#define DISPLAY_QUIT_NAME "Ctrl-]"

/* Where the quit key is among n bytes of keyboard input: its index, or n
 * when there is none. */
size_t display_find_quit(const uint8_t *bytes, size_t n);

#endif
