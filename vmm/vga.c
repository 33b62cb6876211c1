/*
 * vga.c - the colour text screen in guest RAM (see vga.h).
 */
#include "vga.h"

#include <errno.h>

static uint64_t cell_addr(uint8_t row, uint8_t col)
{
	return VGA_TEXT_BASE + ((uint64_t)row * VGA_COLS + col) * 2;
}

static void put_cell(struct guest_mem *mem, uint8_t row, uint8_t col, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	mem_write(mem, cell_addr(row, col), b, 2);
}

uint16_t vga_cell(const struct guest_mem *mem, uint8_t row, uint8_t col)
{
	uint8_t b[2] = { 0, 0 };

	mem_read(mem, cell_addr(row, col), b, 2);
	return (uint16_t)(b[0] | b[1] << 8);
}

void vga_cursor(const struct guest_mem *mem, uint8_t *row, uint8_t *col)
{
	uint8_t b[2] = { 0, 0 };

	mem_read(mem, BDA_CURSOR, b, 2);
	*col = b[0] < VGA_COLS ? b[0] : VGA_COLS - 1;
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
	unsigned pos = (unsigned)row * VGA_COLS + col;

	for (unsigned i = 0; i < count && pos < VGA_COLS * VGA_ROWS; i++, pos++) {
		uint8_t r = (uint8_t)(pos / VGA_COLS), c = (uint8_t)(pos % VGA_COLS);
		uint16_t a = attr < 0 ? vga_cell(mem, r, c) >> 8 : (uint16_t)attr;

		put_cell(mem, r, c, (uint16_t)(ch | a << 8));
	}
}

void vga_scroll(struct guest_mem *mem, struct vga_window w, unsigned lines, uint8_t attr, bool up)
{
	unsigned height;

	if (w.bottom >= VGA_ROWS)
		w.bottom = VGA_ROWS - 1;
	if (w.right >= VGA_COLS)
		w.right = VGA_COLS - 1;
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
			put_cell(mem, dst, c, blank ? (uint16_t)(' ' | attr << 8)
						    : vga_cell(mem, src, c));
	}
}

void vga_teletype(struct guest_mem *mem, uint8_t ch)
{
	struct vga_window all = { 0, 0, VGA_ROWS - 1, VGA_COLS - 1 };
	uint8_t row, col;

	vga_cursor(mem, &row, &col);
	switch (ch) {
	case '\a':
		return;
	case '\b':
		if (col > 0)
			col--;
		break;
	case '\r':
		col = 0;
		break;
	case '\n':
		row++;
		break;
	default:
		vga_fill(mem, row, col, ch, -1, 1);
		if (++col == VGA_COLS) {
			col = 0;
			row++;
		}
	}
	if (row == VGA_ROWS) {
		vga_scroll(mem, all, 1, (uint8_t)(vga_cell(mem, VGA_ROWS - 1, 0) >> 8), true);
		row = VGA_ROWS - 1;
	}
	vga_set_cursor(mem, row, col);
}

int vga_dump(const struct guest_mem *mem, FILE *out)
{
	char lines[VGA_ROWS][VGA_COLS + 1];
	int last_row = -1;

	if (!mem_range_ok(mem, VGA_TEXT_BASE, VGA_TEXT_SIZE))
		return -EFAULT;
	for (uint8_t r = 0; r < VGA_ROWS; r++) {
		int len = 0;

		for (uint8_t c = 0; c < VGA_COLS; c++) {
			uint8_t ch = (uint8_t)vga_cell(mem, r, c);

			lines[r][c] = ch == 0 ? ' ' : (ch >= 0x20 && ch < 0x7f) ? (char)ch : '.';
			if (lines[r][c] != ' ')
				len = c + 1;
		}
		lines[r][len] = '\0';
		if (len)
			last_row = r;
	}
	for (int r = 0; r <= last_row; r++)
		fprintf(out, "%s\n", lines[r]);
	return 0;
}
