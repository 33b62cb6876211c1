/*
 * vga.c - the colour text screen in guest RAM (see vga.h).
 */
#include "vga.h"

#include <errno.h>
#include <string.h>

/* CP437's pictures for bytes 01h-1Fh and 7Fh-FFh, in UTF-8, for --screen's
 * ANSI form (FFh, a no-break space, as a blank). */
static const char cp437_low[] = "☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼";
static const char cp437_high[] =
	"⌂ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐"
	"└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■ ";

/* VGA colour numbers (blue = 1, red = 4) to ANSI's (red = 1, blue = 4). */
static const uint8_t vga_to_ansi[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

unsigned vga_cols(const struct guest_mem *mem)
{
	uint8_t b[2] = { 0, 0 };

	mem_read(mem, BDA_COLS, b, 2);
	return b[0] == VGA_COLS_NARROW && b[1] == 0 ? VGA_COLS_NARROW : VGA_COLS;
}

static uint64_t cell_addr(unsigned cols, uint8_t row, uint8_t col)
{
	return VGA_TEXT_BASE + ((uint64_t)row * cols + col) * 2;
}

static void put_cell(struct guest_mem *mem, unsigned cols, uint8_t row, uint8_t col, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	mem_write(mem, cell_addr(cols, row, col), b, 2);
}

static uint16_t get_cell(const struct guest_mem *mem, unsigned cols, uint8_t row, uint8_t col)
{
	uint8_t b[2] = { 0, 0 };

	mem_read(mem, cell_addr(cols, row, col), b, 2);
	return (uint16_t)(b[0] | b[1] << 8);
}

uint16_t vga_cell(const struct guest_mem *mem, uint8_t row, uint8_t col)
{
	return get_cell(mem, vga_cols(mem), row, col);
}

void vga_cursor(const struct guest_mem *mem, uint8_t *row, uint8_t *col)
{
	unsigned cols = vga_cols(mem);
	uint8_t b[2] = { 0, 0 };

	mem_read(mem, BDA_CURSOR, b, 2);
	*col = b[0] < cols ? b[0] : (uint8_t)(cols - 1);
	*row = b[1] < VGA_ROWS ? b[1] : VGA_ROWS - 1;
}

void vga_set_cursor(struct guest_mem *mem, uint8_t row, uint8_t col)
{
	uint8_t b[2] = { col, row };

	mem_write(mem, BDA_CURSOR, b, 2);
}

void vga_reset(struct guest_mem *mem)
{
	struct vga_window all = { 0, 0, VGA_ROWS - 1, VGA_COLS - 1 };

	vga_scroll(mem, all, 0, VGA_ATTR, true);
	vga_set_cursor(mem, 0, 0);
}

void vga_fill(struct guest_mem *mem, uint8_t row, uint8_t col, uint8_t ch, int attr,
	      unsigned count)
{
	unsigned cols = vga_cols(mem), pos = (unsigned)row * cols + col;

	for (unsigned i = 0; i < count && pos < cols * VGA_ROWS; i++, pos++) {
		uint8_t r = (uint8_t)(pos / cols), c = (uint8_t)(pos % cols);
		uint16_t a = attr < 0 ? get_cell(mem, cols, r, c) >> 8 : (uint16_t)attr;

		put_cell(mem, cols, r, c, (uint16_t)(ch | a << 8));
	}
}

void vga_scroll(struct guest_mem *mem, struct vga_window w, unsigned lines, uint8_t attr, bool up)
{
	unsigned cols = vga_cols(mem), height;

	if (w.bottom >= VGA_ROWS)
		w.bottom = VGA_ROWS - 1;
	if (w.right >= cols)
		w.right = (uint8_t)(cols - 1);
	if (w.top > w.bottom || w.left > w.right)
		return;
	height = (unsigned)(w.bottom - w.top) + 1;
	if (lines == 0 || lines > height)
		lines = height;
	for (unsigned i = 0; i < height; i++) {
		/* Rows are copied in the direction that does not overwrite a
		 * source row before it is read. */
		uint8_t dst = (uint8_t)(up ? w.top + i : w.bottom - i);
		bool blank = i + lines >= height;
		uint8_t src = (uint8_t)(up ? dst + lines : dst - lines);

		for (uint8_t c = w.left; c <= w.right; c++)
			put_cell(mem, cols, dst, c, blank ? (uint16_t)(' ' | attr << 8)
							  : get_cell(mem, cols, src, c));
	}
}

unsigned vga_tty_step(uint8_t ch, unsigned cols, uint8_t *row, uint8_t *col)
{
	unsigned flags = 0;

	switch (ch) {
	case '\a':
		return 0;
	case '\b':
		if (*col > 0)
			(*col)--;
		break;
	case '\r':
		*col = 0;
		break;
	case '\n':
		(*row)++;
		break;
	default:
		flags = VGA_TTY_DRAW;
		if (++*col >= cols) {
			*col = 0;
			(*row)++;
		}
	}
	if (*row >= VGA_ROWS) {
		flags |= VGA_TTY_SCROLL;
		*row = VGA_ROWS - 1;
	}
	return flags;
}

void vga_teletype(struct guest_mem *mem, uint8_t ch, bool draw)
{
	unsigned cols = vga_cols(mem), flags;
	struct vga_window all = { 0, 0, VGA_ROWS - 1, (uint8_t)(cols - 1) };
	uint8_t row, col, at_row, at_col;

	vga_cursor(mem, &row, &col);
	at_row = row;
	at_col = col;
	flags = vga_tty_step(ch, cols, &row, &col);
	if (draw && (flags & VGA_TTY_DRAW))
		vga_fill(mem, at_row, at_col, ch, -1, 1);
	if (draw && (flags & VGA_TTY_SCROLL))
		vga_scroll(mem, all, 1, (uint8_t)(get_cell(mem, cols, VGA_ROWS - 1, 0) >> 8), true);
	vga_set_cursor(mem, row, col);
}

void vga_separator(FILE *out, const char *words, unsigned cols)
{
	int n = fprintf(out, "-- %s --", words);

	for (; n >= 0 && (unsigned)n < cols; n++)
		fputc('-', out);
	fputc('\n', out);
}

/* The n-th UTF-8 character of s (which has at least n + 1), copied to
 * out; returns its length. */
static unsigned utf8_nth(const char *s, unsigned n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned len = 0;

	for (; n; p++)
		if ((p[1] & 0xc0) != 0x80)
			n--;
	do
		out[len++] = (char)*p++;
	while ((*p & 0xc0) == 0x80 && len < 4);
	return len;
}

unsigned vga_char_utf8(uint8_t ch, char out[4])
{
	if (ch == 0) {
		out[0] = ' ';
		return 1;
	}
	if (ch < 0x20)
		return utf8_nth(cp437_low, ch - 1u, out);
	if (ch < 0x7f) {
		out[0] = (char)ch;
		return 1;
	}
	return utf8_nth(cp437_high, ch - 0x7fu, out);
}

static void put_ansi_char(FILE *out, uint8_t ch)
{
	char u[4];

	fwrite(u, 1, vga_char_utf8(ch, u), out);
}

/* Whether a cell shows anything beyond a black blank. */
static bool cell_shown(uint16_t cell, bool ansi)
{
	uint8_t ch = (uint8_t)cell;

	if (ansi && ((cell >> 12) & 7))
		return true;
	return ch != 0 && ch != ' ' && !(ansi && ch == 0xff);
}

int vga_dump(const struct guest_mem *mem, FILE *out, const struct vga_dump_style *style)
{
	unsigned cols = style->cols == VGA_COLS_NARROW ? VGA_COLS_NARROW : VGA_COLS;
	unsigned len[VGA_ROWS];
	int last_row = -1;

	if (!mem_range_ok(mem, VGA_TEXT_BASE, VGA_TEXT_SIZE))
		return -EFAULT;
	for (uint8_t r = 0; r < VGA_ROWS; r++) {
		len[r] = 0;
		for (uint8_t c = 0; c < cols; c++)
			if (cell_shown(get_cell(mem, cols, r, c), style->ansi))
				len[r] = c + 1u;
		if (len[r])
			last_row = r;
	}
	vga_separator(out, style->title, cols);
	for (int r = 0; r <= last_row; r++) {
		int attr = -1;

		for (uint8_t c = 0; c < len[r]; c++) {
			uint16_t cell = get_cell(mem, cols, (uint8_t)r, c);
			uint8_t ch = (uint8_t)cell, a = (uint8_t)(cell >> 8);

			if (!style->ansi) {
				fputc(ch == 0 ? ' ' : (ch >= 0x20 && ch < 0x7f) ? ch : '.', out);
				continue;
			}
			if (a != attr)
				fprintf(out, "\033[0;%d;%dm", (a & 8 ? 90 : 30) + vga_to_ansi[a & 7],
					40 + vga_to_ansi[(a >> 4) & 7]);
			attr = a;
			put_ansi_char(out, ch);
		}
		fputs(style->ansi && attr >= 0 ? "\033[0m\n" : "\n", out);
	}
	return 0;
}
