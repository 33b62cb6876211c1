/*
 * bios_disk.c - INT 13h, disk services on the boot drive, backed by the
 * disk image (disk.c): CHS reads and writes, drive parameters, and the
 * EDD extensions (AH=41h-48h) with LBA packets.
 */
#include "bios.h"

#include <errno.h>
#include <string.h>

enum disk_status {
	DISK_OK = 0x00,
	DISK_BAD_COMMAND = 0x01,
	DISK_NOT_FOUND = 0x04,	/* sector not found: outside the disk */
	DISK_FAILED = 0x20,	/* the image file could not be read or written */
	DISK_BAD_BUFFER = 0xbb,	/* the buffer is not in guest RAM */
};

static enum bios_action finish(struct bios *b, struct bios_frame *f, uint8_t status)
{
	set_hi(&f->eax, status);
	frame_flag(f, FLAG_CF, status != DISK_OK);
	b->disk_status = status;
	return BIOS_RETURN;
}

static uint8_t io_status(int err)
{
	switch (err) {
	case 0:
		return DISK_OK;
	case -ERANGE:
		return DISK_NOT_FOUND;
	case -EFAULT:
		return DISK_BAD_BUFFER;
	default:
		return DISK_FAILED;
	}
}

/* Move count sectors at lba between the disk and guest RAM at addr. */
static int transfer(struct bios *b, uint64_t lba, uint32_t count, uint64_t addr, bool write)
{
	uint8_t *buf = mem_ptr(b->mem, addr, (uint64_t)count * DISK_SECTOR_SIZE);

	int err;

	if (!buf)
		return -EFAULT;
	if (write)
		return disk_write(&b->disk, lba, count, buf);
	mem_note_write(b->mem, addr, (uint64_t)count * DISK_SECTOR_SIZE);
	err = disk_read(&b->disk, lba, count, buf);
	if (!err && b->loaded)
		b->loaded(b->loaded_ctx, addr, (uint64_t)count * DISK_SECTOR_SIZE);
	return err;
}

/*
 * A CHS read that runs past the image's end but not past the geometry the
 * BIOS reports: a real drive has those sectors, so they read as zeros (a
 * tutorial's loader asks for more sectors than its image holds, and QEMU
 * reads them as zeros too).  Writes there are still refused.
 */
static int read_padded(struct bios *b, uint64_t lba, uint32_t count, uint64_t addr)
{
	uint64_t have = lba < b->disk.nsectors ? b->disk.nsectors - lba : 0;
	uint32_t inside = have < count ? (uint32_t)have : count;
	uint64_t beyond = (uint64_t)(count - inside) * DISK_SECTOR_SIZE;
	uint8_t *pad = mem_ptr(b->mem, addr + (uint64_t)inside * DISK_SECTOR_SIZE, beyond);
	int err;

	if (!pad || !mem_ptr(b->mem, addr, (uint64_t)count * DISK_SECTOR_SIZE))
		return -EFAULT;
	err = inside ? transfer(b, lba, inside, addr, false) : 0;
	if (err)
		return err;
	mem_note_write(b->mem, addr + (uint64_t)inside * DISK_SECTOR_SIZE, beyond);
	memset(pad, 0, beyond);
	if (b->loaded)
		b->loaded(b->loaded_ctx, addr + (uint64_t)inside * DISK_SECTOR_SIZE, beyond);
	return 0;
}

/* AH=00h reset, and the calls that only have to succeed on an image:
 * 0Ch seek, 0Dh reset, 10h ready, 11h recalibrate. */
static enum bios_action ok(struct bios *b, struct bios_frame *f)
{
	return finish(b, f, DISK_OK);
}

/* AH=01h: status of the last operation. */
static enum bios_action last_status(struct bios *b, struct bios_frame *f)
{
	return finish(b, f, b->disk_status);
}

/* Sectors the reported geometry describes (at least the image's). */
static uint64_t geometry_sectors(const struct disk_geometry *g)
{
	return (uint64_t)g->cylinders * g->heads * g->sectors;
}

/* AH=02h read, 03h write, 04h verify: AL sectors from cylinder
 * CH | (CL & 0xC0) << 2, head DH, sector CL & 0x3F, to or from ES:BX. */
