/*
 * video.c - video modes, graphics pixels, the DAC palette and screen
 * capture (see video.h).
 */
#include "video.h"
#include "font.h"

#include <errno.h>
#include <string.h>

/* The 16 EGA colours as 6-bit red, green, blue (the DAC's first entries). */
static const uint8_t ega_rgb[16][3] = {
	{ 0, 0, 0 },	 { 0, 0, 42 },	 { 0, 42, 0 },	 { 0, 42, 42 },
	{ 42, 0, 0 },	 { 42, 0, 42 },	 { 42, 21, 0 },	 { 42, 42, 42 },
	{ 21, 21, 21 },	 { 21, 21, 63 }, { 21, 63, 21 }, { 21, 63, 63 },
	{ 63, 21, 21 },	 { 63, 21, 63 }, { 63, 63, 21 }, { 63, 63, 63 },
};

/* Entries 16-31: a grey ramp. */
static const uint8_t greys[16] = { 0, 5, 8, 11, 14, 17, 20, 24, 28, 32, 36, 40, 45, 50, 56, 63 };

/* Entries 32-247: 24 hues at 3 values x 3 saturations; each group of 24
 * uses five levels, from the lowest component to the highest. */
static const uint8_t hue_levels[9][5] = {
	{ 0, 16, 31, 47, 63 },	{ 31, 39, 47, 55, 63 }, { 45, 49, 54, 58, 63 },
	{ 0, 7, 14, 21, 28 },	{ 14, 17, 21, 24, 28 }, { 20, 22, 24, 26, 28 },
	{ 0, 4, 8, 12, 16 },	{ 8, 10, 12, 14, 16 },	{ 11, 12, 13, 15, 16 },
};

static const struct {
	uint8_t mode;
	struct video_mode info;
} modes[] = {
	{ 0x00, { VIDEO_TEXT, 40, 0, 0, 4, "40x25 text" } },
	{ 0x01, { VIDEO_TEXT, 40, 0, 0, 4, "40x25 text" } },
	{ 0x02, { VIDEO_TEXT, 80, 0, 0, 4, "80x25 text" } },
	{ 0x03, { VIDEO_TEXT, 80, 0, 0, 4, "80x25 text" } },
	{ 0x04, { VIDEO_CGA, 40, 320, 200, 2, "320x200 4-colour CGA graphics" } },
	{ 0x05, { VIDEO_CGA, 40, 320, 200, 2, "320x200 4-colour CGA graphics" } },
	{ 0x06, { VIDEO_CGA, 80, 640, 200, 1, "640x200 2-colour CGA graphics" } },
	{ 0x07, { VIDEO_TEXT, 80, 0, 0, 4, "80x25 text (shown from 0xb8000)" } },
	{ 0x0d, { VIDEO_OTHER, 40, 320, 200, 4, "320x200 16-colour planar graphics" } },
	{ 0x0e, { VIDEO_OTHER, 80, 640, 200, 4, "640x200 16-colour planar graphics" } },
	{ 0x0f, { VIDEO_OTHER, 80, 640, 350, 1, "640x350 monochrome graphics" } },
	{ 0x10, { VIDEO_OTHER, 80, 640, 350, 4, "640x350 16-colour planar graphics" } },
	{ 0x11, { VIDEO_OTHER, 80, 640, 480, 1, "640x480 2-colour graphics" } },
	{ 0x12, { VIDEO_OTHER, 80, 640, 480, 4, "640x480 16-colour planar graphics" } },
	{ 0x13, { VIDEO_VGA256, 40, 320, 200, 8, "320x200 256-colour graphics" } },
};

struct video_mode video_mode_info(uint8_t mode)
{
	mode &= 0x7f;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (modes[i].mode == mode)
			return modes[i].info;
	return (struct video_mode){ VIDEO_OTHER, 80, 0, 0, 0, "an unknown mode" };
}

/* Hue h (0-23) of the ramp: a component rises over 4 steps, stays high
 * for 8, falls over 4 and stays low for 8; green lags red by 8 steps and
 * blue by 16, so the ramp goes blue, magenta, red, yellow, green, cyan. */
