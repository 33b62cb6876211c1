/* test_vga_crtc.c - tests the CRT controller's ports and input status 1
 * (vmm/vga_crtc.c), with the BIOS's cursor in the BDA and without. */
#include "vga.h"
#include "vga_crtc.h"
#include "suites.h"
#include "tap.h"

static uint64_t fake_ns;

static uint64_t fake_source(void *ctx)
{
	(void)ctx;
	return fake_ns;
}

static void out8(struct vga_crtc *c, uint8_t reg, uint8_t v)
{
	vga_crtc_pio(c, 0, &reg, 1, true);
	vga_crtc_pio(c, 1, &v, 1, true);
}

static uint8_t in8(struct vga_crtc *c, uint8_t reg)
{
	uint8_t v = 0;

	vga_crtc_pio(c, 0, &reg, 1, true);
	vga_crtc_pio(c, 1, &v, 1, false);
	return v;
}

static uint8_t status(struct vga_crtc *c)
{
	uint8_t v = 0;

	vga_status_pio(c, 0, &v, 1, false);
	return v;
}

static void test_bios_cursor(void)
{
	struct guest_mem mem;
	struct guest_clock clock;
	struct vga_crtc c;
	uint8_t row, col, shape[2], word[2] = { 0x0f, 0x34 };

	if (mem_alloc(&mem, 0x100000) < 0) {
		tap_skip("no memory");
		return;
	}
	mem_write(&mem, BDA_COLS, (uint8_t[]){ 80, 0 }, 2);
	guest_clock_init(&clock, fake_source, NULL);
	vga_crtc_init(&c, &mem, &clock, true);
	vga_set_cursor(&mem, 3, 7);	/* what INT 10h AH=02h did */
	CHECK_HEX(in8(&c, 0x0e), (3 * 80 + 7) >> 8, "cursor location high: the BDA's cursor");
	CHECK_HEX(in8(&c, 0x0f), (3 * 80 + 7) & 0xff, "cursor location low: the BDA's cursor");
	out8(&c, 0x0e, 0x07);
	out8(&c, 0x0f, 0xd0);	/* 0x7d0 = 2000: row 25 col 0 is off screen; 0x7cf is row 24 col 79 */
	out8(&c, 0x0f, 0xcf);
	vga_cursor(&mem, &row, &col);
	CHECK(row == 24 && col == 79, "writing the location moves the BDA's cursor (row 24, col 79)");
	vga_crtc_pio(&c, 0, word, 2, true);	/* out dx, ax: index 0Fh, value 34h */
	CHECK_HEX(in8(&c, 0x0f), 0x34, "a 16-bit OUT writes the index, then the data");
	out8(&c, 0x0a, 0x20);	/* cursor off */
	mem_read(&mem, 0x460, shape, 2);
	CHECK_HEX(shape[1], 0x20, "the cursor start register is the BDA's shape start");
	CHECK_HEX(in8(&c, 0x0a), 0x20, "and reads back");
	out8(&c, 0x0c, 0x12);
	CHECK_HEX(in8(&c, 0x0c), 0x12, "the start address keeps what is written");
	CHECK_HEX(in8(&c, 0x40), 0xff, "a register past the CRTC's reads 0xff");
	mem_free(&mem);
}

static void test_plain_registers(void)
{
	struct guest_mem mem;
	struct vga_crtc c;
	uint8_t bda[2] = { 0x55, 0x66 }, after[2];

	if (mem_alloc(&mem, 0x100000) < 0) {
		tap_skip("no memory");
		return;
	}
	mem_write(&mem, BDA_CURSOR, bda, 2);
	vga_crtc_init(&c, &mem, NULL, false);
	out8(&c, 0x0e, 0x01);
	out8(&c, 0x0f, 0x02);
	CHECK(in8(&c, 0x0e) == 0x01 && in8(&c, 0x0f) == 0x02,
	      "without the BIOS the cursor location is a plain register");
	mem_read(&mem, BDA_CURSOR, after, 2);
	CHECK(after[0] == 0x55 && after[1] == 0x66, "and guest memory at 0x450 is left alone");
	CHECK_HEX(status(&c), 0x09, "no clock: status reads as in vertical retrace");
	mem_free(&mem);
}

static void test_status(void)
{
	struct guest_clock clock;
	struct vga_crtc c;

	fake_ns = 1000;
	guest_clock_init(&clock, fake_source, NULL);
	vga_crtc_init(&c, NULL, &clock, false);
	fake_ns = 1000 + 10;
	CHECK_HEX(status(&c) & 0x09, 0x09, "a frame starts in vertical retrace");
	fake_ns = 1000 + VGA_VRETRACE_NS + VGA_LINE_NS * 10 + VGA_HBLANK_NS + 5;
	CHECK_HEX(status(&c), 0x00, "mid-line, mid-frame: displaying, no retrace");
	fake_ns = 1000 + VGA_LINE_NS * 10 + 5 + VGA_VRETRACE_NS - (VGA_VRETRACE_NS % VGA_LINE_NS);
	CHECK_HEX(status(&c) & 0x08, 0x00, "past the retrace the retrace bit is clear");
	fake_ns = 1000 + VGA_FRAME_NS + 5;
	CHECK_HEX(status(&c) & 0x08, 0x08, "the next frame's retrace comes 1/60 s later");
}

void test_vga_crtc(void)
{
	test_bios_cursor();
	test_plain_registers();
	test_status();
}
