/*
 * bios.h - the built-in minimal BIOS: its ROM at 0xF0000, the interrupt
 * vector table and BIOS data area it starts with, and the BIOS service
 * port through which the ROM's interrupt handlers call the VMM.
 *
 * Protocol (bios/bios.asm): a handler saves every register on the guest's
 * stack, a 44-byte frame (struct bios_frame), and writes SS << 16 | SP to
 * BIOS_PORT with one 32-bit OUT.  The VMM serves the call by reading and
 * rewriting that frame in guest RAM; the frame's action byte tells the ROM
 * what to do next.  So the device needs no vCPU register access: it is
 * plain memory in, memory out.
 */
#ifndef GDBVM_BIOS_H
#define GDBVM_BIOS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cmos.h"
#include "disk.h"
#include "kbd_input.h"
#include "guest_clock.h"
#include "keymap.h"
#include "memory.h"
#include "pic.h"
#include "uart.h"
#include "video.h"

#define BIOS_PORT	0x4b0
#define BIOS_NPORTS	4
#define BIOS_ROM_BASE	0xf0000
#define BIOS_ROM_SEG	0xf000
#define BIOS_ROM_SIZE	0x10000
#define BIOS_MEM_MIN	(UINT64_C(1) << 20)	/* RAM --boot needs: the ROM ends at 1M */
#define BIOS_FRAME_SIZE	44
#define BDA_BASE	0x400
#define EBDA_BASE	0x9fc00
#define BOOT_SECTOR_ADDR 0x7c00

/* What the ROM does once the VMM has served a call (frame byte 37). */
enum bios_action {
	BIOS_RETURN = 0,	/* restore the frame's registers and IRET */
	BIOS_AGAIN = 1,		/* let interrupts in, then call the VMM again */
	BIOS_BOOT = 2,		/* jump to 0000:7C00 with DL from the frame */
	BIOS_UNSUPPORTED = 3,	/* VMM-internal: stop the guest, then return */
	BIOS_HALT = 4,		/* STI; HLT (until an interrupt), call again */
};

/* The registers a BIOS call sees and returns, as saved on the stack. */
struct bios_frame {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint16_t ds, es;
	uint8_t vector, action;
	uint16_t ip, cs, flags;
};

#define FLAG_CF 0x0001
#define FLAG_ZF 0x0040

/* The 8- and 16-bit parts of a saved 32-bit register (AH, AL, AX...). */
static inline uint8_t reg_hi(uint32_t r)
{
	return (uint8_t)(r >> 8);
}

static inline uint8_t reg_lo(uint32_t r)
{
	return (uint8_t)r;
}

static inline void set_hi(uint32_t *r, uint8_t v)
{
	*r = (*r & ~0xff00u) | (uint32_t)v << 8;
}

static inline void set_lo(uint32_t *r, uint8_t v)
{
	*r = (*r & ~0xffu) | v;
}

static inline void set_x(uint32_t *r, uint16_t v)
{
	*r = (*r & ~0xffffu) | v;
}

static inline void frame_flag(struct bios_frame *f, uint16_t flag, bool on)
{
	f->flags = (uint16_t)(on ? f->flags | flag : f->flags & ~flag);
}

/* Linear address of SEG:OFF. */
static inline uint64_t real_addr(uint16_t seg, uint16_t off)
{
	return (uint64_t)seg * 16 + off;
}

/* INT 09h and INT 16h: the keyboard behind the 8042 (kbd_input.h), its
 * keys kept in the BIOS data area's buffer as on a PC. */
struct bios_keyboard {
	struct kbd_input *in;	/* NULL: no keyboard, no keys */
	uint16_t int09;		/* the ROM's INT 09h entry (offset in F000h) */
	uint32_t taken;		/* the 8042's out_count of the last byte INT 09h took */
	bool eof_reported;
};

/* BIOS data area bytes of the keyboard (offsets from 0400h). */
#define BDA_KBD_FLAGS1	0x17
#define BDA_KBD_FLAGS2	0x18
#define BDA_KBD_ALTNUM	0x19
#define BDA_KBD_HEAD	0x1a
#define BDA_KBD_TAIL	0x1c
#define BDA_KBD_START	0x80
#define BDA_KBD_END	0x82
#define BDA_KBD_FLAGS3	0x96
#define BDA_KBD_BUF	0x1e	/* the buffer's usual place: 1Eh-3Dh, 16 keys */
#define BDA_KBD_BUF_END	0x3e

