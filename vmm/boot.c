/*
 * boot.c - setting up a --boot machine and ending it (see boot.h).
 */
#include "boot.h"
#include "bios.h"
#include "png.h"
#include "vga.h"
#include "video.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The registers a boot sector starts with, before the user's --reg. */
static int prepend_boot_regs(struct config *cfg, uint8_t drive)
{
	struct reg_assign merged[MAX_REG_ASSIGNS];
	char dl[16];
	/* IF set, as a PC BIOS leaves it: the timer ticks from the start. */
	const char *init[] = { dl, "ss=0", "sp=0x7c00", "eflags=0x202" };
	const unsigned ninit = sizeof(init) / sizeof(init[0]);
	unsigned n = 0;

	snprintf(dl, sizeof(dl), "dl=0x%02x", drive);
	if (cfg->nregs + ninit > MAX_REG_ASSIGNS)
		return -E2BIG;
	for (unsigned i = 0; i < ninit; i++)
		if (reg_assign_parse(init[i], &merged[n++]) < 0)
			return -EINVAL;
	memcpy(&merged[n], cfg->regs, cfg->nregs * sizeof(cfg->regs[0]));
	cfg->nregs += ninit;
	memcpy(cfg->regs, merged, cfg->nregs * sizeof(cfg->regs[0]));
	return 0;
}

/* The drive number: --drive, else 0x00 for a floppy-sized image. */
static uint8_t boot_drive(const struct config *cfg)
{
	struct disk_geometry geo;
	struct stat st;

	if (cfg->boot_drive >= 0)
		return (uint8_t)cfg->boot_drive;
	if (stat(cfg->boot_path, &st) == 0 && disk_floppy_size((uint64_t)st.st_size, &geo))
		return 0x00;
	return 0x80;
}

int boot_load(struct machine *m, struct config *cfg, FILE *err)
{
	struct bios *b = &m->bios;
	char why[PATH_MAX + 256];
	uint8_t *sector;
	uint16_t entry;
	int e;

	*b = (struct bios){ .drive = boot_drive(cfg), .err = err };
	e = disk_open(&b->disk, cfg->boot_path, b->drive < 0x80, cfg->writable, why, sizeof(why));
	if (e) {
		fprintf(err, "gdbvm: %s\n", why);
		return e;
	}
	b->enabled = true;
	sector = mem_ptr(&m->mem, BOOT_SECTOR_ADDR, DISK_SECTOR_SIZE);
	e = sector ? disk_read(&b->disk, 0, 1, sector) : -EFAULT;
	if (!e)
		e = bios_install(b, &m->mem, &entry);
	if (e) {
		fprintf(err, "gdbvm: cannot boot '%s': %s\n", cfg->boot_path, strerror(-e));
		return e;
	}
	if (!cfg->entry_given) {	/* the ROM's jump to 0000:7C00 */
		cfg->entry_seg = BIOS_ROM_SEG;
		cfg->entry_off = entry;
	}
	/* --gdb-batch's gdb shares the terminal: leave it alone then;
	 * --display sets the terminal up itself. */
	b->raw_tty = !cfg->gdb_batch && !cfg->display;
	e = prepend_boot_regs(cfg, b->drive);
	if (e)
		fprintf(err, "gdbvm: too many --reg options for --boot\n");
	return e;
}

/*
 * A BIOS disk read replaced guest memory: a software breakpoint planted
 * there (a HLT byte) was overwritten, so it takes the byte read as the
 * guest's own and is planted again.  A breakpoint set on a stage that is
 * not loaded yet thus holds once the loader reads it.
 */
static void replant_loaded(void *ctx, uint64_t addr, uint64_t len)
{
	/* Coverage's traps too, with no debugger. */
	debug_loaded(ctx, addr, len);
}

int boot_register(struct machine *m)
{
	int e;

	if (!m->bios.enabled)
		return 0;
	m->bios.console = &m->com1;
	m->bios.loaded = replant_loaded;
	m->bios.loaded_ctx = m;
	bios_keyboard_attach(&m->bios, &m->kbd_in);
	e = m->bios.raw_tty ? kbd_input_raw(&m->kbd_in) : 0;
	if (e)
		fprintf(m->bios.err, "gdbvm: warning: cannot set the terminal to deliver keys at "
			"once: %s\n", strerror(-e));
	e = pio_register(&m->pio, "bios", BIOS_PORT, BIOS_NPORTS, bios_pio, &m->bios);
	if (!e)
		e = pio_register(&m->pio, "vga-dac", VIDEO_DAC_PORT, VIDEO_DAC_NPORTS,
				 video_dac_pio, &m->bios.dac);
	return e;
}