static enum bios_action chs_io(struct bios *b, struct bios_frame *f)
{
	uint8_t ah = reg_hi(f->eax), count = reg_lo(f->eax), cl = reg_lo(f->ecx);
	uint32_t cyl = reg_hi(f->ecx) | (uint32_t)(cl & 0xc0) << 2;
	uint64_t lba;
	int err;

	if (count == 0)
		return finish(b, f, DISK_BAD_COMMAND);
	if (disk_chs_to_lba(&b->disk.geo, cyl, reg_hi(f->edx), cl & 0x3f, &lba) < 0 ||
	    lba + count > (ah == 0x03 ? b->disk.nsectors : geometry_sectors(&b->disk.geo))) {
		set_lo(&f->eax, 0);
		return finish(b, f, DISK_NOT_FOUND);
	}
	if (ah == 0x04)
		err = 0;
	else if (ah == 0x02 && lba + count > b->disk.nsectors)
		err = read_padded(b, lba, count, real_addr(f->es, (uint16_t)f->ebx));
	else
		err = transfer(b, lba, count, real_addr(f->es, (uint16_t)f->ebx), ah == 0x03);
	if (err)
		set_lo(&f->eax, 0);
	return finish(b, f, io_status(err));
}

static uint8_t floppy_type(const struct disk_geometry *g)
{
	static const struct {
		uint32_t cylinders, sectors;
		uint8_t type;
	} types[] = { { 40, 8, 1 }, { 40, 9, 1 }, { 80, 15, 2 }, { 80, 9, 3 }, { 80, 18, 4 },
		      { 80, 36, 6 } };

	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].cylinders == g->cylinders && types[i].sectors == g->sectors)
			return types[i].type;
	return 4;
}

/* AH=08h: drive parameters: last cylinder, head and sector in CH, CL, DH;
 * drive count in DL; for a floppy its type in BL and ES:DI -> INT 1Eh's table. */
static enum bios_action params(struct bios *b, struct bios_frame *f)
{
	const struct disk_geometry *g = &b->disk.geo;
	uint32_t maxcyl = g->cylinders - 1;
	uint8_t dpt[4];

	set_hi(&f->ecx, (uint8_t)maxcyl);
	set_lo(&f->ecx, (uint8_t)(g->sectors | ((maxcyl >> 2) & 0xc0)));
	set_hi(&f->edx, (uint8_t)(g->heads - 1));
	set_lo(&f->edx, 1);
	set_lo(&f->eax, 0);
	if (b->disk.floppy && mem_read(b->mem, 0x1e * 4, dpt, 4) == 0) {
		set_lo(&f->ebx, floppy_type(g));
		set_x(&f->edi, (uint16_t)(dpt[0] | dpt[1] << 8));
		f->es = (uint16_t)(dpt[2] | dpt[3] << 8);
	}
	return finish(b, f, DISK_OK);
}

/* AH=15h: disk type: a hard disk with CX:DX sectors, or a floppy without
 * change-line. */
static enum bios_action disk_type(struct bios *b, struct bios_frame *f)
{
	uint64_t n = b->disk.nsectors;

	finish(b, f, DISK_OK);
	if (b->disk.floppy) {
		set_hi(&f->eax, 0x01);
		return BIOS_RETURN;
	}
	set_hi(&f->eax, 0x03);
	set_x(&f->ecx, (uint16_t)(n >> 16));
	set_x(&f->edx, (uint16_t)n);
	return BIOS_RETURN;
}

/* AH=16h: floppy change line: never changed. */
static enum bios_action change_status(struct bios *b, struct bios_frame *f)
{
	return finish(b, f, DISK_OK);
}

/* AH=41h BX=55AAh: the extensions are there: EDD 3.0, packet calls. */
static enum bios_action ext_check(struct bios *b, struct bios_frame *f)
{
	if ((uint16_t)f->ebx != 0x55aa)
		return finish(b, f, DISK_BAD_COMMAND);
	set_x(&f->ebx, 0xaa55);
	set_x(&f->ecx, 0x0001);	/* AH=42h-44h, 47h, 48h */
	finish(b, f, DISK_OK);
	set_hi(&f->eax, 0x30);
	return BIOS_RETURN;
}

/* AH=42h read, 43h write, 44h verify, 47h seek, with the disk address
 * packet at DS:SI: size, 0, count, buffer offset, segment, LBA (and a flat
 * 64-bit buffer address at +16 when the segment:offset is FFFF:FFFF). */
