/* test_screen.c - the --boot screen and keyboard pieces without KVM: the
 * key decoder (vmm/keymap.c) on every sequence docs/boot.md lists, INT 16h
 * AH=00h against AH=10h, a lone ESC's time-out through a pipe; the PNG
 * writer's checksums (vmm/png.c); the font (vmm/font.c); pixels, text in
 * graphics modes, scrolling, the DAC and screen capture (vmm/video.c); the
 * 40-column text screen and --screen's forms (vga.c). */
#include "bios.h"
#include "font.h"
#include "helpers.h"
#include "keymap.h"
#include "png.h"
#include "suites.h"
#include "tap.h"
#include "vga.h"
#include "video.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Decode a whole input (flushing at its end, as at the end of stdin). */
static unsigned decode_all(const char *in, uint16_t *keys, unsigned max)
{
	struct keymap km = { .npending = 0 };
	uint16_t out[KEYMAP_MAX_KEYS];
	unsigned n = 0, got;

	for (const char *p = in; *p; p++) {
		got = keymap_feed(&km, (uint8_t)*p, out);
		for (unsigned i = 0; i < got && n < max; i++)
			keys[n++] = out[i];
	}
	got = keymap_flush(&km, out);
	for (unsigned i = 0; i < got && n < max; i++)
		keys[n++] = out[i];
	return n;
}

static const struct {
	const char *in;
	uint16_t key;
	const char *name;
} one_key[] = {
	{ "\033[A", KEY_UP, "CSI A: Up" },		{ "\033[B", KEY_DOWN, "CSI B: Down" },
	{ "\033[C", KEY_RIGHT, "CSI C: Right" },	{ "\033[D", KEY_LEFT, "CSI D: Left" },
	{ "\033OA", KEY_UP, "SS3 A: Up" },		{ "\033OB", KEY_DOWN, "SS3 B: Down" },
	{ "\033OC", KEY_RIGHT, "SS3 C: Right" },	{ "\033OD", KEY_LEFT, "SS3 D: Left" },
	{ "\033[H", KEY_HOME, "CSI H: Home" },		{ "\033[F", KEY_END, "CSI F: End" },
	{ "\033OH", KEY_HOME, "SS3 H: Home" },		{ "\033OF", KEY_END, "SS3 F: End" },
	{ "\033[1~", KEY_HOME, "CSI 1~: Home" },	{ "\033[7~", KEY_HOME, "CSI 7~: Home" },
	{ "\033[4~", KEY_END, "CSI 4~: End" },		{ "\033[8~", KEY_END, "CSI 8~: End" },
	{ "\033[2~", KEY_INSERT, "CSI 2~: Insert" },	{ "\033[3~", KEY_DELETE, "CSI 3~: Delete" },
	{ "\033[5~", KEY_PGUP, "CSI 5~: PgUp" },	{ "\033[6~", KEY_PGDN, "CSI 6~: PgDn" },
	{ "\033OP", 0x3b00, "SS3 P: F1" },		{ "\033OQ", 0x3c00, "SS3 Q: F2" },
	{ "\033OR", 0x3d00, "SS3 R: F3" },		{ "\033OS", 0x3e00, "SS3 S: F4" },
	{ "\033[11~", 0x3b00, "CSI 11~: F1" },		{ "\033[12~", 0x3c00, "CSI 12~: F2" },
	{ "\033[13~", 0x3d00, "CSI 13~: F3" },		{ "\033[14~", 0x3e00, "CSI 14~: F4" },
	{ "\033[15~", 0x3f00, "CSI 15~: F5" },		{ "\033[17~", 0x4000, "CSI 17~: F6" },
	{ "\033[18~", 0x4100, "CSI 18~: F7" },		{ "\033[19~", 0x4200, "CSI 19~: F8" },
	{ "\033[20~", 0x4300, "CSI 20~: F9" },		{ "\033[21~", 0x4400, "CSI 21~: F10" },
	{ "\033[23~", 0x8500, "CSI 23~: F11" },		{ "\033[24~", 0x8600, "CSI 24~: F12" },
	{ "\033[[A", 0x3b00, "Linux console F1" },	{ "\033[[E", 0x3f00, "Linux console F5" },
	{ "\033[1;5A", KEY_UP, "Ctrl+Up: modifiers ignored" },
	{ "\033[1;2P", 0x3b00, "Shift+F1: modifiers ignored" },
	{ "\033[Z", 0x0f00, "CSI Z: Shift+Tab" },
	{ "\033OM", 0x1c0d, "SS3 M: keypad Enter" },	{ "\033Oq", 0x0231, "SS3 q: keypad 1" },
	{ "\033", 0x011b, "a lone ESC at the end of input: Esc" },
	{ "a", 0x1e61, "a plain byte: its key" },
};

