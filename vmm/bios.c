/*
 * bios.c - the built-in BIOS's set-up and its service port (see bios.h):
 * the ROM image goes to 0xF0000, the interrupt vector table is filled from
 * the ROM's vector table, the BIOS data area describes the machine, and
 * every call the ROM passes on is dispatched by vector to bios_*.c.
 */
#include "bios.h"
#include "vga.h"

#include <errno.h>
#include <string.h>
#include <time.h>

extern const uint8_t gdbvm_bios_rom[], gdbvm_bios_rom_end[];	/* bios_rom.S */

static const bios_call_fn vector_calls[256] = {
	[0x09] = bios_int09, [0x10] = bios_int10, [0x13] = bios_int13, [0x14] = bios_int14,
	[0x15] = bios_int15, [0x16] = bios_int16, [0x19] = bios_int19, [0x1a] = bios_int1a,
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

void bios_frame_decode(const uint8_t raw[BIOS_FRAME_SIZE], struct bios_frame *f)
{
	uint32_t *regs[] = { &f->edi, &f->esi, &f->ebp, &f->esp,
			     &f->ebx, &f->edx, &f->ecx, &f->eax };

	for (unsigned i = 0; i < 8; i++)
		*regs[i] = get32(raw + 4 * i);
	f->ds = get16(raw + 32);
	f->es = get16(raw + 34);
	f->vector = raw[36];
	f->action = raw[37];
	f->ip = get16(raw + 38);
	f->cs = get16(raw + 40);
	f->flags = get16(raw + 42);
}

void bios_frame_encode(const struct bios_frame *f, uint8_t raw[BIOS_FRAME_SIZE])
{
	const uint32_t regs[] = { f->edi, f->esi, f->ebp, f->esp, f->ebx, f->edx, f->ecx, f->eax };

	for (unsigned i = 0; i < 8; i++)
		put32(raw + 4 * i, regs[i]);
	put16(raw + 32, f->ds);
	put16(raw + 34, f->es);
	raw[36] = f->vector;
	raw[37] = f->action;
	put16(raw + 38, f->ip);
	put16(raw + 40, f->cs);
	put16(raw + 42, f->flags);
}

/* Where the instruction that made the call is: INT n two bytes before the
 * return address, INT3 or INTO one byte before it; else (*by_insn false)
 * the return address itself (a fault such as #DE returns to the faulting
 * instruction). */
static uint16_t caller_ip(const struct bios *b, const struct bios_frame *f, bool *by_insn)
{
	uint8_t insn[2];

	*by_insn = true;
	if (mem_read(b->mem, real_addr(f->cs, (uint16_t)(f->ip - 2)), insn, 2) == 0) {
		if (insn[0] == 0xcd && insn[1] == f->vector)
			return (uint16_t)(f->ip - 2);
		if ((insn[1] == 0xcc && f->vector == 3) || (insn[1] == 0xce && f->vector == 4))
			return (uint16_t)(f->ip - 1);
	}
	*by_insn = false;
	return f->ip;
}

/* The CPU's own exceptions in real mode, by vector. */
static const char *const exception_names[8] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "BOUND range exceeded",
	"invalid opcode", "device not available",
};

enum bios_action bios_unsupported(struct bios *b, struct bios_frame *f)
{
	bool by_insn;
	uint16_t ip = caller_ip(b, f, &by_insn);

	if (!by_insn && f->vector < 8)
		fprintf(b->err, "gdbvm: CPU exception %02xh (%s) at %04x:%04x with no handler "
			"in the interrupt vector table\n",
			f->vector, exception_names[f->vector], f->cs, ip);
	else
		fprintf(b->err, "gdbvm: unsupported BIOS call INT %02xh AH=%02xh at %04x:%04x\n",
			f->vector, reg_hi(f->eax), f->cs, ip);
	fflush(b->err);
	set_hi(&f->eax, 0x01);	/* "invalid function", should the guest go on */
	frame_flag(f, FLAG_CF, true);
	return BIOS_UNSUPPORTED;
}

void bios_serve(struct bios *b, uint64_t at)
{
	uint8_t raw[BIOS_FRAME_SIZE];
	struct bios_frame f;
	enum bios_action action;
	bios_call_fn fn;

	if (mem_read(b->mem, at, raw, sizeof(raw)) < 0)
		return;	/* not a frame in RAM: the ROM was overwritten */
	bios_frame_decode(raw, &f);
	fn = vector_calls[f.vector];
	action = fn ? fn(b, &f) : bios_unsupported(b, &f);
	if (action == BIOS_UNSUPPORTED) {
		b->stop_requested = true;
		action = BIOS_RETURN;
	}
	f.action = (uint8_t)action;
	bios_frame_encode(&f, raw);
	mem_write(b->mem, at, raw, sizeof(raw));
}

