/*
 * vga_crtc.c - the CRT controller's index/data ports and input status 1
 * (see vga_crtc.h).
 */
#include "vga_crtc.h"
#include "vga.h"

enum {
	CRTC_CURSOR_START = 0x0a,
	CRTC_CURSOR_END = 0x0b,
	CRTC_CURSOR_HI = 0x0e,
	CRTC_CURSOR_LO = 0x0f,
};

#define BDA_CURSOR_SHAPE 0x460	/* end line, then start line */
#define STATUS_NOT_DISPLAYING 0x01
#define STATUS_VRETRACE 0x08

void vga_crtc_init(struct vga_crtc *c, struct guest_mem *mem, struct guest_clock *clock,
		   bool bios)
{
	*c = (struct vga_crtc){ .mem = mem, .clock = clock, .bios = bios };
	c->regs[CRTC_CURSOR_START] = 0x06;	/* the BIOS's default underline */
	c->regs[CRTC_CURSOR_END] = 0x07;
}

/* The cursor's offset in cells, from the BDA's column and row. */
static unsigned bda_cursor_offset(const struct vga_crtc *c)
{
	uint8_t row, col;

	vga_cursor(c->mem, &row, &col);
	return (unsigned)row * vga_cols(c->mem) + col;
}

static uint8_t read_reg(struct vga_crtc *c, uint8_t reg)
{
	uint8_t shape[2];

	if (reg >= VGA_CRTC_NREGS)
		return 0xff;
	if (c->bios && (reg == CRTC_CURSOR_HI || reg == CRTC_CURSOR_LO)) {
		unsigned off = bda_cursor_offset(c);

		return (uint8_t)(reg == CRTC_CURSOR_HI ? off >> 8 : off);
	}
	if (c->bios && (reg == CRTC_CURSOR_START || reg == CRTC_CURSOR_END) &&
	    mem_read(c->mem, BDA_CURSOR_SHAPE, shape, 2) == 0)
		return reg == CRTC_CURSOR_START ? shape[1] : shape[0];
	return c->regs[reg];
}

static void write_reg(struct vga_crtc *c, uint8_t reg, uint8_t v)
{
	if (reg >= VGA_CRTC_NREGS)
		return;
	c->regs[reg] = v;
	if (!c->bios)
		return;
	if (reg == CRTC_CURSOR_HI || reg == CRTC_CURSOR_LO) {
		unsigned cols = vga_cols(c->mem), off = bda_cursor_offset(c);

		off = reg == CRTC_CURSOR_HI ? (off & 0xff) | (unsigned)v << 8 : (off & 0xff00) | v;
		/* A location off the screen keeps its row and column clipped. */
		vga_set_cursor(c->mem, (uint8_t)(off / cols < 255 ? off / cols : 255),
			       (uint8_t)(off % cols));
	} else if (reg == CRTC_CURSOR_START || reg == CRTC_CURSOR_END) {
		uint8_t b = v;

		mem_write(c->mem, BDA_CURSOR_SHAPE + (reg == CRTC_CURSOR_START ? 1 : 0), &b, 1);
	}
}

void vga_crtc_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	struct vga_crtc *c = ctx;

	/* A 16-bit OUT to 0x3D4 writes the index, then the data: the usual
	 * "out dx, ax" with AL the index and AH the value. */
	for (unsigned i = 0; i < size; i++) {
		unsigned port = offset + i;

		if (port == 0 && is_write)
			c->index = data[i];
		else if (port == 0)
			data[i] = c->index;
		else if (port == 1 && is_write)
			write_reg(c, c->index, data[i]);
		else if (port == 1)
			data[i] = read_reg(c, c->index);
		else if (!is_write)
			data[i] = 0xff;
	}
}

void vga_status_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	struct vga_crtc *c = ctx;
	uint64_t now = c->clock ? guest_clock_now(c->clock) : 0;
	uint8_t v = 0;

	(void)offset;
	if (is_write)
		return;	/* feature control: ignored */
	if (now % VGA_FRAME_NS < VGA_VRETRACE_NS)
		v |= STATUS_VRETRACE | STATUS_NOT_DISPLAYING;
	else if (now % VGA_LINE_NS < VGA_HBLANK_NS)
		v |= STATUS_NOT_DISPLAYING;
	for (unsigned i = 0; i < size; i++)
		data[i] = i == 0 ? v : 0xff;
}