static void test_decoder(void)
{
	uint16_t keys[16];
	unsigned n;

	for (size_t i = 0; i < sizeof(one_key) / sizeof(one_key[0]); i++) {
		n = decode_all(one_key[i].in, keys, 16);
		CHECK(n == 1 && keys[0] == one_key[i].key, "%s (got %u keys, first %04x)",
		      one_key[i].name, n, n ? keys[0] : 0);
	}
	n = decode_all("\033\033[B", keys, 16);
	CHECK(n == 2 && keys[0] == KEY_ESC && keys[1] == KEY_DOWN, "ESC ESC [ B: Esc, then Down");
	n = decode_all("\033x", keys, 16);
	CHECK(n == 2 && keys[0] == KEY_ESC && keys[1] == 0x2d78, "ESC x: Esc, then x");
	n = decode_all("\033[", keys, 16);
	CHECK(n == 2 && keys[0] == KEY_ESC && keys[1] == 0x1a5b, "ESC [ at the end: Esc, then [");
	n = decode_all("\033O\n", keys, 16);
	CHECK(n == 3 && keys[0] == KEY_ESC && keys[1] == 0x184f && keys[2] == 0x1c0d,
	      "ESC O then a newline: Esc, O, Enter");
	n = decode_all("\033[99~z", keys, 16);
	CHECK(n == 1 && keys[0] == 0x2c7a, "an unknown ESC [ 99 ~ is dropped, then z");
	n = decode_all("\033[123456789;123456789Ab", keys, 16);
	CHECK(n == 1 && keys[0] == 0x3062, "an overlong sequence is dropped whole, then b");
	n = decode_all("hi\033[Dq", keys, 16);
	CHECK(n == 4 && keys[0] == 0x2368 && keys[1] == 0x1769 && keys[2] == KEY_LEFT &&
	      keys[3] == 0x1071, "keys around a sequence");
}

static void test_legacy(void)
{
	uint16_t k;

	CHECK(keymap_legacy(KEY_UP, &k) && k == 0x4800, "AH=00h: Up is 4800h (E0h becomes 00h)");
	CHECK(keymap_legacy(0x3b00, &k) && k == 0x3b00, "AH=00h: F1 stays 3B00h");
	CHECK(keymap_legacy(0x1e61, &k) && k == 0x1e61, "AH=00h: 'a' stays");
	CHECK(keymap_legacy(0x00e0, &k) && k == 0x00e0, "AH=00h: ASCII E0h typed (scan 0) stays");
	CHECK(!keymap_legacy(KEY_F11, &k) && !keymap_legacy(KEY_F12, &k),
	      "AH=00h: F11 and F12 are dropped");
}

/* INT 16h through a BIOS on plain memory, its stdin a pipe. */
struct kbd_bench {
	struct guest_mem mem;
	struct bios b;
	struct i8042 kbd;
	struct kbd_input in;
	int pipe[2];
};

static bool kbd_open(struct kbd_bench *t)
{
	uint16_t entry;

	memset(t, 0, sizeof(*t));
	if (pipe(t->pipe) < 0)
		return false;
	if (mem_alloc(&t->mem, BIOS_MEM_MIN) < 0)
		return false;
	t->b = (struct bios){ .drive = 0x80, .err = stderr };
	if (bios_install(&t->b, &t->mem, &entry) < 0)
		return false;
	i8042_init(&t->kbd, NULL);
	kbd_input_init(&t->in, t->pipe[0], &t->kbd);
	bios_keyboard_attach(&t->b, &t->in);
	return true;
}

static void kbd_close(struct kbd_bench *t)
{
	close(t->pipe[0]);
	if (t->pipe[1] >= 0)
		close(t->pipe[1]);
	mem_free(&t->mem);
}

