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

/* AH=86h: wait CX:DX microseconds. */
static enum bios_action wait_us(struct bios *b, struct bios_frame *f)
{
	uint32_t us = (uint32_t)(uint16_t)f->ecx << 16 | (uint16_t)f->edx;
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };

	(void)b;
	nanosleep(&ts, NULL);	/* a signal cuts it short, as it should */
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
	[0x24] = a20, [0x53] = fail_86, [0x86] = wait_us, [0x88] = ext_memory,
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

	if (!dst || disk_read(&b->disk, 0, 1, dst) < 0)
		return bios_unsupported(b, f);
	if (b->loaded)
		b->loaded(b->loaded_ctx, BOOT_SECTOR_ADDR, DISK_SECTOR_SIZE);
	set_lo(&f->edx, b->drive);
	return BIOS_BOOT;
}

/* ---- INT 1Ah: time ---- */

static uint8_t bcd(int v)
{
	return (uint8_t)((v / 10) << 4 | v % 10);
}

static bool local_now(struct tm *tm)
{
	time_t t = time(NULL);

	return localtime_r(&t, tm) != NULL;
}

/* AH=00h: ticks since midnight in CX:DX, AL = 0 (no midnight passed). */
static enum bios_action get_ticks(struct bios *b, struct bios_frame *f)
{
	uint32_t t = bios_ticks_now();

	(void)b;
	set_x(&f->ecx, (uint16_t)(t >> 16));
	set_x(&f->edx, (uint16_t)t);
	set_lo(&f->eax, 0);
	return BIOS_RETURN;
}

/* AH=02h: RTC time in BCD: CH hours, CL minutes, DH seconds, DL 0. */
static enum bios_action get_time(struct bios *b, struct bios_frame *f)
{
	struct tm tm;

	if (!local_now(&tm))
		return fail_86(b, f);
	set_hi(&f->ecx, bcd(tm.tm_hour));
	set_lo(&f->ecx, bcd(tm.tm_min));
	set_hi(&f->edx, bcd(tm.tm_sec));
	set_lo(&f->edx, 0);
	frame_flag(f, FLAG_CF, false);
	return BIOS_RETURN;
}

/* AH=04h: RTC date in BCD: CH century, CL year, DH month, DL day. */
static enum bios_action get_date(struct bios *b, struct bios_frame *f)
{
	struct tm tm;

	if (!local_now(&tm))
		return fail_86(b, f);
	set_hi(&f->ecx, bcd((tm.tm_year + 1900) / 100));
	set_lo(&f->ecx, bcd(tm.tm_year % 100));
	set_hi(&f->edx, bcd(tm.tm_mon + 1));
	set_lo(&f->edx, bcd(tm.tm_mday));
	frame_flag(f, FLAG_CF, false);
	return BIOS_RETURN;
}

/* AH=01h, 03h, 05h: setting the clock: accepted, the host's clock stays. */
static enum bios_action set_clock(struct bios *b, struct bios_frame *f)
{
	(void)b;
	frame_flag(f, FLAG_CF, false);
	return BIOS_RETURN;
}

static const bios_call_fn time_calls[256] = {
	[0x00] = get_ticks, [0x01] = set_clock, [0x02] = get_time,
	[0x03] = set_clock, [0x04] = get_date,	[0x05] = set_clock,
};

enum bios_action bios_int1a(struct bios *b, struct bios_frame *f)
{
	return bios_dispatch_ah(b, f, time_calls);
}
