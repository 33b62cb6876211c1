/*
 * display_render.c - frames to terminal bytes for --display (see
 * display_render.h).
 */
#include "display_render.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* VGA colour numbers (blue = 1, red = 4) to ANSI's (red = 1, blue = 4). */
static const uint8_t vga_to_ansi[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

static const char upper_half[] = "\xe2\x96\x80";	/* U+2580 */

/* DECSCUSR shapes: blinking block, blinking underline. */
#define SHAPE_BLOCK	1
#define SHAPE_UNDERLINE	3

void display_buf_free(struct display_buf *b)
{
	free(b->data);
	*b = (struct display_buf){ 0 };
}

static void put(struct display_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (n > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (n > cap - b->len)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

__attribute__((format(printf, 2, 3)))
static void putf(struct display_buf *b, const char *fmt, ...)
{
	char s[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(b, s, (size_t)n < sizeof(s) ? (size_t)n : sizeof(s) - 1);
}

static void puts_buf(struct display_buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* Move the terminal's cursor to (row, col), 0-based. */
static void move_to(struct display_buf *b, unsigned row, unsigned col)
{
	putf(b, "\033[%u;%uH", row + 1, col + 1);
}

void display_renderer_init(struct display_renderer *r, unsigned cols, unsigned rows,
			   bool truecolor)
{
	*r = (struct display_renderer){ .truecolor = truecolor };
	display_renderer_resize(r, cols, rows);
}

void display_renderer_resize(struct display_renderer *r, unsigned cols, unsigned rows)
{
	r->term_cols = cols ? cols : 1;
	r->term_rows = rows ? rows : 1;
	r->valid = false;
}

void display_renderer_free(struct display_renderer *r)
{
	free(r->last_pixels);
	r->last_pixels = NULL;
	r->valid = false;
}

uint8_t display_xterm256(uint32_t rgb)
{
	static const uint8_t level[6] = { 0, 95, 135, 175, 215, 255 };
	int c[3] = { (int)(rgb >> 16) & 255, (int)(rgb >> 8) & 255, (int)rgb & 255 };
	int idx[3], cube_d = 0, grey_d = 0, grey, g;

	for (int k = 0; k < 3; k++) {
		idx[k] = c[k] < 48 ? 0 : c[k] < 115 ? 1 : (c[k] - 35) / 40;
		cube_d += (c[k] - level[idx[k]]) * (c[k] - level[idx[k]]);
	}
	g = (c[0] + c[1] + c[2]) / 3;
	grey = g < 8 ? 0 : g > 238 ? 23 : (g - 8 + 5) / 10;
	if (grey > 23)
		grey = 23;
	for (int k = 0; k < 3; k++)
		grey_d += (c[k] - (8 + 10 * grey)) * (c[k] - (8 + 10 * grey));
	if (grey_d < cube_d)
		return (uint8_t)(232 + grey);
	return (uint8_t)(16 + 36 * idx[0] + 6 * idx[1] + idx[2]);
}

size_t display_find_quit(const uint8_t *bytes, size_t n)
{
	const uint8_t *q = memchr(bytes, DISPLAY_QUIT_BYTE, n);

	return q ? (size_t)(q - bytes) : n;
}

/* ---- text ---- */

static void text_colours(struct display_renderer *r, struct display_buf *b, uint8_t attr)
{
	unsigned fg = attr & 15, bg = attr >> 4;

	if ((int)fg == r->sgr_fg && (int)bg == r->sgr_bg)
		return;
	putf(b, "\033[%u;%um", (fg & 8 ? 90 : 30) + vga_to_ansi[fg & 7],
	     (bg & 8 ? 100 : 40) + vga_to_ansi[bg & 7]);
	r->sgr_fg = (int)fg;
	r->sgr_bg = (int)bg;
}

static void render_cursor(struct display_renderer *r, const struct display_frame *f,
			  struct display_buf *b, bool full, bool moved)
{
	unsigned rows = r->term_rows < VGA_ROWS ? r->term_rows : VGA_ROWS;
	unsigned cols = r->term_cols < f->cols ? r->term_cols : f->cols;
	bool shown = f->cursor != CURSOR_HIDDEN && f->cursor_row < rows && f->cursor_col < cols;
	int row = shown ? f->cursor_row : -1, col = shown ? f->cursor_col : -1;
	bool was_shown = r->last_cursor_row >= 0;

	if (shown && (full || f->cursor != r->last_cursor))
		putf(b, "\033[%d q", f->cursor == CURSOR_BLOCK ? SHAPE_BLOCK : SHAPE_UNDERLINE);
	if (shown && (full || moved || row != r->last_cursor_row || col != r->last_cursor_col))
		move_to(b, (unsigned)row, (unsigned)col);
	if (shown && (full || !was_shown))
		puts_buf(b, "\033[?25h");
	if (!shown && (full || was_shown))
		puts_buf(b, "\033[?25l");
	r->last_cursor_row = row;
	r->last_cursor_col = col;
	r->last_cursor = f->cursor;
}

static void render_text(struct display_renderer *r, const struct display_frame *f,
			struct display_buf *b, bool full)
{
	unsigned cols = f->cols == VGA_COLS_NARROW ? VGA_COLS_NARROW : VGA_COLS;
	unsigned vis_rows = r->term_rows < VGA_ROWS ? r->term_rows : VGA_ROWS;
	unsigned vis_cols = r->term_cols < cols ? r->term_cols : cols;
	int at_row = -1, at_col = -1;	/* where the terminal's cursor is, if known */
	bool drew = false;

	for (unsigned row = 0; row < vis_rows; row++) {
		for (unsigned col = 0; col < vis_cols; col++) {
			unsigned i = row * cols + col;
			uint16_t cell = f->cells[i];
			char u[4];

			if (!full && cell == r->last_cells[i])
				continue;
			if (at_row != (int)row || at_col != (int)col)
				move_to(b, row, col);
			text_colours(r, b, (uint8_t)(cell >> 8));
			put(b, u, vga_char_utf8((uint8_t)cell, u));
			at_row = (int)row;
			/* In the last column the terminal waits to wrap: move
			 * explicitly next time. */
			at_col = col + 1 < r->term_cols ? (int)col + 1 : -1;
			drew = true;
		}
	}
	memcpy(r->last_cells, f->cells, sizeof(r->last_cells));
	r->last_cols = cols;
	render_cursor(r, f, b, full, drew);
}

/* ---- pixels ---- */

/* The picture's size in terminal cells: the largest 4:3 area (in square
 * half-cell pixels) that fits. */
static void picture_size(const struct display_renderer *r, unsigned *pcols, unsigned *prows,
			 unsigned *pix_rows)
{
	unsigned w = r->term_cols, h2 = r->term_rows * 2;

	if (w * 3 > h2 * 4)
		w = h2 * 4 / 3;
	if (w == 0)
		w = 1;
	*pcols = w;
	*pix_rows = w * 3 / 4 ? w * 3 / 4 : 1;
	*prows = (*pix_rows + 1) / 2;
	if (*prows > r->term_rows)
		*prows = r->term_rows;
}

static uint32_t sample(const struct video_image *img, unsigned x, unsigned y, unsigned pw,
		       unsigned ph)
{
	unsigned sx = (unsigned)((uint64_t)x * img->width / pw);
	unsigned sy = (unsigned)((uint64_t)y * img->height / ph);
	const uint8_t *rgb;

	if (y >= ph)
		return 0;
	rgb = img->palette[img->pixels[(size_t)sy * img->width + sx]];
	return (uint32_t)rgb[0] << 16 | (uint32_t)rgb[1] << 8 | rgb[2];
}

static void colour_sgr(struct display_renderer *r, struct display_buf *b, uint32_t fg,
		       uint32_t bg)
{
	bool set_fg = (int)fg != r->sgr_fg, set_bg = (int)bg != r->sgr_bg;

	if (!set_fg && !set_bg)
		return;
	puts_buf(b, "\033[");
	if (set_fg && r->truecolor)
		putf(b, "38;2;%u;%u;%u", fg >> 16, (fg >> 8) & 255, fg & 255);
	else if (set_fg)
		putf(b, "38;5;%u", display_xterm256(fg));
	if (set_fg && set_bg)
		puts_buf(b, ";");
	if (set_bg && r->truecolor)
		putf(b, "48;2;%u;%u;%u", bg >> 16, (bg >> 8) & 255, bg & 255);
	else if (set_bg)
		putf(b, "48;5;%u", display_xterm256(bg));
	puts_buf(b, "m");
	r->sgr_fg = (int)fg;
	r->sgr_bg = (int)bg;
}

static int render_pixels(struct display_renderer *r, const struct display_frame *f,
			 struct display_buf *b, bool full)
{
	const struct video_image *img = f->image;
	unsigned pcols, prows, pix_rows;
	int at_row = -1, at_col = -1;

	picture_size(r, &pcols, &prows, &pix_rows);
	if (!r->last_pixels || pcols != r->pic_cols || prows != r->pic_rows) {
		free(r->last_pixels);
		r->last_pixels = calloc((size_t)pcols * prows, sizeof(*r->last_pixels));
		if (!r->last_pixels)
			return -ENOMEM;
		r->pic_cols = pcols;
		r->pic_rows = prows;
		full = true;
	}
	if (full)
		puts_buf(b, "\033[?25l");
	for (unsigned y = 0; y < prows; y++) {
		for (unsigned x = 0; x < pcols; x++) {
			struct display_pixel_cell *last = &r->last_pixels[(size_t)y * pcols + x];
			uint32_t top = sample(img, x, 2 * y, pcols, pix_rows);
			uint32_t bottom = sample(img, x, 2 * y + 1, pcols, pix_rows);

			if (!full && last->top == top && last->bottom == bottom)
				continue;
			if (at_row != (int)y || at_col != (int)x)
				move_to(b, y, x);
			colour_sgr(r, b, top, bottom);
			put(b, upper_half, sizeof(upper_half) - 1);
			at_row = (int)y;
			at_col = x + 1 < r->term_cols ? (int)x + 1 : -1;
			last->top = top;
			last->bottom = bottom;
		}
	}
	r->last_width = img->width;
	r->last_height = img->height;
	r->last_cursor_row = -1;
	return 0;
}

int display_render(struct display_renderer *r, const struct display_frame *f,
		   struct display_buf *out)
{
	size_t start = out->len;
	bool full = !r->valid || f->kind != r->last_kind;
	int e = 0;

	if (f->kind == DISPLAY_TEXT && r->valid && f->cols != r->last_cols)
		full = true;
	if (f->kind == DISPLAY_PIXELS && r->valid &&
	    (f->image->width != r->last_width || f->image->height != r->last_height))
		full = true;
	if (f->kind == DISPLAY_NOTE && r->valid && strcmp(f->note, r->last_note) != 0)
		full = true;
	if (full) {
		puts_buf(out, "\033[0m\033[2J");
		r->sgr_fg = r->sgr_bg = -1;
	}
	switch (f->kind) {
	case DISPLAY_TEXT:
		render_text(r, f, out, full);
		break;
	case DISPLAY_PIXELS:
		e = render_pixels(r, f, out, full);
		break;
	case DISPLAY_NOTE:
		if (full) {
			puts_buf(out, "\033[?25l\033[1;1H");
			put(out, f->note, strnlen(f->note, sizeof(f->note)));
			snprintf(r->last_note, sizeof(r->last_note), "%s", f->note);
			r->last_cursor_row = -1;
		}
		break;
	case DISPLAY_BLANK:
		break;
	}
	if (!e && out->failed)
		e = -ENOMEM;
	if (e) {
		out->len = start < out->len ? start : out->len;
		out->failed = false;
		r->valid = false;
		return e;
	}
	r->valid = true;
	r->last_kind = f->kind;
	return 0;
}