struct bios {
	bool enabled;		/* --boot */
	struct guest_mem *mem;
	struct uart *console;	/* teletype output shares COM1's stdout buffer */
	FILE *err;		/* messages */
	struct disk disk;
	uint8_t drive;		/* the boot drive number */
	uint8_t disk_status;	/* INT 13h AH=01h: status of the last operation */
	struct bios_keyboard kbd;
	struct video_dac dac;	/* the VGA palette, ports 0x3C6-0x3C9 and INT 10h AH=10h */
	uint8_t cga_select;	/* CGA colour select (INT 10h AH=0Bh) for modes 04h-06h */
	bool stop_requested;	/* an unsupported call: stop the guest */
	bool raw_tty;		/* put a terminal stdin in key-at-a-time mode */
	/* IRQ 1's route: INT 16h waits for a key in HLT while it is open
	 * (NULL: never; it polls stdin and calls again). */
	const struct pic *pic;
	struct cmos *cmos;	/* INT 1Ah's real-time clock (NULL: none) */
	struct guest_clock *clock;	/* INT 15h AH=86h waits in guest time */
	uint64_t wait_until;	/* guest ns an AH=86h wait ends (0: none) */
	/* Optional: told when a disk read replaced guest memory (so a
	 * debugger's breakpoints there can be planted again). */
	void (*loaded)(void *ctx, uint64_t addr, uint64_t len);
	void *loaded_ctx;
};

/*
 * Put the ROM at 0xF0000 and fill the interrupt vector table, the BIOS data
 * area and the text screen.  RAM must be at least BIOS_MEM_MIN.  *entry is
 * the ROM's boot entry (F000:entry jumps to 0000:7C00).  0, or -EINVAL
 * when the embedded ROM is malformed.
 */
int bios_install(struct bios *b, struct guest_mem *mem, uint16_t *entry);

/* The service port's handler (ctx is the struct bios). */
void bios_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);

/* Serve one call whose frame is at linear address at (the port does this). */
void bios_serve(struct bios *b, uint64_t at);

/* Frame <-> guest bytes; tests use them too. */
void bios_frame_decode(const uint8_t raw[BIOS_FRAME_SIZE], struct bios_frame *f);
void bios_frame_encode(const struct bios_frame *f, uint8_t raw[BIOS_FRAME_SIZE]);

/* A call nobody implements: say so, fail it (CF, AH=01h), stop the guest. */
enum bios_action bios_unsupported(struct bios *b, struct bios_frame *f);

/* The services, one per vector (bios_video.c, bios_disk.c, ...). */
typedef enum bios_action (*bios_call_fn)(struct bios *b, struct bios_frame *f);
enum bios_action bios_int10(struct bios *b, struct bios_frame *f);
enum bios_action bios_int13(struct bios *b, struct bios_frame *f);
enum bios_action bios_int14(struct bios *b, struct bios_frame *f);
enum bios_action bios_int15(struct bios *b, struct bios_frame *f);
enum bios_action bios_int16(struct bios *b, struct bios_frame *f);
enum bios_action bios_int19(struct bios *b, struct bios_frame *f);
enum bios_action bios_int1a(struct bios *b, struct bios_frame *f);

/* Dispatch on AH through a 256-entry table; empty entries are unsupported. */
static inline enum bios_action bios_dispatch_ah(struct bios *b, struct bios_frame *f,
						const bios_call_fn table[256])
{
	bios_call_fn fn = table[reg_hi(f->eax)];

	return fn ? fn(b, f) : bios_unsupported(b, f);
}

/* Ticks of the 18.2 Hz timer since midnight UTC, the RTC's time (the
 * count the BIOS data area starts with; INT 08h counts on from there). */
uint32_t bios_ticks_now(void);

/* INT 09h: one byte from port 60h (the frame's AL) into the shift state
 * and the key buffer, as a PC BIOS's keyboard interrupt does. */
enum bios_action bios_int09(struct bios *b, struct bios_frame *f);

/* INT 15h AH=4Fh, the keyboard intercept INT 09h calls with each byte:
 * nobody intercepts, CF set (go on with AL). */
enum bios_action bios_key_intercept(struct bios *b, struct bios_frame *f);

/* The BIOS data area's key buffer: put a key at its tail (false: full,
 * dropped) and take one from its head (false: empty). */
bool bios_key_push(struct bios *b, uint16_t key);
bool bios_key_pop(struct bios *b, uint16_t *key, bool peek);

/* Connect INT 09h/16h to the keyboard's host side (in may be NULL). */
void bios_keyboard_attach(struct bios *b, struct kbd_input *in);

#endif