static enum bios_action ext_io(struct bios *b, struct bios_frame *f)
{
	uint64_t dap_at = real_addr(f->ds, (uint16_t)f->esi), lba = 0, addr;
	uint8_t ah = reg_hi(f->eax), dap[24];
	uint16_t count;
	int err;

	if (mem_read(b->mem, dap_at, dap, 16) < 0 || dap[0] < 16)
		return finish(b, f, DISK_BAD_COMMAND);
	count = (uint16_t)(dap[2] | dap[3] << 8);
	for (int i = 7; i >= 0; i--)
		lba = lba << 8 | dap[8 + i];
	addr = real_addr((uint16_t)(dap[6] | dap[7] << 8), (uint16_t)(dap[4] | dap[5] << 8));
	if ((dap[4] & dap[5] & dap[6] & dap[7]) == 0xff && dap[0] >= 24 &&
	    mem_read(b->mem, dap_at + 16, dap + 16, 8) == 0) {
		addr = 0;
		for (int i = 7; i >= 0; i--)
			addr = addr << 8 | dap[16 + i];
	}
	if (lba > b->disk.nsectors || count > b->disk.nsectors - lba)
		err = -ERANGE;
	else if (ah == 0x42 || ah == 0x43)
		err = transfer(b, lba, count, addr, ah == 0x43);
	else
		err = 0;
	if (err) {
		uint8_t zero[2] = { 0, 0 };

		mem_write(b->mem, dap_at + 2, zero, 2);	/* nothing transferred */
	}
	return finish(b, f, io_status(err));
}

/* AH=48h: extended parameters into the buffer at DS:SI. */
static enum bios_action ext_params(struct bios *b, struct bios_frame *f)
{
	const struct disk_geometry *g = &b->disk.geo;
	uint64_t at = real_addr(f->ds, (uint16_t)f->esi);
	uint8_t buf[30] = { 0 };
	uint16_t size;
	uint64_t n = b->disk.nsectors;
	const uint32_t geo[3] = { g->cylinders, g->heads, g->sectors };

	if (mem_read(b->mem, at, buf, 2) < 0)
		return finish(b, f, DISK_BAD_COMMAND);
	size = (uint16_t)(buf[0] | buf[1] << 8);
	if (size < 26)
		return finish(b, f, DISK_BAD_COMMAND);
	size = size >= 30 ? 30 : 26;
	buf[0] = (uint8_t)size;
	buf[1] = 0;
	buf[2] = 0x02;			/* the CHS geometry is valid */
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 4; j++)
			buf[4 + 4 * i + j] = (uint8_t)(geo[i] >> (8 * j));
	for (int j = 0; j < 8; j++)
		buf[16 + j] = (uint8_t)(n >> (8 * j));
	buf[24] = DISK_SECTOR_SIZE & 0xff;
	buf[25] = DISK_SECTOR_SIZE >> 8;
	buf[26] = buf[27] = buf[28] = buf[29] = 0xff;	/* no EDD configuration */
	if (mem_write(b->mem, at, buf, size) < 0)
		return finish(b, f, DISK_BAD_COMMAND);
	return finish(b, f, DISK_OK);
}

static const bios_call_fn disk_calls[256] = {
	[0x00] = ok,	     [0x01] = last_status, [0x02] = chs_io,	   [0x03] = chs_io,
	[0x04] = chs_io,     [0x08] = params,	   [0x0c] = ok,		   [0x0d] = ok,
	[0x10] = ok,	     [0x11] = ok,	   [0x15] = disk_type,	   [0x16] = change_status,
	[0x41] = ext_check,  [0x42] = ext_io,	   [0x43] = ext_io,	   [0x44] = ext_io,
	[0x47] = ext_io,     [0x48] = ext_params,
};

enum bios_action bios_int13(struct bios *b, struct bios_frame *f)
{
	uint8_t ah = reg_hi(f->eax);

	/* Only the boot drive exists. */
	if (reg_lo(f->edx) != b->drive && disk_calls[ah]) {
		if (ah == 0x15) {	/* "no such drive" is the answer here */
			finish(b, f, DISK_OK);
			set_hi(&f->eax, 0x00);
			return BIOS_RETURN;
		}
		return finish(b, f, DISK_BAD_COMMAND);
	}
	return bios_dispatch_ah(b, f, disk_calls);
}
