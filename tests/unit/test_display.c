/* test_display.c - --display's renderer (vmm/display_render.c) without a
 * terminal: a frame in, the ANSI bytes out; a full first draw, nothing for
 * an unchanged frame, only the changed cells and the cursor afterwards;
 * the text colours, the blink bit, CP437, the cursor's shapes, a terminal
 * smaller than the screen, a resize; graphics in half blocks, scaled to
 * 4:3, in 24-bit and 256 colours; the palette mapping; the quit key. */
#include "display_render.h"
#include "helpers.h"
#include "suites.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static struct display_frame *blank_text(unsigned cols)
{
	struct display_frame *f = calloc(1, sizeof(*f));

	if (!f)
		abort();
	f->kind = DISPLAY_TEXT;
	f->cols = cols;
	for (unsigned i = 0; i < VGA_ROWS * cols; i++)
		f->cells[i] = 0x0720;
	f->cursor = CURSOR_UNDERLINE;
	return f;
}

static void put_text(struct display_frame *f, unsigned row, unsigned col, const char *s,
		     uint8_t attr)
{
	for (; *s; s++, col++)
		f->cells[row * f->cols + col] = (uint16_t)((uint8_t)*s | attr << 8);
}

static struct display_buf render_out;

/* Render f; the bytes as a NUL-terminated string (valid until the next
 * call). */
static const char *render(struct display_renderer *r, const struct display_frame *f)
{
	struct display_buf *b = &render_out;

	b->len = 0;
	if (display_render(r, f, b) < 0)
		return "(render failed)";
	if (b->len == b->cap) {
		char *p = realloc(b->data, b->cap + 1);

		if (!p)
			abort();
		b->data = p;
		b->cap++;
	}
	b->data[b->len] = 0;
	return b->data;
}

static void test_text_full_then_nothing(void)
{
	struct display_frame *f = blank_text(VGA_COLS);
	struct display_renderer r;
	const char *out;

	display_renderer_init(&r, 100, 30, false);
	put_text(f, 1, 4, "INT", 0x4f);
	f->cursor_row = 2;
	f->cursor_col = 7;
	out = render(&r, f);
	CHECK(strncmp(out, "\033[0m\033[2J", 8) == 0, "text: the first frame clears the screen");
	CHECK_CONTAINS(out, "\033[1;1H\033[37;40m ", "text: drawn from the top left in attribute 07h");
	CHECK_CONTAINS(out, "\033[97;41mINT\033[37;40m", "text: attribute 4Fh is 97;41 (white on red)");
	/* (and one blank in the cursor's shape, "ESC [ 3 SP q") */
	CHECK_INT(count_substr(out, " "), VGA_ROWS * VGA_COLS - 3 + 1,
		  "text: every other cell of 80x25 drawn once");
	CHECK_CONTAINS(out, "\033[3 q\033[3;8H\033[?25h",
		       "text: the cursor at row 2, column 7, a blinking underline, shown");
	out = render(&r, f);
	CHECK_STR(out, "", "text: an unchanged frame gives no bytes");
	free(f);
	display_renderer_free(&r);
}

static void test_text_changes(void)
{
	struct display_frame *f = blank_text(VGA_COLS);
	struct display_renderer r;
	const char *out;

	display_renderer_init(&r, 100, 30, false);
	render(&r, f);
	put_text(f, 3, 10, "X", 0x1e);
	out = render(&r, f);
	CHECK_STR(out, "\033[4;11H\033[93;44mX\033[1;1H",
		  "text: one changed cell: moved to, coloured, drawn; the cursor put back");
	put_text(f, 3, 11, "YZ", 0x1e);
	out = render(&r, f);
	CHECK_STR(out, "\033[4;12HYZ\033[1;1H",
		  "text: neighbouring cells with the colours in force: one move, no colours");
	put_text(f, 5, 0, "*", 0xc4);
	out = render(&r, f);
	CHECK_STR(out, "\033[6;1H\033[31;101m*\033[1;1H",
		  "text: the blink bit (C4h) is a bright red background (101)");
	f->cells[6 * VGA_COLS] = 0x07c4;
	f->cells[6 * VGA_COLS + 1] = 0x0703;
	f->cells[6 * VGA_COLS + 2] = 0x0700;
	out = render(&r, f);
	CHECK_STR(out, "\033[7;1H\033[37;40m─♥ \033[1;1H",
		  "text: CP437 C4h and 03h in UTF-8, NUL as a blank");
	f->cursor_row = 5;
	out = render(&r, f);
	CHECK_STR(out, "\033[6;1H", "text: only the cursor moved: one move");
	f->cursor = CURSOR_BLOCK;
	out = render(&r, f);
	CHECK_STR(out, "\033[1 q", "text: the cursor becomes a block (DECSCUSR 1)");
	f->cursor = CURSOR_HIDDEN;
	out = render(&r, f);
	CHECK_STR(out, "\033[?25l", "text: the cursor hidden");
	f->cursor = CURSOR_UNDERLINE;
	out = render(&r, f);
	CHECK_STR(out, "\033[3 q\033[6;1H\033[?25h", "text: the cursor shown again, an underline");
	free(f);
	display_renderer_free(&r);
}