void bios_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	struct bios *b = ctx;
	uint32_t v;

	if (!is_write) {
		memset(data, 0xff, size);
		return;
	}
	if (offset != 0 || size != 4)
		return;	/* only the ROM's one 32-bit OUT means anything */
	v = get32(data);
	bios_serve(b, real_addr((uint16_t)(v >> 16), (uint16_t)v));
}

uint32_t bios_ticks_now(void)
{
	time_t t = time(NULL);

	if (t < 0)
		return 0;
	return (uint32_t)(((uint64_t)(t % 86400) * 1193182) / 65536);
}

static void fill_bda(struct bios *b)
{
	uint8_t bda[0x100] = { 0 };
	uint16_t equipment = 0x0200 | 0x0020 | 0x0002; /* 1 COM port, 80x25 colour, FPU */

	if (b->drive < 0x80)
		equipment |= 0x0001;	/* one floppy drive */
	put16(bda + 0x00, 0x3f8);	/* COM1 */
	put16(bda + 0x0e, EBDA_BASE >> 4);
	put16(bda + 0x10, equipment);
	put16(bda + 0x13, EBDA_BASE >> 10);	/* 639 KiB conventional memory */
	put16(bda + 0x1a, 0x1e);	/* keyboard buffer head and tail */
	put16(bda + 0x1c, 0x1e);
	bda[0x49] = 0x03;		/* video mode 3: 80x25 text */
	put16(bda + 0x4a, VGA_COLS);
	put16(bda + 0x4c, 0x1000);	/* bytes per page */
	put16(bda + 0x60, 0x0607);	/* cursor shape */
	put16(bda + 0x63, 0x3d4);	/* CRTC port */
	bda[0x65] = 0x29;
	bda[0x66] = 0x30;
	put32(bda + 0x6c, bios_ticks_now());
	bda[0x75] = b->drive >= 0x80 ? 1 : 0;	/* hard disks */
	put16(bda + 0x80, 0x1e);	/* keyboard buffer start and end */
	put16(bda + 0x82, 0x3e);
	bda[0x84] = VGA_ROWS - 1;
	put16(bda + 0x85, 16);		/* character height */
	bda[0x87] = 0x60;
	bda[0x88] = 0x09;
	bda[BDA_KBD_FLAGS3] = 0x10;	/* a 101/102-key keyboard */
	mem_write(b->mem, BDA_BASE, bda, sizeof(bda));
}

int bios_install(struct bios *b, struct guest_mem *mem, uint16_t *entry)
{
	const uint8_t *rom = gdbvm_bios_rom;
	size_t rom_size = (size_t)(gdbvm_bios_rom_end - gdbvm_bios_rom);
	uint16_t vectab, nvec, stubs, stub_size;
	uint8_t ivt[256 * 4], ebda_kib = 1;

	b->mem = mem;
	if (rom_size != BIOS_ROM_SIZE || memcmp(rom, "GDBVMROM", 8) != 0)
		return -EINVAL;
	vectab = get16(rom + 8);
	nvec = get16(rom + 10);
	stubs = get16(rom + 12);
	stub_size = get16(rom + 14);
	*entry = get16(rom + 16);
	if ((size_t)vectab + nvec * 4u > rom_size || (size_t)stubs + 256u * stub_size > rom_size)
		return -EINVAL;
	if (mem_write(mem, BIOS_ROM_BASE, rom, rom_size) < 0)
		return -EFAULT;
	for (unsigned v = 0; v < 256; v++) {
		put16(ivt + 4 * v, (uint16_t)(stubs + v * stub_size));
		put16(ivt + 4 * v + 2, BIOS_ROM_SEG);
	}
	for (unsigned i = 0; i < nvec; i++) {
		const uint8_t *e = rom + vectab + 4 * i;

		put16(ivt + 4 * e[0], get16(e + 2));
		if (e[0] == 9)
			b->kbd.int09 = get16(e + 2);
	}
	mem_write(mem, 0, ivt, sizeof(ivt));
	fill_bda(b);
	mem_write(mem, EBDA_BASE, &ebda_kib, 1);
	vga_reset(mem);
	video_dac_reset(&b->dac);
	b->cga_select = VIDEO_CGA_SELECT;
	return 0;
}
