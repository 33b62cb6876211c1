/*
 * bios_sys.c - the system services: INT 14h (serial, on COM1), INT 15h
 * (E820 memory map, extended memory sizes, A20, wait), INT 19h (boot
 * again) and INT 1Ah (time and date, from the host's clock).
 */
#include "bios.h"
#include "layout.h"

#include <time.h>

static enum bios_action fail_86(struct bios *b, struct bios_frame *f);

/* ---- INT 14h: COM1 through the UART device ---- */

static uint8_t uart_reg(struct bios *b, uint16_t reg)
{
	uint8_t v = 0xff;

	if (b->console)
		uart_pio(b->console, reg, &v, 1, false);
	return v;
}

/* AH=00h init, AH=03h status: AH = line status, AL = modem status. */
static enum bios_action serial_status(struct bios *b, struct bios_frame *f)
{
	set_hi(&f->eax, uart_reg(b, UART_LSR));
	set_lo(&f->eax, uart_reg(b, UART_MSR));
	return BIOS_RETURN;
}

/* AH=01h: send AL. */
static enum bios_action serial_send(struct bios *b, struct bios_frame *f)
{
	uint8_t ch = reg_lo(f->eax);

	if (b->console)
		uart_pio(b->console, UART_RBR_THR, &ch, 1, true);
	set_hi(&f->eax, uart_reg(b, UART_LSR));
	return BIOS_RETURN;
}

/* AH=02h: receive into AL, or time out (AH bit 7) when nothing waits. */
static enum bios_action serial_receive(struct bios *b, struct bios_frame *f)
{
	uint8_t lsr = uart_reg(b, UART_LSR);

	if (!(lsr & UART_LSR_DR)) {
		set_hi(&f->eax, 0x80);
		return BIOS_RETURN;
	}
	set_lo(&f->eax, uart_reg(b, UART_RBR_THR));
	set_hi(&f->eax, lsr & 0x1e);
	return BIOS_RETURN;
}

static const bios_call_fn serial_calls[256] = {
	[0x00] = serial_status, [0x01] = serial_send, [0x02] = serial_receive,
	[0x03] = serial_status,
};

enum bios_action bios_int14(struct bios *b, struct bios_frame *f)
{
	if ((uint16_t)f->edx != 0) {	/* only COM1 */
		set_hi(&f->eax, 0x80);
		return BIOS_RETURN;
	}
	return bios_dispatch_ah(b, f, serial_calls);
}

/* ---- INT 15h ---- */

#define SMAP 0x534d4150u

/* EAX=E820h: entry EBX of the memory map to ES:DI (ECX bytes, 20 or 24). */
static enum bios_action e820(struct bios *b, struct bios_frame *f)
{
	struct mem_region map[LAYOUT_MAP_MAX];
	unsigned n = layout_memory_map(b->mem->size, 0, true, map), i = f->ebx;
	uint32_t size = f->ecx >= 24 ? 24 : 20;
	uint8_t raw[24];

	if (f->edx != SMAP || f->ecx < 20 || i >= n)
		return fail_86(b, f);
	for (int j = 0; j < 8; j++) {
		raw[j] = (uint8_t)(map[i].base >> (8 * j));
		raw[8 + j] = (uint8_t)(map[i].length >> (8 * j));
	}
	for (int j = 0; j < 4; j++) {
		raw[16 + j] = (uint8_t)(map[i].type >> (8 * j));
		raw[20 + j] = j == 0;	/* ACPI 3.0 attributes: enabled */
	}
	if (mem_write(b->mem, real_addr(f->es, (uint16_t)f->edi), raw, size) < 0)
		return fail_86(b, f);
	f->eax = SMAP;
	f->ecx = size;
	f->ebx = i + 1 < n ? i + 1 : 0;
	frame_flag(f, FLAG_CF, false);
	return BIOS_RETURN;
}

/* KiB of RAM from 1M on, up to limit_kib. */
static uint32_t kib_above_1m(const struct bios *b, uint64_t limit_kib)
{
	uint64_t kib = b->mem->size > BIOS_MEM_MIN ? (b->mem->size - BIOS_MEM_MIN) >> 10 : 0;

	return (uint32_t)(kib < limit_kib ? kib : limit_kib);
}

/* AX=E801h: AX = CX = KiB between 1M and 16M, BX = DX = 64K blocks above. */
static enum bios_action e801(struct bios *b, struct bios_frame *f)
{
	uint32_t low = kib_above_1m(b, 15 * 1024);
	uint64_t high = b->mem->size > (UINT64_C(16) << 20) ? (b->mem->size - (UINT64_C(16) << 20)) >> 16 : 0;

	set_x(&f->eax, (uint16_t)low);
	set_x(&f->ecx, (uint16_t)low);
	set_x(&f->ebx, (uint16_t)(high > 0xffff ? 0xffff : high));
	set_x(&f->edx, (uint16_t)(high > 0xffff ? 0xffff : high));
	frame_flag(f, FLAG_CF, false);
	return BIOS_RETURN;
}

