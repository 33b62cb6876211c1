/*
 * bios_video.c - INT 10h, video: the calls boot code uses on the 80x25 or
 * 40x25 text screen (vga.c), pixels in the CGA modes and mode 13h and the
 * DAC palette (video.c).  Teletype output (AH=0Eh, and AH=13h strings)
 * also goes to stdout, through COM1's output buffer so the two stay in
 * order.  In graphics modes the text calls draw with gdbvm's 8x8 font
 * (font.c) in the colour BL gives, as a VGA BIOS does.
 */
#include "bios.h"
#include "vga.h"
#include "video.h"

#include <errno.h>

static uint8_t bda_byte(struct bios *b, uint16_t off)
{
	uint8_t v = 0;

	mem_read(b->mem, BDA_BASE + off, &v, 1);
	return v;
}

static void set_bda_byte(struct bios *b, uint16_t off, uint8_t v)
{
	mem_write(b->mem, BDA_BASE + off, &v, 1);
}

/* The current mode, from the BIOS data area. */
static struct video_mode current(struct bios *b)
{
	return video_mode_info(bda_byte(b, 0x49));
}

static bool text_mode(struct bios *b)
{
	return current(b).kind == VIDEO_TEXT;
}

/* Teletype ch: on the text screen, or drawn in colour in a graphics mode;
 * and to stdout. */
static void teletype(struct bios *b, uint8_t ch, uint8_t colour)
{
	uint8_t mode = bda_byte(b, 0x49), row, col, at_row, at_col;
	struct vga_window all = { 0, 0, VGA_ROWS - 1, 0xff };
	unsigned flags;

	if (text_mode(b)) {
		vga_teletype(b->mem, ch, true);
	} else {
		vga_cursor(b->mem, &row, &col);
		at_row = row;
		at_col = col;
		flags = vga_tty_step(ch, vga_cols(b->mem), &row, &col);
		if (flags & VGA_TTY_DRAW)
			video_draw_char(b->mem, mode, at_row, at_col, ch, colour);
		if (flags & VGA_TTY_SCROLL)
			video_scroll(b->mem, mode, all, 1, 0, true);
		vga_set_cursor(b->mem, row, col);
	}
	if (b->console)
		uart_output(b->console, ch);
}

/* Zero len bytes of video memory at addr. */
static void clear_video(struct bios *b, uint64_t addr, size_t len)
{
	static const uint8_t zeros[4096];

	for (size_t done = 0; done < len; done += sizeof(zeros))
		mem_write(b->mem, addr + done, zeros,
			  len - done < sizeof(zeros) ? len - done : sizeof(zeros));
}

/* AH=00h: set video mode (AL bit 7: keep the screen): the BDA's mode,
 * columns and page size, the default palette, the cursor home. */
static enum bios_action set_mode(struct bios *b, struct bios_frame *f)
{
	uint8_t mode = reg_lo(f->eax) & 0x7f;
	struct video_mode m = video_mode_info(mode);
	uint16_t page = m.kind == VIDEO_CGA ? 0x4000 : m.kind != VIDEO_TEXT ? 0
		      : m.cols == VGA_COLS_NARROW ? 0x800 : 0x1000;	/* bytes per page */

	set_bda_byte(b, 0x49, mode);
	set_bda_byte(b, 0x4a, m.cols);
	set_bda_byte(b, 0x4b, 0);
	set_bda_byte(b, 0x4c, (uint8_t)page);
	set_bda_byte(b, 0x4d, (uint8_t)(page >> 8));
	set_bda_byte(b, 0x62, 0);
	video_dac_reset(&b->dac);
	b->cga_select = mode == 0x06 ? 0x3f : VIDEO_CGA_SELECT;
	if (!(reg_lo(f->eax) & 0x80)) {
		if (m.kind == VIDEO_TEXT)
			vga_reset(b->mem);
		else if (m.kind == VIDEO_CGA)
			clear_video(b, VIDEO_CGA_BASE, 0x4000);
		else
			clear_video(b, VIDEO_VGA_BASE, 0x10000);
	}
	vga_set_cursor(b->mem, 0, 0);
	/* What VGA BIOSes return in AL. */
	set_lo(&f->eax, mode == 0x06 ? 0x3f : mode <= 0x07 ? 0x30 : 0x20);
	return BIOS_RETURN;
}

/* AH=01h: cursor shape (CX), kept in the BDA. */
static enum bios_action set_cursor_shape(struct bios *b, struct bios_frame *f)
{
	set_bda_byte(b, 0x60, reg_lo(f->ecx));
	set_bda_byte(b, 0x61, reg_hi(f->ecx));
	return BIOS_RETURN;
}

/* AH=02h: move the cursor to DH, DL. */
static enum bios_action set_cursor(struct bios *b, struct bios_frame *f)
{
	vga_set_cursor(b->mem, reg_hi(f->edx), reg_lo(f->edx));
	return BIOS_RETURN;
}

