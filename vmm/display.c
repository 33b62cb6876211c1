/*
 * display.c - --display: frames from guest RAM, their timing, the quit key
 * (see display.h).
 */
#include "display.h"
#include "display_render.h"
#include "display_term.h"
#include "vga.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BDA_CURSOR_SHAPE 0x460	/* end scan line, start scan line */

struct display {
	struct display_source src;
	bool started, broken;
	bool keys_watched;		/* a keyboard reader calls display_keys */
	volatile int quit;		/* the quit key came */
	uint64_t next_ns;		/* the next frame is due then */
	struct display_renderer r;
	struct display_frame frame;
	struct video_image *image;	/* graphics modes' capture */
	struct display_buf out;
};

/* The display the keyboard hook talks to. */
static struct display *active_display;

uint64_t display_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool env_truecolor(void)
{
	const char *c = getenv("COLORTERM");

	return c && (strcmp(c, "truecolor") == 0 || strcmp(c, "24bit") == 0);
}

int display_open(struct display **dp, const struct display_source *src, FILE *err)
{
	struct display *d;

	*dp = NULL;
	if (!isatty(STDOUT_FILENO)) {
		fprintf(err, "gdbvm: --display: stdout is not a terminal\n");
		return -ENOTTY;
	}
	d = calloc(1, sizeof(*d));
	if (d)
		d->image = malloc(sizeof(*d->image));
	if (!d || !d->image) {
		if (d)
			free(d);
		fprintf(err, "gdbvm: --display: %s\n", strerror(ENOMEM));
		return -ENOMEM;
	}
	d->src = *src;
	display_renderer_init(&d->r, VGA_COLS, VGA_ROWS, env_truecolor());
	*dp = d;
	active_display = d;
	return 0;
}

int display_start(struct display *d)
{
	unsigned cols, rows;
	int e;

	if (!d || d->started || d->broken)
		return 0;
	e = display_term_enter();
	if (e) {
		/* Said on the normal screen, where it stays. */
		fprintf(stderr, "gdbvm: --display: cannot take over the terminal: %s\n",
			strerror(-e));
		d->broken = true;
		return e;
	}
	d->started = true;
	if (display_term_size(&cols, &rows))
		display_renderer_resize(&d->r, cols, rows);
	return 0;
}

/* The text screen: cells, columns, cursor and its shape. */
static void read_text(struct display *d, unsigned cols)
{
	struct display_frame *f = &d->frame;
	const struct guest_mem *mem = d->src.mem;
	uint8_t shape[2] = { 0x07, 0x06 };	/* end, start: an underline */
	uint8_t raw[VGA_TEXT_SIZE];

	f->kind = DISPLAY_TEXT;
	f->cols = cols;
	memset(raw, 0, sizeof(raw));
	mem_read(mem, VGA_TEXT_BASE, raw, (size_t)cols * VGA_ROWS * 2);
	for (unsigned i = 0; i < cols * VGA_ROWS; i++)
		f->cells[i] = (uint16_t)(raw[2 * i] | raw[2 * i + 1] << 8);
	f->cursor = CURSOR_UNDERLINE;
	if (!d->src.bios) {
		/* No BIOS keeps a cursor: show none. */
		f->cursor = CURSOR_HIDDEN;
		return;
	}
	vga_cursor(mem, &f->cursor_row, &f->cursor_col);
	mem_read(mem, BDA_CURSOR_SHAPE, shape, 2);
	/* Start line bit 5 hides it; one starting in the top half of the
	 * 8-line cell is a block, else an underline. */
	if ((shape[1] & 0x20) || (shape[1] & 0x1f) > (shape[0] & 0x1f))
		f->cursor = CURSOR_HIDDEN;
	else if ((shape[1] & 0x1f) < 4)
		f->cursor = CURSOR_BLOCK;
}

/* This moment's frame. */
static void read_frame(struct display *d)
{
	struct display_frame *f = &d->frame;
	uint8_t mode = 0x03;
	struct video_mode info;
	int e;

	if (d->src.bios)
		mem_read(d->src.mem, BDA_MODE, &mode, 1);
	info = video_mode_info(mode);
	if (info.kind == VIDEO_TEXT) {
		read_text(d, d->src.bios ? vga_cols(d->src.mem) : VGA_COLS);
		return;
	}
	e = info.kind == VIDEO_OTHER ? -ENOTSUP
		: video_capture(d->src.mem, mode, d->src.dac, *d->src.cga_select, d->image);
	if (e) {
		f->kind = DISPLAY_NOTE;
		snprintf(f->note, sizeof(f->note), "gdbvm --display: mode %02xh (%s) is not shown",
			 mode, info.name);
		return;
	}
	f->kind = DISPLAY_PIXELS;
	f->image = d->image;
}

static void draw(struct display *d)
{
	unsigned cols, rows;
	int e;

	if (display_term_resized() && display_term_size(&cols, &rows))
		display_renderer_resize(&d->r, cols, rows);
	read_frame(d);
	d->out.len = 0;
	if (display_render(&d->r, &d->frame, &d->out) < 0 || !d->out.len)
		return;
	e = display_term_write(d->out.data, d->out.len, d->src.give_up, d->src.give_up_ctx);
	if (e == -EINTR)	/* a signal, the terminal stalled: a whole frame next */
		display_renderer_resize(&d->r, d->r.term_cols, d->r.term_rows);
	else if (e < 0)
		d->broken = true;	/* the terminal is gone: stop drawing */
}

void display_refresh(struct display *d, uint64_t now_ns)
{
	if (!d || d->broken || now_ns < d->next_ns)
		return;
	if (!d->started && display_start(d) < 0)
		return;
	d->next_ns = now_ns + DISPLAY_PERIOD_NS;
	draw(d);
	display_term_trim(DISPLAY_KEEP_BYTES);
}

uint64_t display_next_ns(const struct display *d)
{
	return d && !d->broken ? d->next_ns : UINT64_MAX;
}

size_t display_keys(const uint8_t *bytes, size_t n)
{
	struct display *d = active_display;
	size_t at;

	if (!d || !d->started)
		return n;
	if (!d->keys_watched) {
		display_term_keys_raw();
		d->keys_watched = true;
	}
	at = display_find_quit(bytes, n);
	if (at < n) {
		d->quit = 1;
		if (d->src.run)
			d->src.run->immediate_exit = 1;
	}
	return at;
}

bool display_quit_requested(const struct display *d)
{
	return d && d->quit;
}

void display_close(struct display *d)
{
	if (!d)
		return;
	if (d->started && !d->broken)
		draw(d);
	display_term_leave();
	if (active_display == d)
		active_display = NULL;
	display_renderer_free(&d->r);
	display_buf_free(&d->out);
	free(d->image);
	free(d);
}