static enum bios_action memory_e8(struct bios *b, struct bios_frame *f)
{
	if ((uint16_t)f->eax == 0xe820)
		return e820(b, f);
	if ((uint16_t)f->eax == 0xe801)
		return e801(b, f);
	return bios_unsupported(b, f);
}

/* AH=88h: KiB of extended memory (at most 63M here, as on old BIOSes). */
static enum bios_action ext_memory(struct bios *b, struct bios_frame *f)
{
	set_x(&f->eax, (uint16_t)kib_above_1m(b, 0xfc00));
	frame_flag(f, FLAG_CF, false);
	return BIOS_RETURN;
}

/* AH=24h: A20.  It is always on in this machine: AL=01h (enable), 02h
 * (status: on) and 03h (support: keyboard controller and port 92h)
 * succeed; AL=00h (disable) fails with AH=86h. */
static enum bios_action a20(struct bios *b, struct bios_frame *f)
{
	switch (reg_lo(f->eax)) {
	case 0x01:
		set_hi(&f->eax, 0);
		break;
	case 0x02:
		set_x(&f->eax, 0x0001);
		break;
	case 0x03:
		set_hi(&f->eax, 0);
		set_x(&f->ebx, 0x0003);
		break;
	default:
		return fail_86(b, f);
	}
	frame_flag(f, FLAG_CF, false);
	return BIOS_RETURN;
}

/* AH=86h: wait CX:DX microseconds of guest time, with interrupts let in
 * (the ROM calls again) so the timer keeps ticking meanwhile. */
#define WAIT_SLICE_NS 2000000	/* the longest sleep between two calls */

static enum bios_action wait_us(struct bios *b, struct bios_frame *f)
{
	uint64_t us = (uint64_t)(uint16_t)f->ecx << 16 | (uint16_t)f->edx;
	uint64_t now = b->clock ? guest_clock_now(b->clock) : 0, left;
	struct timespec ts;

	if (!b->clock) {
		ts.tv_sec = (time_t)(us / 1000000);
		ts.tv_nsec = (long)(us % 1000000) * 1000;
		nanosleep(&ts, NULL);
	} else {
		if (!b->wait_until)
			b->wait_until = now + us * 1000 + 1;	/* 0 means "none" */
		if (now + 1 < b->wait_until) {
			left = b->wait_until - 1 - now;
			if (left > WAIT_SLICE_NS)
				left = WAIT_SLICE_NS;
			ts.tv_sec = 0;
			ts.tv_nsec = (long)left;
			nanosleep(&ts, NULL);	/* a signal cuts it short, as it should */
			return BIOS_AGAIN;
		}
		b->wait_until = 0;
	}
	frame_flag(f, FLAG_CF, false);
	set_hi(&f->eax, 0);
	return BIOS_RETURN;
}

/* Calls a PC without the feature answers with CF set and AH=86h:
 * AH=C0h (configuration table), AH=53h (APM), and bad sub-calls. */
static enum bios_action fail_86(struct bios *b, struct bios_frame *f)
{
	(void)b;
	set_hi(&f->eax, 0x86);
	frame_flag(f, FLAG_CF, true);
	return BIOS_RETURN;
}

static const bios_call_fn system_calls[256] = {
	[0x24] = a20, [0x4f] = bios_key_intercept, [0x53] = fail_86, [0x86] = wait_us, [0x88] = ext_memory,
	[0xc0] = fail_86, [0xe8] = memory_e8,
};

enum bios_action bios_int15(struct bios *b, struct bios_frame *f)
{
	return bios_dispatch_ah(b, f, system_calls);
}

/* ---- INT 19h: read the boot sector again and jump to it ---- */

enum bios_action bios_int19(struct bios *b, struct bios_frame *f)
{
	uint8_t *dst = mem_ptr(b->mem, BOOT_SECTOR_ADDR, DISK_SECTOR_SIZE);

	mem_note_write(b->mem, BOOT_SECTOR_ADDR, DISK_SECTOR_SIZE);
	if (!dst || disk_read(&b->disk, 0, 1, dst) < 0)
		return bios_unsupported(b, f);
	if (b->loaded)
		b->loaded(b->loaded_ctx, BOOT_SECTOR_ADDR, DISK_SECTOR_SIZE);
	set_lo(&f->edx, b->drive);
	return BIOS_BOOT;
}

/* ---- INT 1Ah: time ---- */

#define BDA_TICKS	(BDA_BASE + 0x6c)
#define BDA_MIDNIGHT	(BDA_BASE + 0x70)

/* AH=00h: the tick count INT 08h keeps in the BIOS data area, in CX:DX;
 * AL = the midnight flag, cleared by the read. */
static enum bios_action get_ticks(struct bios *b, struct bios_frame *f)
{
	uint8_t raw[5] = { 0 };
	uint8_t zero = 0;
	uint32_t t;