/* INT 16h with AX; returns the frame after the call. */
static struct bios_frame int16(struct kbd_bench *t, uint16_t ax)
{
	struct bios_frame f = { .eax = ax, .vector = 0x16, .cs = 0, .ip = 0x7c02 };
	uint8_t raw[BIOS_FRAME_SIZE];

	bios_frame_encode(&f, raw);
	mem_write(&t->mem, 0x7000, raw, sizeof(raw));
	bios_pio(&t->b, 0, (uint8_t[]){ 0x00, 0x70, 0x00, 0x00 }, 4, true);
	mem_read(&t->mem, 0x7000, raw, sizeof(raw));
	bios_frame_decode(raw, &f);
	return f;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_int16(void)
{
	struct kbd_bench t;
	struct bios_frame f;
	double start;
	bool got = false;

	if (!kbd_open(&t)) {
		tap_skip("no pipe or memory for the keyboard tests");
		return;
	}
	CHECK(write(t.pipe[1], "\033[A\033[24~\033[A", 11) == 11, "keys into the pipe");
	f = int16(&t, 0x1000);
	CHECK(f.action == BIOS_RETURN && (uint16_t)f.eax == 0x48e0, "AH=10h: Up is 48E0h");
	f = int16(&t, 0x0100);
	CHECK(!(f.flags & FLAG_ZF) && (uint16_t)f.eax == 0x4800,
	      "AH=01h skips F12 (AH=10h-only) and shows Up as 4800h");
	f = int16(&t, 0x0000);
	CHECK(f.action == BIOS_RETURN && (uint16_t)f.eax == 0x4800, "AH=00h: Up is 4800h");
	/* A lone ESC: nothing for a while, then the Esc key. */
	CHECK(write(t.pipe[1], "\033", 1) == 1, "a lone ESC into the pipe");
	f = int16(&t, 0x1100);
	CHECK(f.flags & FLAG_ZF, "AH=11h just after a lone ESC: no key yet (a sequence may follow)");
	for (start = now_s(); !got && now_s() - start < 5;) {
		f = int16(&t, 0x1000);
		got = f.action == BIOS_RETURN;
	}
	CHECK(got && (uint16_t)f.eax == 0x011b, "the lone ESC becomes Esc (011Bh) after a pause");
	CHECK(write(t.pipe[1], "\033[B", 3) == 3, "then a sequence");
	f = int16(&t, 0x1000);
	CHECK(f.action == BIOS_RETURN && (uint16_t)f.eax == KEY_DOWN, "which is Down");
	close(t.pipe[1]);
	t.pipe[1] = -1;
	kbd_close(&t);
}

static void test_png(void)
{
	static const uint8_t pal[2][3] = { { 0, 0, 0 }, { 255, 255, 255 } };
	uint8_t pixels[6] = { 0, 1, 0, 1, 0, 1 };
	char *data = NULL;
	size_t len = 0;
	FILE *out;

	/* The standard check values of CRC-32 and Adler-32. */
	CHECK_HEX(png_crc32(0, (const uint8_t *)"123456789", 9), 0xcbf43926, "CRC-32 of 123456789");
	CHECK_HEX(png_adler32(1, (const uint8_t *)"Wikipedia", 9), 0x11e60398,
		  "Adler-32 of Wikipedia");
	CHECK_HEX(png_crc32(png_crc32(0, (const uint8_t *)"1234", 4), (const uint8_t *)"56789", 5),
		  0xcbf43926, "CRC-32 continues across calls");
	out = open_memstream(&data, &len);
	if (!out)
		return;
	CHECK_INT(png_write_indexed(out, 3, 2, pixels, pal, 2), 0, "a 3x2 PNG");
	CHECK_ERR(png_write_indexed(out, 0, 2, pixels, pal, 2), -EINVAL, "a 0-wide image is refused");
	fclose(out);
	CHECK(len > 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0, "the PNG signature");
	CHECK(len > 33 && memcmp(data + 12, "IHDR\0\0\0\3\0\0\0\2\x08\x03", 14) == 0,
	      "IHDR: 3x2, 8-bit indexed");
	/* zlib header 78 01, one final stored block of 2 x (1 + 3) bytes. */
	CHECK(len > 70 && memcmp(data + 37 + 18, "IDAT\x78\x01\x01\x08\x00\xf7\xff", 11) == 0,
	      "IDAT: a zlib stream of one stored block of 8 bytes");
	free(data);
}

static void test_video(void)
{
	struct guest_mem mem;
	struct video_dac dac;
	struct video_image *img = malloc(sizeof(*img));
	uint8_t c = 0xaa, b = 0;

	if (!img || mem_alloc(&mem, BIOS_MEM_MIN) < 0) {
		free(img);
		tap_skip("no memory for the video tests");
		return;
	}
	CHECK_INT(video_put_pixel(&mem, 0x13, 3, 2, 77), 0, "mode 13h: a pixel");
	mem_read(&mem, 0xa0000 + 2 * 320 + 3, &b, 1);
	CHECK_INT(b, 77, "lands at A000:(2 * 320 + 3)");
	CHECK(video_get_pixel(&mem, 0x13, 3, 2, &c) == 0 && c == 77, "and reads back");
	CHECK(video_put_pixel(&mem, 0x13, 320, 0, 1) == 0 && video_get_pixel(&mem, 0x13, 320, 0, &c) == 0 &&
	      c == 0, "outside the screen: nothing written, 0 read");
	video_put_pixel(&mem, 0x04, 5, 3, 2);
	mem_read(&mem, 0xb8000 + 0x2000 + 80 + 1, &b, 1);
	CHECK_HEX(b, 0x20, "mode 04h: (5,3) is bits 5-4 of B800:(2000h + 80 + 1)");
	video_put_pixel(&mem, 0x04, 5, 3, 0x83);
	CHECK(video_get_pixel(&mem, 0x04, 5, 3, &c) == 0 && c == 1, "AL bit 7 XORs: 2 ^ 3 = 1");
	video_put_pixel(&mem, 0x06, 9, 0, 1);
	mem_read(&mem, 0xb8000 + 1, &b, 1);
	CHECK_HEX(b, 0x40, "mode 06h: (9,0) is bit 6 of B800:0001");
	CHECK_ERR(video_put_pixel(&mem, 0x03, 0, 0, 1), -ENOTSUP, "no pixels in text mode 03h");
	CHECK_ERR(video_put_pixel(&mem, 0x12, 0, 0, 1), -ENOTSUP, "nor in planar mode 12h");

	video_dac_reset(&dac);
	CHECK(dac.rgb[1][2] == 42 && dac.rgb[15][0] == 63 && dac.rgb[31][1] == 63 &&
	      dac.rgb[32][2] == 63 && dac.rgb[40][0] == 63 && dac.rgb[40][1] == 0 &&
	      dac.rgb[48][1] == 63 && dac.rgb[248][0] == 0, "the default palette's landmarks");
	video_dac_pio(&dac, 2, (uint8_t[]){ 9 }, 1, true);
	video_dac_pio(&dac, 3, (uint8_t[]){ 1 }, 1, true);
	video_dac_pio(&dac, 3, (uint8_t[]){ 2 }, 1, true);
	video_dac_pio(&dac, 3, (uint8_t[]){ 0xff }, 1, true);
	video_dac_pio(&dac, 3, (uint8_t[]){ 4 }, 1, true);
	CHECK(dac.rgb[9][0] == 1 && dac.rgb[9][1] == 2 && dac.rgb[9][2] == 0x3f &&
	      dac.rgb[10][0] == 4, "3C8h/3C9h: entry 9, 6 bits a part, then entry 10");
	video_dac_pio(&dac, 1, (uint8_t[]){ 9 }, 1, true);
	{
		uint8_t rgb[3], state;

		video_dac_pio(&dac, 3, rgb, 1, false);
		video_dac_pio(&dac, 3, rgb + 1, 1, false);
		video_dac_pio(&dac, 3, rgb + 2, 1, false);
		video_dac_pio(&dac, 1, &state, 1, false);
		CHECK(rgb[0] == 1 && rgb[1] == 2 && rgb[2] == 0x3f && state == 3,
		      "3C7h/3C9h read entry 9 back; 3C7h says reading");
	}
	video_dac_pio(&dac, 2, (uint8_t[]){ 5, 60 }, 2, true);
	CHECK(dac.write_index == 5 && dac.rgb[5][0] == 60, "a word OUT at 3C8h: index and red");

	CHECK_INT(video_capture(&mem, 0x13, &dac, 0x30, img), 0, "capture mode 13h");
	CHECK(img->width == 320 && img->height == 200 && img->ncolours == 256 &&
	      img->pixels[2 * 320 + 3] == 77 && img->palette[9][2] == 255 &&
	      img->palette[9][0] == 4, "320x200, the pixel, the DAC scaled to 8 bits");
	CHECK_INT(video_capture(&mem, 0x04, &dac, 0x30, img), 0, "capture mode 04h");
	CHECK(img->ncolours == 4 && img->pixels[3 * 320 + 5] == 1 && img->palette[1][0] == 0x55 &&
	      img->palette[1][1] == 0xff && img->palette[1][2] == 0xff,
	      "4 colours; palette 1 bright: colour 1 is light cyan");
	CHECK_ERR(video_capture(&mem, 0x12, &dac, 0x30, img), -ENOTSUP, "planar mode 12h: no capture");
	mem_free(&mem);
	free(img);
}

static void test_font(void)
{
	uint8_t g[8], zero[8] = { 0 }, full[8];
	bool column = true;

	memset(full, 0xff, sizeof(full));
	font_glyph(' ', g);
	CHECK_MEM(g, zero, 8, "a blank is empty");
	font_glyph(0, g);
	CHECK_MEM(g, zero, 8, "NUL is drawn as a blank");
	font_glyph('A', g);
	CHECK(memcmp(g, zero, 8) != 0, "'A' has pixels");
	font_glyph(0xdb, g);
	CHECK_MEM(g, full, 8, "CP437 DBh is the full block");
	font_glyph(0xc4, g);
	CHECK(g[3] == 0xff && g[0] == 0 && g[7] == 0, "C4h is a horizontal line across the cell");
	font_glyph(0xb3, g);
	for (unsigned r = 0; r < 8; r++)
		column = column && g[r] == 0x10;
	CHECK(column, "B3h is a vertical line down the cell");
	font_glyph(0x80, g);
	CHECK(memcmp(g, zero, 8) != 0, "a character without a glyph is a box, not a blank");
}

/* The colours found in a w x h block of mode 13h from (x0, y0), as bits. */
static uint64_t colours_in(struct guest_mem *mem, unsigned x0, unsigned y0, unsigned w, unsigned h)
{
	uint64_t seen = 0;
	uint8_t c;

	for (unsigned y = y0; y < y0 + h; y++)
		for (unsigned x = x0; x < x0 + w; x++)
			if (video_get_pixel(mem, 0x13, (uint16_t)x, (uint16_t)y, &c) == 0 && c < 64)
				seen |= UINT64_C(1) << c;
	return seen;
}

static void test_graphics_text(void)
{
	struct guest_mem mem;
	struct video_image *img = malloc(sizeof(*img));
	struct video_dac dac;
	uint8_t g[8], c = 0, cell[2] = { 'A', 0x1e };
	bool same = true;

	if (!img || mem_alloc(&mem, BIOS_MEM_MIN) < 0) {
		free(img);
		tap_skip("no memory for the graphics text tests");
		return;
	}
	CHECK_INT(video_draw_char(&mem, 0x13, 1, 2, 'A', 9), 0, "mode 13h: 'A' in cell (1, 2)");
	font_glyph('A', g);
	for (unsigned y = 0; y < 8; y++)
		for (unsigned x = 0; x < 8; x++) {
			video_get_pixel(&mem, 0x13, (uint16_t)(16 + x), (uint16_t)(8 + y), &c);
			same = same && c == ((g[y] & (0x80 >> x)) ? 9 : 0);
		}
	CHECK(same, "its pixels are the glyph's, in colour 9 on 0");
	CHECK(colours_in(&mem, 0, 0, 320, 8) == 1, "the row above is untouched");
	CHECK_INT(video_draw_char(&mem, 0x04, 0, 0, 'A', 0x83), 0, "mode 04h: 'A' XORed in");
	CHECK_INT(video_draw_char(&mem, 0x04, 0, 0, 'A', 0x83), 0, "and XORed again");
	{
		uint8_t bytes[2] = { 1, 1 };

		mem_read(&mem, 0xb8000, bytes, 2);
		CHECK(bytes[0] == 0 && bytes[1] == 0, "leaves the screen as it was");
	}
	CHECK_ERR(video_draw_char(&mem, 0x03, 0, 0, 'A', 7), -ENOTSUP, "no glyphs in a text mode");
	video_put_pixel(&mem, 0x13, 5, 199, 3);
	CHECK_INT(video_scroll(&mem, 0x13, (struct vga_window){ 0, 0, 24, 39 }, 1, 6, true), 0,
		  "mode 13h: scroll the screen up a line");
	CHECK(colours_in(&mem, 16, 0, 8, 8) == ((UINT64_C(1) << 9) | 1), "'A' moved up a cell");
	CHECK(colours_in(&mem, 0, 192, 320, 8) == (UINT64_C(1) << 6), "the new row is colour 6");
	video_get_pixel(&mem, 0x13, 5, 191, &c);
	CHECK_INT(c, 3, "the last row's pixel moved up 8 rows");
	CHECK_INT(video_scroll(&mem, 0x13, (struct vga_window){ 0, 0, 255, 255 }, 0, 2, false), 0,
		  "clear a window larger than the screen");
	CHECK(colours_in(&mem, 0, 0, 320, 200) == (UINT64_C(1) << 2), "all colour 2");

	mem_write(&mem, VGA_TEXT_BASE, cell, 2);
	video_dac_reset(&dac);
	CHECK_INT(video_capture(&mem, 0x03, &dac, 0x30, img), 0, "capture text mode 03h");
	CHECK(img->width == 640 && img->height == 400 && img->ncolours == 16,
	      "640x400 in 16 colours");
	same = true;
	for (unsigned y = 0; y < 16; y++)
		for (unsigned x = 0; x < 8; x++)
			same = same && img->pixels[y * 640 + x] ==
				((g[y / 2] & (0x80 >> x)) ? 14 : 1);
	CHECK(same, "'A' drawn yellow on blue, each glyph row twice");
	CHECK_INT(video_capture(&mem, 0x01, &dac, 0x30, img), 0, "capture text mode 01h");
	CHECK(img->width == 320 && img->height == 400, "40 columns: 320x400");
	mem_free(&mem);
	free(img);
}

static void test_text(void)
{
	struct guest_mem mem;
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	uint8_t forty[2] = { 40, 0 };

	if (mem_alloc(&mem, BIOS_MEM_MIN) < 0)
		return;
	mem_write(&mem, BDA_COLS, forty, 2);
	CHECK_INT((int)vga_cols(&mem), 40, "the BDA says 40 columns");
	vga_reset(&mem);
	for (int i = 0; i < 41; i++)
		vga_teletype(&mem, 'x', true);
	CHECK_HEX(vga_cell(&mem, 1, 0), 0x0778, "the 41st character wraps to row 1 at 40 columns");
	mem_write(&mem, VGA_TEXT_BASE + 40 * 2 * 2, (uint8_t[]){ ' ', 0x4f, 0, 0x07, 0xdb, 0x0e }, 6);
	out = open_memstream(&text, &len);
	if (out) {
		vga_dump(&mem, out, &(struct vga_dump_style){ .ansi = true, .cols = 40, .title = "t" });
		fclose(out);
		CHECK_CONTAINS(text, "-- t -----------------------------------\n", "a 40-wide separator");
		CHECK_CONTAINS(text, "\n\033[0;97;41m \033[0;37;40m \033[0;93;40m\xe2\x96\x88\033[0m\n",
			       "ANSI: red blank, NUL as blank, CP437 DBh as a full block in yellow");
		free(text);
	}
	text = NULL;
	out = open_memstream(&text, &len);
	if (out) {
		vga_dump(&mem, out, &(struct vga_dump_style){ .ansi = false, .cols = 40, .title = "t" });
		fclose(out);
		CHECK_CONTAINS(text, "\n  .\n", "plain: blanks, NUL as a blank, DBh as '.'");
		free(text);
	}
	mem_free(&mem);
}

void test_screen(void)
{
	tap_suite("screen and keys");
	test_decoder();
	test_legacy();
	test_int16();
	test_png();
	test_video();
	test_font();
	test_graphics_text();
	test_text();
}