/* --screen: the text screen on stdout, after a separator line naming the
 * mode; a graphics mode is named instead of shown. */
static void show_screen(struct machine *m, const struct config *cfg)
{
	struct vga_dump_style style = {
		.ansi = cfg->screen == SCREEN_ANSI ||
			(cfg->screen == SCREEN_AUTO && isatty(STDOUT_FILENO) == 1),
		.cols = VGA_COLS,
		.title = "screen: 80x25 text at 0xb8000",
	};
	char title[160];

	/* The separator starts a line of its own after the guest's output. */
	if (m->out_stdout.last && m->out_stdout.last != '\n')
		fputc('\n', stdout);
	if (m->bios.enabled) {
		uint8_t mode = 0;
		struct video_mode info;

		mem_read(&m->mem, BDA_MODE, &mode, 1);
		info = video_mode_info(mode);
		if (info.kind != VIDEO_TEXT) {
			snprintf(title, sizeof(title), "screen: mode %02xh, %s, not text%s",
				 mode, info.name, info.kind == VIDEO_OTHER ? ""
				 : " (see --screenshot)");
			vga_separator(stdout, title, VGA_COLS);
			return;
		}
		snprintf(title, sizeof(title), "screen: mode %02xh, %s", mode, info.name);
		style.title = title;
		style.cols = info.cols;
	}
	vga_dump(&m->mem, stdout, &style);
}

/* --screenshot: the graphics screen as a PNG file. */
static void save_screenshot(struct machine *m, const char *path)
{
	struct video_image *img = malloc(sizeof(*img));
	struct video_mode info;
	uint8_t mode = 0;
	FILE *f;
	int e;

	if (!img) {
		fprintf(stderr, "gdbvm: cannot write screenshot '%s': %s\n", path, strerror(ENOMEM));
		return;
	}
	mem_read(&m->mem, BDA_MODE, &mode, 1);
	info = video_mode_info(mode);
	e = video_capture(&m->mem, mode, &m->bios.dac, m->bios.cga_select, img);
	if (e == -ENOTSUP) {
		fprintf(stderr, "gdbvm: --screenshot: the screen is in mode %02xh (%s), which "
			"gdbvm cannot capture (it captures the text modes and modes 04h, 05h, 06h "
			"and 13h); '%s' not written\n", mode, info.name, path);
	} else if (e) {
		fprintf(stderr, "gdbvm: --screenshot: %s\n", strerror(-e));
	} else if (!(f = fopen(path, "wb"))) {
		fprintf(stderr, "gdbvm: cannot write screenshot '%s': %s\n", path, strerror(errno));
	} else {
		e = png_write_indexed(f, img->width, img->height, img->pixels,
				      (const uint8_t(*)[3])img->palette, img->ncolours);
		if (fclose(f) != 0 && !e)
			e = -errno;
		if (e)
			fprintf(stderr, "gdbvm: cannot write screenshot '%s': %s\n", path,
				strerror(-e));
	}
	free(img);
}

void boot_finish(struct machine *m, const struct config *cfg)
{
	if (cfg->screen && m->kvm.run) {
		show_screen(m, cfg);
		fflush(stdout);
	}
	if (cfg->screenshot && m->kvm.run && m->bios.enabled)
		save_screenshot(m, cfg->screenshot);
	kbd_input_restore(&m->kbd_in);
	if (m->bios.enabled) {
		const struct disk *d = &m->bios.disk;

		if (d->size != d->original_size)
			fprintf(stderr, "gdbvm: the guest wrote into the zero-padded end of disk image "
				"'%s': the file grew from %llu to %llu bytes\n", cfg->boot_path,
				(unsigned long long)d->original_size, (unsigned long long)d->size);
		disk_close(&m->bios.disk);
	}
	m->bios.enabled = false;
}