static unsigned ramp(unsigned h)
{
	h %= 24;
	return h < 4 ? h : h < 12 ? 4 : h < 16 ? 16 - h : 0;
}

void video_dac_reset(struct video_dac *dac)
{
	*dac = (struct video_dac){ .mask = 0xff };
	memcpy(dac->rgb, ega_rgb, sizeof(ega_rgb));
	for (unsigned i = 0; i < 16; i++)
		memset(dac->rgb[16 + i], greys[i], 3);
	for (unsigned g = 0; g < 9; g++)
		for (unsigned h = 0; h < 24; h++) {
			uint8_t *c = dac->rgb[32 + g * 24 + h];

			c[0] = hue_levels[g][ramp(h)];
			c[1] = hue_levels[g][ramp(h + 16)];
			c[2] = hue_levels[g][ramp(h + 8)];
		}
	/* 248-255 stay black */
}

static void dac_port(struct video_dac *dac, unsigned port, uint8_t *v, bool is_write)
{
	switch (port) {
	case 0:	/* 3C6: pixel mask */
		if (is_write)
			dac->mask = *v;
		else
			*v = dac->mask;
		break;
	case 1:	/* 3C7: read index (write); DAC state (read): 3 reading, 0 writing */
		if (is_write) {
			dac->read_index = *v;
			dac->read_part = 0;
			dac->reading = true;
		} else {
			*v = dac->reading ? 3 : 0;
		}
		break;
	case 2:	/* 3C8: write index */
		if (is_write) {
			dac->write_index = *v;
			dac->write_part = 0;
			dac->reading = false;
		} else {
			*v = dac->write_index;
		}
		break;
	default: /* 3C9: data, red, green, blue in turn */
		if (is_write) {
			dac->rgb[dac->write_index][dac->write_part] = *v & 0x3f;
			if (++dac->write_part == 3) {
				dac->write_part = 0;
				dac->write_index++;
			}
		} else {
			*v = dac->rgb[dac->read_index][dac->read_part];
			if (++dac->read_part == 3) {
				dac->read_part = 0;
				dac->read_index++;
			}
		}
	}
}

void video_dac_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	/* A word or dword access reaches the following ports, byte by byte
	 * (OUT DX, AX on 3C8 sets the index and gives the red part). */
	for (unsigned i = 0; i < size; i++) {
		if (offset + i < VIDEO_DAC_NPORTS)
			dac_port(ctx, offset + i, &data[i], is_write);
		else if (!is_write)
			data[i] = 0xff;
	}
}

/* Where pixel (x, y) is: the byte's address, and the shift and mask of
 * its bits in that byte.  False outside the screen or the mode. */
static bool locate(uint8_t mode, uint16_t x, uint16_t y, uint64_t *addr, unsigned *shift,
		   uint8_t *mask)
{
	struct video_mode m = video_mode_info(mode);
	unsigned per_byte;

	if (m.kind != VIDEO_CGA && m.kind != VIDEO_VGA256)
		return false;
	if (x >= m.width || y >= m.height)
		return false;
	if (m.kind == VIDEO_VGA256) {
		*addr = VIDEO_VGA_BASE + (uint64_t)y * m.width + x;
		*shift = 0;
		*mask = 0xff;
		return true;
	}
	/* CGA: even rows from B8000, odd rows from BA000, 80 bytes a row,
	 * the leftmost pixel in the byte's high bits. */
	per_byte = 8u / m.bits;
	*addr = VIDEO_CGA_BASE + (y & 1u) * 0x2000 + (uint64_t)(y >> 1) * 80 + x / per_byte;
	*shift = (per_byte - 1 - x % per_byte) * m.bits;
	*mask = (uint8_t)((1u << m.bits) - 1);
	return true;
}