/* The guest's bytes are pictures: an ESC in text memory is "←", never an
 * escape sequence to the terminal. */
static void test_text_hostile(void)
{
	struct display_frame *f = blank_text(VGA_COLS);
	struct display_renderer r;
	const char *out;

	for (unsigned i = 0; i < VGA_ROWS * VGA_COLS; i++)
		f->cells[i] = (uint16_t)((i % 2 ? 'x' : 0x1b) | 0x07 << 8);
	f->cells[0] = 0x079b;	/* CP437 9Bh, which is not the C1 CSI */
	display_renderer_init(&r, 100, 30, false);
	out = render(&r, f);
	CHECK_INT(count_substr(out, "←"), VGA_ROWS * VGA_COLS / 2 - 1, "hostile: ESC drawn as ←");
	CHECK_LACKS(out, "\033x", "hostile: no guest ESC reaches the terminal");
	CHECK_LACKS(out, "\x9b", "hostile: no C1 CSI byte either");
	CHECK_CONTAINS(out, "¢", "hostile: 9Bh is ¢");
	free(f);
	display_renderer_free(&r);
}

static void test_text_sizes(void)
{
	struct display_frame *f = blank_text(VGA_COLS);
	struct display_renderer r;
	const char *out;

	display_renderer_init(&r, 20, 5, false);
	put_text(f, 4, 19, "A", 0x07);
	put_text(f, 4, 20, "B", 0x07);
	put_text(f, 5, 0, "C", 0x07);
	f->cursor_row = 10;
	f->cursor_col = 30;
	out = render(&r, f);
	CHECK_INT(count_substr(out, " "), 20 * 5 - 1, "small terminal: only its 20x5 cells drawn");
	CHECK_CONTAINS(out, "A", "small terminal: its last cell drawn");
	CHECK_LACKS(out, "B", "small terminal: nothing past its last column");
	CHECK_LACKS(out, "C", "small terminal: nothing past its last row");
	CHECK_CONTAINS(out, "\033[?25l", "small terminal: a cursor outside it is hidden");
	display_renderer_resize(&r, 100, 30);
	out = render(&r, f);
	CHECK(strncmp(out, "\033[0m\033[2J", 8) == 0, "resize: the whole screen again");
	CHECK_CONTAINS(out, "B", "resize: the cells that now fit are drawn");
	free(f);
	f = blank_text(VGA_COLS_NARROW);
	out = render(&r, f);
	CHECK(strncmp(out, "\033[0m\033[2J", 8) == 0, "40 columns: a new mode is drawn whole");
	CHECK_INT(count_substr(out, " "), VGA_ROWS * VGA_COLS_NARROW + 1,
		  "40 columns: 40x25 cells (and the cursor's shape)");
	free(f);
	display_renderer_free(&r);
}

/* A 320x200 image: colour 4 left, colour 1 right, the default palette's
 * red and blue. */
static struct video_image *halves(void)
{
	struct video_image *img = calloc(1, sizeof(*img));

	if (!img)
		abort();
	img->width = 320;
	img->height = 200;
	for (unsigned y = 0; y < 200; y++)
		for (unsigned x = 0; x < 320; x++)
			img->pixels[y * 320 + x] = x < 160 ? 4 : 1;
	memcpy(img->palette[4], (uint8_t[3]){ 0xaa, 0, 0 }, 3);
	memcpy(img->palette[1], (uint8_t[3]){ 0, 0, 0xaa }, 3);
	memcpy(img->palette[9], (uint8_t[3]){ 0x55, 0x55, 0xff }, 3);
	img->ncolours = 256;
	return img;
}