/* AH=03h: cursor position in DH, DL and shape in CX. */
static enum bios_action get_cursor(struct bios *b, struct bios_frame *f)
{
	uint8_t row, col;

	vga_cursor(b->mem, &row, &col);
	set_hi(&f->edx, row);
	set_lo(&f->edx, col);
	set_x(&f->ecx, (uint16_t)(bda_byte(b, 0x60) | bda_byte(b, 0x61) << 8));
	return BIOS_RETURN;
}

/* AH=05h: select the active page (only page 0 is shown). */
static enum bios_action set_page(struct bios *b, struct bios_frame *f)
{
	set_bda_byte(b, 0x62, reg_lo(f->eax));
	return BIOS_RETURN;
}

/* AH=06h/07h: scroll the window CH,CL-DH,DL up/down by AL lines (0:
 * clear it), blanking with attribute BH. */
static enum bios_action scroll(struct bios *b, struct bios_frame *f)
{
	struct vga_window w = { reg_hi(f->ecx), reg_lo(f->ecx), reg_hi(f->edx), reg_lo(f->edx) };

	if (!text_mode(b)) {
		video_scroll(b->mem, bda_byte(b, 0x49), w, reg_lo(f->eax), reg_hi(f->ebx),
			     reg_hi(f->eax) == 0x06);
		return BIOS_RETURN;
	}
	vga_scroll(b->mem, w, reg_lo(f->eax), reg_hi(f->ebx), reg_hi(f->eax) == 0x06);
	return BIOS_RETURN;
}

/* AH=08h: character in AL and attribute in AH at the cursor. */
static enum bios_action read_cell(struct bios *b, struct bios_frame *f)
{
	uint8_t row, col;

	vga_cursor(b->mem, &row, &col);
	set_x(&f->eax, text_mode(b) ? vga_cell(b->mem, row, col) : 0);
	return BIOS_RETURN;
}

/* AH=09h: AL with attribute BL, CX times from the cursor, which stays;
 * AH=0Ah: the same keeping the attributes.  In graphics modes both draw
 * in colour BL, along the row. */
static enum bios_action write_cells(struct bios *b, struct bios_frame *f)
{
	uint8_t row, col;

	vga_cursor(b->mem, &row, &col);
	if (!text_mode(b)) {
		for (unsigned i = 0; i < (uint16_t)f->ecx && col + i < vga_cols(b->mem); i++)
			video_draw_char(b->mem, bda_byte(b, 0x49), row, col + i, reg_lo(f->eax),
					reg_lo(f->ebx));
		return BIOS_RETURN;
	}
	vga_fill(b->mem, row, col, reg_lo(f->eax),
		 reg_hi(f->eax) == 0x09 ? reg_lo(f->ebx) : -1, (uint16_t)f->ecx);
	return BIOS_RETURN;
}

/* AH=0Eh: teletype AL. */
static enum bios_action tty(struct bios *b, struct bios_frame *f)
{
	teletype(b, reg_lo(f->eax), reg_lo(f->ebx));
	return BIOS_RETURN;
}

/* AH=0Fh: mode in AL, columns in AH, page in BH. */
static enum bios_action get_mode(struct bios *b, struct bios_frame *f)
{
	set_lo(&f->eax, bda_byte(b, 0x49));
	set_hi(&f->eax, current(b).cols);
	set_hi(&f->ebx, bda_byte(b, 0x62));
	return BIOS_RETURN;
}

/* AH=0Bh: BH=00h background colour BL (bits 0-3) and brightness (bit 4),
 * BH=01h CGA palette BL (bit 0), kept for the CGA modes' screenshot. */
static enum bios_action cga_palette(struct bios *b, struct bios_frame *f)
{
	uint8_t bl = reg_lo(f->ebx);

	if (reg_hi(f->ebx) == 0x00)
		b->cga_select = (uint8_t)((b->cga_select & 0xe0) | (bl & 0x1f));
	else if (reg_hi(f->ebx) == 0x01)
		b->cga_select = (uint8_t)((b->cga_select & ~0x20) | (bl & 1) << 5);
	return BIOS_RETURN;
}

/* AH=0Ch: pixel AL at column CX, row DX (CGA modes: AL bit 7 XORs). */
static enum bios_action put_pixel(struct bios *b, struct bios_frame *f)
{
	if (video_put_pixel(b->mem, bda_byte(b, 0x49), (uint16_t)f->ecx, (uint16_t)f->edx,
			    reg_lo(f->eax)) == -ENOTSUP)
		return bios_unsupported(b, f);
	return BIOS_RETURN;
}

/* AH=0Dh: AL = the pixel at column CX, row DX. */
static enum bios_action get_pixel(struct bios *b, struct bios_frame *f)
{
	uint8_t colour;

	if (video_get_pixel(b->mem, bda_byte(b, 0x49), (uint16_t)f->ecx, (uint16_t)f->edx,
			    &colour) == -ENOTSUP)
		return bios_unsupported(b, f);
	set_lo(&f->eax, colour);
	return BIOS_RETURN;
}