int video_put_pixel(struct guest_mem *mem, uint8_t mode, uint16_t x, uint16_t y, uint8_t colour)
{
	struct video_mode m = video_mode_info(mode);
	uint64_t addr;
	unsigned shift;
	uint8_t mask, b = 0;

	if (m.kind != VIDEO_CGA && m.kind != VIDEO_VGA256)
		return -ENOTSUP;
	if (!locate(mode, x, y, &addr, &shift, &mask))
		return 0;
	if (m.kind == VIDEO_VGA256)
		return mem_write(mem, addr, &colour, 1);
	mem_read(mem, addr, &b, 1);
	if (colour & 0x80)
		b ^= (uint8_t)((colour & mask) << shift);
	else
		b = (uint8_t)((b & ~(mask << shift)) | (colour & mask) << shift);
	return mem_write(mem, addr, &b, 1);
}

int video_get_pixel(const struct guest_mem *mem, uint8_t mode, uint16_t x, uint16_t y,
		    uint8_t *colour)
{
	struct video_mode m = video_mode_info(mode);
	uint64_t addr;
	unsigned shift;
	uint8_t mask, b = 0;

	*colour = 0;
	if (m.kind != VIDEO_CGA && m.kind != VIDEO_VGA256)
		return -ENOTSUP;
	if (!locate(mode, x, y, &addr, &shift, &mask))
		return 0;
	mem_read(mem, addr, &b, 1);
	*colour = (uint8_t)((b >> shift) & mask);
	return 0;
}

static bool has_pixels(uint8_t mode)
{
	enum video_kind kind = video_mode_info(mode).kind;

	return kind == VIDEO_CGA || kind == VIDEO_VGA256;
}

int video_draw_char(struct guest_mem *mem, uint8_t mode, unsigned row, unsigned col, uint8_t ch,
		    uint8_t colour)
{
	struct video_mode m = video_mode_info(mode);
	bool xor = m.kind == VIDEO_CGA && (colour & 0x80);
	uint8_t glyph[FONT_HEIGHT];

	if (!has_pixels(mode))
		return -ENOTSUP;
	font_glyph(ch, glyph);
	for (unsigned y = 0; y < FONT_HEIGHT; y++)
		for (unsigned x = 0; x < FONT_WIDTH; x++) {
			bool on = glyph[y] & (0x80 >> x);

			if (on || !xor)
				video_put_pixel(mem, mode, (uint16_t)(col * FONT_WIDTH + x),
						(uint16_t)(row * FONT_HEIGHT + y), on ? colour : 0);
		}
	return 0;
}

int video_scroll(struct guest_mem *mem, uint8_t mode, struct vga_window w, unsigned lines,
		 uint8_t colour, bool up)
{
	struct video_mode m = video_mode_info(mode);
	unsigned cols = m.width / FONT_WIDTH, rows = m.height / FONT_HEIGHT, height, x0, x1;

	if (!has_pixels(mode))
		return -ENOTSUP;
	if (w.bottom >= rows)
		w.bottom = (uint8_t)(rows - 1);
	if (w.right >= cols)
		w.right = (uint8_t)(cols - 1);
	if (w.top > w.bottom || w.left > w.right)
		return 0;
	height = (unsigned)(w.bottom - w.top + 1) * FONT_HEIGHT;
	lines = lines == 0 || lines * FONT_HEIGHT > height ? height : lines * FONT_HEIGHT;
	x0 = w.left * FONT_WIDTH;
	x1 = (w.right + 1u) * FONT_WIDTH;
	for (unsigned i = 0; i < height; i++) {
		/* Pixel rows copied in the direction that reads each source
		 * before it is overwritten, as vga_scroll does with cells. */
		unsigned dst = up ? w.top * FONT_HEIGHT + i : (w.bottom + 1u) * FONT_HEIGHT - 1 - i;
		unsigned src = up ? dst + lines : dst - lines;
		bool blank = i + lines >= height;

		for (unsigned x = x0; x < x1; x++) {
			uint8_t c = colour;

			if (!blank)
				video_get_pixel(mem, mode, (uint16_t)x, (uint16_t)src, &c);
			/* (in a CGA mode, bit 7 of the fill would XOR) */
			video_put_pixel(mem, mode, (uint16_t)x, (uint16_t)dst,
					m.kind == VIDEO_CGA ? c & 0x7f : c);
		}
	}
	return 0;
}