	mem_read(b->mem, BDA_TICKS, raw, sizeof(raw));
	t = (uint32_t)raw[0] | (uint32_t)raw[1] << 8 | (uint32_t)raw[2] << 16 |
	    (uint32_t)raw[3] << 24;
	set_x(&f->ecx, (uint16_t)(t >> 16));
	set_x(&f->edx, (uint16_t)t);
	set_lo(&f->eax, raw[4]);
	mem_write(b->mem, BDA_MIDNIGHT, &zero, 1);
	return BIOS_RETURN;
}

/* AH=01h: set the tick count from CX:DX. */
static enum bios_action set_ticks(struct bios *b, struct bios_frame *f)
{
	uint32_t t = (uint32_t)(uint16_t)f->ecx << 16 | (uint16_t)f->edx;
	uint8_t raw[5] = { (uint8_t)t, (uint8_t)(t >> 8), (uint8_t)(t >> 16), (uint8_t)(t >> 24),
			   0 };

	mem_write(b->mem, BDA_TICKS, raw, sizeof(raw));
	return BIOS_RETURN;
}

/* The RTC's registers, read as a PC BIOS reads them (it assumes BCD). */
static uint8_t rtc(struct bios *b, uint8_t reg)
{
	return cmos_read(b->cmos, reg);
}

/* AH=02h: RTC time: CH hours, CL minutes, DH seconds, DL daylight saving. */
static enum bios_action get_time(struct bios *b, struct bios_frame *f)
{
	if (!b->cmos)
		return fail_86(b, f);
	set_hi(&f->ecx, rtc(b, CMOS_HOURS));
	set_lo(&f->ecx, rtc(b, CMOS_MINUTES));
	set_hi(&f->edx, rtc(b, CMOS_SECONDS));
	set_lo(&f->edx, rtc(b, CMOS_STATUS_B) & CMOS_B_DSE);
	frame_flag(f, FLAG_CF, false);
	return BIOS_RETURN;
}

/* AH=04h: RTC date: CH century, CL year, DH month, DL day. */
static enum bios_action get_date(struct bios *b, struct bios_frame *f)
{
	if (!b->cmos)
		return fail_86(b, f);
	set_hi(&f->ecx, rtc(b, CMOS_CENTURY));
	set_lo(&f->ecx, rtc(b, CMOS_YEAR));
	set_hi(&f->edx, rtc(b, CMOS_MONTH));
	set_lo(&f->edx, rtc(b, CMOS_DAY));
	frame_flag(f, FLAG_CF, false);
	return BIOS_RETURN;
}

/* Write RTC registers with the update frozen (status B's SET bit), as a
 * BIOS does: the clock takes the new values when SET is cleared. */
static void rtc_set(struct bios *b, const uint8_t *regs, const uint8_t *values, unsigned n)
{
	uint8_t status_b = cmos_read(b->cmos, CMOS_STATUS_B);

	cmos_write(b->cmos, CMOS_STATUS_B, status_b | CMOS_B_SET);
	for (unsigned i = 0; i < n; i++)
		cmos_write(b->cmos, regs[i], values[i]);
	cmos_write(b->cmos, CMOS_STATUS_B, status_b & (uint8_t)~CMOS_B_SET);
}

/* AH=03h: set the RTC time from CH, CL, DH (BCD). */
static enum bios_action set_time(struct bios *b, struct bios_frame *f)
{
	static const uint8_t regs[] = { CMOS_HOURS, CMOS_MINUTES, CMOS_SECONDS };
	const uint8_t values[] = { reg_hi(f->ecx), reg_lo(f->ecx), reg_hi(f->edx) };

	if (!b->cmos)
		return fail_86(b, f);
	rtc_set(b, regs, values, 3);
	frame_flag(f, FLAG_CF, false);
	return BIOS_RETURN;
}

/* AH=05h: set the RTC date from CH, CL, DH, DL (BCD). */
static enum bios_action set_date(struct bios *b, struct bios_frame *f)
{
	static const uint8_t regs[] = { CMOS_CENTURY, CMOS_YEAR, CMOS_MONTH, CMOS_DAY };
	const uint8_t values[] = { reg_hi(f->ecx), reg_lo(f->ecx), reg_hi(f->edx),
				   reg_lo(f->edx) };

	if (!b->cmos)
		return fail_86(b, f);
	rtc_set(b, regs, values, 4);
	frame_flag(f, FLAG_CF, false);
	return BIOS_RETURN;
}

static const bios_call_fn time_calls[256] = {
	[0x00] = get_ticks, [0x01] = set_ticks, [0x02] = get_time,
	[0x03] = set_time,  [0x04] = get_date,	[0x05] = set_date,
};

enum bios_action bios_int1a(struct bios *b, struct bios_frame *f)
{
	return bios_dispatch_ah(b, f, time_calls);
}
