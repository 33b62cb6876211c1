/*
 * display.h - --display: the guest's screen live in the terminal.
 *
 * The run loop calls display_refresh after VM exits (and the host timer
 * when display_next_ns comes): at most every DISPLAY_PERIOD_NS it reads
 * the screen from guest RAM (the text screen at 0xB8000 with the BIOS data
 * area's mode, columns, cursor and cursor shape, or a graphics mode
 * through video_capture) and writes what changed (display_render.c).  The
 * terminal (display_term.c) is taken over at display_start or the first
 * refresh, and given back by display_close.  The keyboard input path
 * passes the bytes it reads through display_keys, which finds the quit
 * key.
 */
#ifndef GDBVM_DISPLAY_H
#define GDBVM_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/kvm.h>

#include "display_render.h"
#include "memory.h"
#include "video.h"

#define DISPLAY_PERIOD_NS 16666667ULL	/* 60 frames a second at most */
#define DISPLAY_KEEP_BYTES (1u << 20)	/* redirected output kept, at most about this */

struct display;

/* Where the screen is read from. */
struct display_source {
	const struct guest_mem *mem;
	bool bios;			/* --boot: the BIOS data area says the mode */
	const struct video_dac *dac;	/* the palette (mode 13h); with bios */
	const uint8_t *cga_select;	/* the CGA colour select; with bios */
	struct kvm_run *run;		/* kicked when the quit key comes (may be NULL) */
	/* Optional: true when gdbvm is asked to stop; a terminal that does
	 * not take a frame is then not waited for. */
	bool (*give_up)(void *ctx);
	void *give_up_ctx;
};

/* Check that the display can be shown (stdout is a terminal) and prepare
 * it; the terminal is not touched yet.  0, or -errno after a message to
 * err. */
int display_open(struct display **dp, const struct display_source *src, FILE *err);

/* Take over the terminal now (else the first refresh does). 0/-errno. */
int display_start(struct display *d);

/* Draw what changed if a frame is due at now_ns (CLOCK_MONOTONIC); d may
 * be NULL (no display). */
void display_refresh(struct display *d, uint64_t now_ns);

/* When the display next wants display_refresh (CLOCK_MONOTONIC ns);
 * UINT64_MAX for none. */
uint64_t display_next_ns(const struct display *d);

/* CLOCK_MONOTONIC in ns, for the callers of display_refresh. */
uint64_t display_now_ns(void);

/* The keyboard input path's hook: bytes read from stdin (n may be 0: it
 * is called each time the path looks at stdin).  The first call takes
 * signals off the keys: from then on Ctrl-C is a key for the guest and
 * the quit key is watched for.  Returns how many of the bytes are keys for
 * the guest: those before the quit key when it is among them and a
 * display is on (which then asks to quit and kicks the vCPU), else n. */
size_t display_keys(const uint8_t *bytes, size_t n);

/* Whether the user pressed the quit key. */
bool display_quit_requested(const struct display *d);

/* A last frame, then the terminal back as it was and the output kept
 * meanwhile printed; frees d.  NULL is fine. */
void display_close(struct display *d);

#endif