/* 6-bit DAC level to 8 bits (63 is 255). */
static uint8_t to8(uint8_t v)
{
	v &= 0x3f;
	return (uint8_t)(v << 2 | v >> 4);
}

/* The CGA modes' colours: mode 06h black and white; modes 04h/05h the
 * background (select bits 0-3) and palette 0 (green, red, brown) or 1
 * (cyan, magenta, white) by select bit 5, bright by bit 4. */
static unsigned cga_palette(uint8_t mode, uint8_t select, uint8_t out[4][3])
{
	uint8_t ega[4];

	if ((mode & 0x7f) == 0x06) {
		ega[0] = 0;
		ega[1] = 15;
	} else {
		uint8_t bright = select & 0x10 ? 8 : 0;

		ega[0] = select & 0x0f;
		for (unsigned i = 1; i < 4; i++)
			ega[i] = (uint8_t)((select & 0x20 ? 2 * i + 1 : 2 * i) + bright);
	}
	for (unsigned i = 0; i < ((mode & 0x7f) == 0x06 ? 2u : 4u); i++)
		for (unsigned k = 0; k < 3; k++)
			out[i][k] = to8(ega_rgb[ega[i]][k]);
	return (mode & 0x7f) == 0x06 ? 2 : 4;
}

/* A text screen drawn with the font: each cell's glyph rows twice, in the
 * attribute's foreground (0-15) on its background (0-7). */
static int capture_text(const struct guest_mem *mem, unsigned cols, struct video_image *img)
{
	uint8_t cells[VGA_COLS * VGA_ROWS * 2], glyph[FONT_HEIGHT];

	if (mem_read(mem, VGA_TEXT_BASE, cells, (size_t)cols * VGA_ROWS * 2) < 0)
		return -EFAULT;
	img->width = (uint16_t)(cols * FONT_WIDTH);
	img->height = VGA_ROWS * VIDEO_TEXT_CELL_H;
	img->ncolours = 16;
	for (unsigned i = 0; i < 16; i++)
		for (unsigned k = 0; k < 3; k++)
			img->palette[i][k] = to8(ega_rgb[i][k]);
	for (unsigned cell = 0; cell < cols * VGA_ROWS; cell++) {
		uint8_t attr = cells[2 * cell + 1];
		unsigned x0 = cell % cols * FONT_WIDTH, y0 = cell / cols * VIDEO_TEXT_CELL_H;

		font_glyph(cells[2 * cell], glyph);
		for (unsigned y = 0; y < VIDEO_TEXT_CELL_H; y++)
			for (unsigned x = 0; x < FONT_WIDTH; x++)
				img->pixels[(y0 + y) * img->width + x0 + x] =
					glyph[y / 2] & (0x80 >> x) ? attr & 0x0f : (attr >> 4) & 7;
	}
	return 0;
}

int video_capture(const struct guest_mem *mem, uint8_t mode, const struct video_dac *dac,
		  uint8_t cga_select, struct video_image *img)
{
	struct video_mode m = video_mode_info(mode);

	if (m.kind == VIDEO_TEXT)
		return capture_text(mem, m.cols, img);
	if (m.kind != VIDEO_CGA && m.kind != VIDEO_VGA256)
		return -ENOTSUP;
	img->width = m.width;
	img->height = m.height;
	if (m.kind == VIDEO_VGA256) {
		if (mem_read(mem, VIDEO_VGA_BASE, img->pixels, (size_t)m.width * m.height) < 0)
			return -EFAULT;
		for (unsigned i = 0; i < 256; i++)
			for (unsigned k = 0; k < 3; k++)
				img->palette[i][k] = to8(dac->rgb[i & dac->mask][k]);
		img->ncolours = 256;
		return 0;
	}
	if (!mem_range_ok(mem, VIDEO_CGA_BASE, 0x4000))
		return -EFAULT;
	img->ncolours = cga_palette(mode, cga_select, (uint8_t(*)[3])img->palette);
	for (uint16_t y = 0; y < m.height; y++)
		for (uint16_t x = 0; x < m.width; x++)
			video_get_pixel(mem, mode, x, y, &img->pixels[(size_t)y * m.width + x]);
	return 0;
}
