/*
 * bios_video.c - INT 10h, video: the calls boot code uses on the 80x25
 * text screen (vga.c).  Teletype output (AH=0Eh, and AH=13h strings) also
 * goes to stdout, through COM1's output buffer so the two stay in order.
 */
#include "bios.h"
#include "vga.h"

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

static void teletype(struct bios *b, uint8_t ch)
{
	vga_teletype(b->mem, ch);
	if (b->console)
		uart_output(b->console, ch);
}

/* AH=00h: set video mode (AL bit 7: keep the screen). */
static enum bios_action set_mode(struct bios *b, struct bios_frame *f)
{
	uint8_t mode = reg_lo(f->eax);

	set_bda_byte(b, 0x49, mode & 0x7f);
	if (!(mode & 0x80))
		vga_reset(b->mem);
	else
		vga_set_cursor(b->mem, 0, 0);
	set_lo(&f->eax, 0x30);	/* what VGA BIOSes return for text modes */
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

	vga_scroll(b->mem, w, reg_lo(f->eax), reg_hi(f->ebx), reg_hi(f->eax) == 0x06);
	return BIOS_RETURN;
}

/* AH=08h: character in AL and attribute in AH at the cursor. */
static enum bios_action read_cell(struct bios *b, struct bios_frame *f)
{
	uint8_t row, col;

	vga_cursor(b->mem, &row, &col);
	set_x(&f->eax, vga_cell(b->mem, row, col));
	return BIOS_RETURN;
}

/* AH=09h: AL with attribute BL, CX times from the cursor, which stays;
 * AH=0Ah: the same keeping the attributes. */
static enum bios_action write_cells(struct bios *b, struct bios_frame *f)
{
	uint8_t row, col;

	vga_cursor(b->mem, &row, &col);
	vga_fill(b->mem, row, col, reg_lo(f->eax),
		 reg_hi(f->eax) == 0x09 ? reg_lo(f->ebx) : -1, (uint16_t)f->ecx);
	return BIOS_RETURN;
}

/* AH=0Eh: teletype AL. */
static enum bios_action tty(struct bios *b, struct bios_frame *f)
{
	teletype(b, reg_lo(f->eax));
	return BIOS_RETURN;
}

/* AH=0Fh: mode in AL, columns in AH, page in BH. */
static enum bios_action get_mode(struct bios *b, struct bios_frame *f)
{
	set_lo(&f->eax, bda_byte(b, 0x49));
	set_hi(&f->eax, VGA_COLS);
	set_hi(&f->ebx, bda_byte(b, 0x62));
	return BIOS_RETURN;
}

/* AH=0Bh (palette), AH=10h (palette registers), AH=11h (fonts): accepted,
 * nothing to change on a text screen shown as text. */
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
		if (cell[0] >= 0x20)
			vga_fill(b->mem, row, col, cell[0], cell[1], 1);
		teletype(b, cell[0]);
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
	[0x0a] = write_cells, [0x0b] = accept,		[0x0e] = tty,
	[0x0f] = get_mode,   [0x10] = accept,		[0x11] = accept,
	[0x12] = alt_select, [0x13] = write_string,	[0x1a] = display_combination,
};

enum bios_action bios_int10(struct bios *b, struct bios_frame *f)
{
	return bios_dispatch_ah(b, f, video_calls);
}