/* AH=10h: the DAC: AL=10h set register BX to DH, CH, CL (red, green,
 * blue); AL=12h set CX registers from BX with ES:DX's table; AL=15h read
 * register BX; AL=17h read CX registers from BX into ES:DX.  The rest
 * (attribute registers) is accepted. */
static enum bios_action palette(struct bios *b, struct bios_frame *f)
{
	uint16_t first = (uint16_t)f->ebx, count = (uint16_t)f->ecx;
	uint64_t table = real_addr(f->es, (uint16_t)f->edx);
	uint8_t rgb[3];

	switch (reg_lo(f->eax)) {
	case 0x10:
		b->dac.rgb[first & 0xff][0] = reg_hi(f->edx) & 0x3f;
		b->dac.rgb[first & 0xff][1] = reg_hi(f->ecx) & 0x3f;
		b->dac.rgb[first & 0xff][2] = reg_lo(f->ecx) & 0x3f;
		break;
	case 0x12:
		for (unsigned i = 0; i < count && first + i < 256; i++) {
			if (mem_read(b->mem, table + 3 * i, rgb, 3) < 0)
				break;
			for (unsigned k = 0; k < 3; k++)
				b->dac.rgb[first + i][k] = rgb[k] & 0x3f;
		}
		break;
	case 0x15:
		set_hi(&f->edx, b->dac.rgb[first & 0xff][0]);
		set_hi(&f->ecx, b->dac.rgb[first & 0xff][1]);
		set_lo(&f->ecx, b->dac.rgb[first & 0xff][2]);
		break;
	case 0x17:
		for (unsigned i = 0; i < count && first + i < 256; i++)
			mem_write(b->mem, table + 3 * i, b->dac.rgb[first + i], 3);
		break;
	}
	return BIOS_RETURN;
}

/* AH=11h (fonts): accepted, nothing to change on a screen shown as text. */
static enum bios_action accept(struct bios *b, struct bios_frame *f)
{
	(void)b;
	(void)f;
	return BIOS_RETURN;
}

/* AH=12h BL=10h: EGA/VGA information: colour, 256K. */
static enum bios_action alt_select(struct bios *b, struct bios_frame *f)
{
	(void)b;
	if (reg_lo(f->ebx) == 0x10) {
		set_hi(&f->ebx, 0x00);
		set_lo(&f->ebx, 0x03);
		set_x(&f->ecx, 0x0009);
	}
	return BIOS_RETURN;
}

/* AH=13h: write CX characters from ES:BP at DH,DL (AL bit 1: character,
 * attribute pairs; bit 0: leave the cursor after the string). */
static enum bios_action write_string(struct bios *b, struct bios_frame *f)
{
	uint8_t mode = reg_lo(f->eax), saved_row, saved_col;
	bool pairs = mode & 2;
	uint64_t at = real_addr(f->es, (uint16_t)f->ebp);

	vga_cursor(b->mem, &saved_row, &saved_col);
	vga_set_cursor(b->mem, reg_hi(f->edx), reg_lo(f->edx));
	for (uint16_t i = 0; i < (uint16_t)f->ecx; i++) {
		uint8_t cell[2] = { 0, reg_lo(f->ebx) };
		uint8_t row, col;

		mem_read(b->mem, at, cell, pairs ? 2 : 1);
		at += pairs ? 2 : 1;
		vga_cursor(b->mem, &row, &col);
		if (cell[0] >= 0x20 && text_mode(b))
			vga_fill(b->mem, row, col, cell[0], cell[1], 1);
		teletype(b, cell[0], cell[1]);
	}
	if (!(mode & 1))
		vga_set_cursor(b->mem, saved_row, saved_col);
	return BIOS_RETURN;
}

/* AH=1Ah AL=00h: display combination: VGA colour. */
static enum bios_action display_combination(struct bios *b, struct bios_frame *f)
{
	(void)b;
	if (reg_lo(f->eax) == 0x00) {
		set_lo(&f->eax, 0x1a);
		set_x(&f->ebx, 0x0008);
	}
	return BIOS_RETURN;
}

static const bios_call_fn video_calls[256] = {
	[0x00] = set_mode,   [0x01] = set_cursor_shape, [0x02] = set_cursor,
	[0x03] = get_cursor, [0x05] = set_page,		[0x06] = scroll,
	[0x07] = scroll,     [0x08] = read_cell,	[0x09] = write_cells,
	[0x0a] = write_cells, [0x0b] = cga_palette,	[0x0c] = put_pixel,
	[0x0d] = get_pixel,  [0x0e] = tty,		[0x0f] = get_mode,
	[0x10] = palette,    [0x11] = accept,
	[0x12] = alt_select, [0x13] = write_string,	[0x1a] = display_combination,
};

enum bios_action bios_int10(struct bios *b, struct bios_frame *f)
{
	return bios_dispatch_ah(b, f, video_calls);
}
