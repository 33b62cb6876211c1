/*
 * video.h - the VGA beyond the text screen: the video modes INT 10h AH=00h
 * knows, pixels in the graphics modes gdbvm shows (CGA modes 04h/05h/06h,
 * interleaved at 0xB8000, and mode 13h, linear at 0xA0000), the DAC
 * palette behind ports 0x3C7-0x3C9, and the screen as an indexed image for
 * --screenshot.
 */
#ifndef GDBVM_VIDEO_H
#define GDBVM_VIDEO_H

#include <stdbool.h>
#include <stdint.h>

#include "memory.h"
#include "vga.h"

#define VIDEO_DAC_PORT	0x3c6	/* 3C6 mask, 3C7 read index, 3C8 write index, 3C9 data */
#define VIDEO_DAC_NPORTS 4
#define VIDEO_VGA_BASE	0xa0000
#define VIDEO_CGA_BASE	0xb8000
#define VIDEO_CGA_SELECT 0x30	/* colour select after a mode set: palette 1, bright */

enum video_kind {
	VIDEO_TEXT,	/* characters at 0xB8000 */
	VIDEO_CGA,	/* 2 (04h, 05h) or 1 (06h) bits per pixel at 0xB8000, interleaved */
	VIDEO_VGA256,	/* mode 13h: a byte per pixel at 0xA0000 */
	VIDEO_OTHER,	/* planar EGA/VGA modes and unknown ones: not shown */
};

struct video_mode {
	enum video_kind kind;
	uint8_t cols;		/* text columns (the BDA's 0x44A) */
	uint16_t width, height;	/* pixels, for the graphics modes */
	uint8_t bits;		/* bits per pixel */
	const char *name;	/* "80x25 text", "320x200 256-colour graphics"... */
};

/* What mode (bit 7 ignored) is; unknown modes are VIDEO_OTHER. */
struct video_mode video_mode_info(uint8_t mode);

/* The DAC: 256 entries of 6-bit red, green, blue. */
struct video_dac {
	uint8_t rgb[256][3];
	uint8_t write_index, write_part;	/* 3C8, and which of R, G, B is next */
	uint8_t read_index, read_part;		/* 3C7 */
	uint8_t mask;				/* 3C6 */
	bool reading;				/* 3C7 was written last */
};

/* The VGA's default palette: the 16 EGA colours, 16 greys, 216 hues. */
void video_dac_reset(struct video_dac *dac);

/* The port handler for 0x3C6-0x3C9 (ctx is the struct video_dac). */
void video_dac_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);

/* INT 10h AH=0Ch: colour at (x, y) in mode; in the CGA modes colour bit 7
 * XORs.  Outside the screen nothing happens.  -ENOTSUP for other modes. */
int video_put_pixel(struct guest_mem *mem, uint8_t mode, uint16_t x, uint16_t y, uint8_t colour);
/* INT 10h AH=0Dh: the colour at (x, y) (0 outside the screen). */
int video_get_pixel(const struct guest_mem *mem, uint8_t mode, uint16_t x, uint16_t y,
		    uint8_t *colour);

/* Text in a graphics mode: ch's glyph (font.c) in character cell (row,
 * col) of the mode's 8x8 grid, in colour; in the CGA modes colour bit 7
 * XORs the glyph's pixels onto the screen, otherwise the rest of the cell
 * becomes colour 0.  -ENOTSUP for a mode without pixels. */
int video_draw_char(struct guest_mem *mem, uint8_t mode, unsigned row, unsigned col, uint8_t ch,
		    uint8_t colour);

/* Scroll a window (in character cells) of a graphics mode up (or down)
 * by lines (0: clear it), the rows let in filled with colour.  -ENOTSUP
 * for a mode without pixels. */
int video_scroll(struct guest_mem *mem, uint8_t mode, struct vga_window w, unsigned lines,
		 uint8_t colour, bool up);

#define VIDEO_TEXT_CELL_H 16	/* a text screenshot's cell: the 8x8 glyph, rows doubled */

/* The screen of a mode as palette indices and a palette. */
struct video_image {
	uint16_t width, height;
	uint8_t pixels[640 * 25 * VIDEO_TEXT_CELL_H];	/* the largest: 80x25 text */
	uint8_t palette[256][3];	/* 8-bit red, green, blue */
	unsigned ncolours;
};

/* Capture the screen of mode (the DAC for mode 13h, cga_select, the
 * colour select register INT 10h AH=0Bh sets, for the CGA modes); a text
 * mode is drawn with the font, 8x16 pixels a cell in the 16 EGA colours.
 * -ENOTSUP for an unshown mode, -EFAULT when RAM does not hold it. */
int video_capture(const struct guest_mem *mem, uint8_t mode, const struct video_dac *dac,
		  uint8_t cga_select, struct video_image *img);

#endif