static void test_pixels(void)
{
	struct video_image *img = halves();
	struct display_frame f = { .kind = DISPLAY_PIXELS, .image = img };
	struct display_renderer r;
	const char *out;

	display_renderer_init(&r, 100, 30, true);
	out = render(&r, &f);
	CHECK_INT(count_substr(out, "▀"), 80 * 30,
		  "pixels: 4:3 in 100x30 is 80x30 cells of upper half blocks");
	CHECK_CONTAINS(out, "\033[1;1H\033[38;2;170;0;0;48;2;170;0;0m▀",
		       "pixels: the top left in 24-bit red, upper and lower half");
	CHECK_CONTAINS(out, "▀\033[38;2;0;0;170;48;2;0;0;170m▀",
		       "pixels: then blue from the middle");
	CHECK_INT(count_substr(out, "\033[38;2;0;0;170"), 30, "pixels: one colour change a row");
	CHECK_CONTAINS(out, "\033[?25l", "pixels: the cursor hidden");
	out = render(&r, &f);
	CHECK_STR(out, "", "pixels: an unchanged picture gives no bytes");
	/* Rows 0-9 of columns 316-319: the last terminal column (320 pixels
	 * on 80 columns) and its first two cells (200 rows on 60 half
	 * cells: rows 0, 3, 6 and 10 are the first four shown). */
	for (unsigned y = 0; y < 10; y++)
		for (unsigned x = 316; x < 320; x++)
			img->pixels[y * 320 + x] = 9;
	out = render(&r, &f);
	CHECK_INT(count_substr(out, "▀"), 2, "pixels: only the two changed cells drawn");
	CHECK_CONTAINS(out, "\033[1;80H\033[38;2;85;85;255;48;2;85;85;255m▀",
		       "pixels: at the top right, in the new colour");
	display_renderer_free(&r);

	display_renderer_init(&r, 100, 30, false);
	out = render(&r, &f);
	CHECK_CONTAINS(out, "\033[1;1H\033[38;5;124;48;5;124m▀",
		       "pixels, 256 colours: red AAh 00h 00h is 124");
	CHECK_CONTAINS(out, "\033[38;5;19;48;5;19m▀", "pixels, 256 colours: blue is 19");
	display_renderer_resize(&r, 40, 100);
	out = render(&r, &f);
	CHECK_INT(count_substr(out, "▀"), 40 * 15,
		  "pixels: a narrow terminal: 40 columns, 30 pixel rows (15 cells)");
	display_renderer_free(&r);
	free(img);
}

static void test_palette(void)
{
	CHECK_INT(display_xterm256(0x000000), 16, "palette: black is the cube's 16");
	CHECK_INT(display_xterm256(0xffffff), 231, "palette: white is the cube's 231");
	CHECK_INT(display_xterm256(0xaa0000), 124, "palette: AA0000 is 124");
	CHECK_INT(display_xterm256(0x00aa00), 34, "palette: 00AA00 is 34");
	CHECK_INT(display_xterm256(0x808080), 244, "palette: grey 808080 is the ramp's 244");
	CHECK_INT(display_xterm256(0xff5555), 203, "palette: FF5555 is 203");
}

static void test_note_and_quit(void)
{
	struct display_frame f = { .kind = DISPLAY_NOTE };
	struct display_renderer r;
	const char *out;
	const uint8_t keys[] = { 'a', 0x03, DISPLAY_QUIT_BYTE, 'b' };

	snprintf(f.note, sizeof(f.note), "mode 12h is not shown");
	display_renderer_init(&r, 100, 30, false);
	out = render(&r, &f);
	CHECK_CONTAINS(out, "\033[1;1Hmode 12h is not shown", "note: the line at the top");
	CHECK_STR(render(&r, &f), "", "note: not drawn again");
	display_renderer_free(&r);
	CHECK_INT(display_find_quit(keys, 4), 2, "quit key: Ctrl-] found after 'a' and Ctrl-C");
	CHECK_INT(display_find_quit(keys, 2), 2, "quit key: none among 'a' and Ctrl-C");
}

void test_display(void)
{
	tap_suite("display");
	test_text_full_then_nothing();
	test_text_changes();
	test_text_hostile();
	test_text_sizes();
	test_pixels();
	test_palette();
	test_note_and_quit();
	display_buf_free(&render_out);
}
