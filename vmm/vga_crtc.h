/*
 * vga_crtc.h - the colour VGA's CRT controller ports as text-mode code uses
 * them: the index at 0x3D4 and data at 0x3D5 (cursor start and end 0Ah/0Bh,
 * start address 0Ch/0Dh, cursor location 0Eh/0Fh; the other registers keep
 * what is written), and input status 1 at 0x3DA, whose vertical retrace
 * (bit 3) and display-disabled (bit 0) bits follow a 60 Hz, 31.5 kHz beam in
 * guest time, so "wait for retrace" loops end.
 *
 * With the built-in BIOS (--boot) the cursor location and shape registers
 * are the BIOS data area's cursor of page 0 (0x450) and shape (0x460): what
 * INT 10h sets, a port read gives, and a port write moves the cursor INT 10h
 * and --screen/--display see.  Without the BIOS they are plain registers
 * (the BIOS data area is the guest's own memory then).
 */
#ifndef GDBVM_VGA_CRTC_H
#define GDBVM_VGA_CRTC_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_clock.h"
#include "memory.h"

#define VGA_CRTC_PORT	0x3d4	/* index; data at 0x3d5 */
#define VGA_CRTC_NPORTS	2
#define VGA_STATUS_PORT	0x3da	/* input status 1 */
#define VGA_CRTC_NREGS	0x19

/* One frame at 60 Hz and its vertical retrace; one scan line at 31.5 kHz
 * and its horizontal blanking (guest nanoseconds). */
#define VGA_FRAME_NS	16683333u
#define VGA_VRETRACE_NS	63555u
#define VGA_LINE_NS	31777u
#define VGA_HBLANK_NS	6356u

struct vga_crtc {
	struct guest_mem *mem;
	struct guest_clock *clock;
	bool bios;		/* the cursor registers are the BDA's */
	uint8_t index;
	uint8_t regs[VGA_CRTC_NREGS];
};

void vga_crtc_init(struct vga_crtc *c, struct guest_mem *mem, struct guest_clock *clock,
		   bool bios);

/* pio_handlers (ctx is the struct vga_crtc). */
void vga_crtc_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);
void vga_status_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);

#endif
