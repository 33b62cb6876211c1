/* test_disk.c - tests --boot's disk image and BIOS pieces without KVM:
 * image checks, geometry, CHS/LBA math and copy-on-write (vmm/disk.c),
 * the BIOS frame, INT 13h and INT 10h calls served on plain memory
 * (vmm/bios*.c), the text screen (vmm/vga.c) and key codes. */
#include "bios.h"
#include "disk.h"
#include "helpers.h"
#include "suites.h"
#include "tap.h"
#include "vga.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_checks(void)
{
	uint8_t sector[512] = { 0 };
	struct disk_geometry g;

	CHECK_STR(disk_size_problem(0), "is empty", "an empty image is refused");
	CHECK(disk_size_problem(513) == NULL, "513 bytes is accepted (the last sector padded)");
	CHECK_INT((int)disk_sectors_for(513), 2, "513 bytes are 2 sectors");
	CHECK_INT((int)disk_sectors_for(1024), 2, "1024 bytes are 2 sectors");
	CHECK(disk_size_problem(DISK_MAX_SECTORS * 512) == NULL, "1024x255x63 sectors is accepted");
	CHECK(disk_size_problem(DISK_MAX_SECTORS * 512 + 512) != NULL, "one sector more is refused");
	CHECK(disk_size_problem(512) == NULL, "one sector is accepted");
	CHECK(!disk_has_boot_signature(sector), "no signature in a zeroed sector");
	sector[510] = 0x55;
	sector[511] = 0xaa;
	CHECK(disk_has_boot_signature(sector), "55 AA is the signature");
	CHECK(disk_floppy_size(1474560, &g) && g.cylinders == 80 && g.heads == 2 && g.sectors == 18,
	      "1.44M is a floppy: 80/2/18");
	CHECK(disk_floppy_size(368640, &g) && g.cylinders == 40 && g.sectors == 9,
	      "360K is a floppy: 40/2/9");
	CHECK(!disk_floppy_size(512, &g), "512 bytes is not a floppy size");
}

static void test_geometry(void)
{
	struct disk_geometry g;
	uint32_t c, h, s;
	uint64_t lba = 0;

	CHECK_INT(disk_geometry_for(1, false, &g), 0, "geometry of a 1-sector hard disk");
	CHECK(g.cylinders == 1 && g.heads == 16 && g.sectors == 63, "1 sector: 1/16/63");
	disk_geometry_for(16 * 63 + 1, false, &g);
	CHECK_INT(g.cylinders, 2, "one sector past a cylinder needs a second one");
	disk_geometry_for(UINT64_C(1024) * 16 * 63 + 1, false, &g);
	CHECK(g.heads == 255 && g.sectors == 63, "above 504 MiB: 255 heads");
	disk_geometry_for(DISK_MAX_SECTORS, false, &g);
	CHECK_INT(g.cylinders, 1024, "the largest disk has 1024 cylinders");
	CHECK_INT(disk_geometry_for(1, true, &g), 0, "a 1-sector floppy");
	CHECK(g.cylinders == 40 && g.heads == 1 && g.sectors == 8, "the smallest floppy format: 160K");
	disk_geometry_for(2000, true, &g);
	CHECK(g.cylinders == 80 && g.heads == 2 && g.sectors == 15, "1000K on a floppy: 1.2M format");
	CHECK_ERR(disk_geometry_for(5761, true, &g), -EFBIG, "beyond 2880K is no floppy");

	g = (struct disk_geometry){ 80, 2, 18 };
	CHECK(disk_chs_to_lba(&g, 0, 0, 1, &lba) == 0 && lba == 0, "CHS 0/0/1 is LBA 0");
	CHECK(disk_chs_to_lba(&g, 0, 1, 1, &lba) == 0 && lba == 18, "CHS 0/1/1 is LBA 18");
	CHECK(disk_chs_to_lba(&g, 1, 0, 3, &lba) == 0 && lba == 38, "CHS 1/0/3 is LBA 38");
	CHECK(disk_chs_to_lba(&g, 79, 1, 18, &lba) == 0 && lba == 2879, "the last sector");
	CHECK_ERR(disk_chs_to_lba(&g, 0, 0, 0, &lba), -EINVAL, "sector 0 does not exist");
	CHECK_ERR(disk_chs_to_lba(&g, 0, 0, 19, &lba), -EINVAL, "sector 19 of 18");
	CHECK_ERR(disk_chs_to_lba(&g, 0, 2, 1, &lba), -EINVAL, "head 2 of 2");
	CHECK_ERR(disk_chs_to_lba(&g, 80, 0, 1, &lba), -EINVAL, "cylinder 80 of 80");
	disk_lba_to_chs(&g, 38, &c, &h, &s);
	CHECK(c == 1 && h == 0 && s == 3, "LBA 38 is CHS 1/0/3");
	disk_lba_to_chs(&g, 2879, &c, &h, &s);
	CHECK(c == 79 && h == 1 && s == 18, "LBA 2879 is CHS 79/1/18");
}

/* An image of n sectors, sector i filled with byte i, signed. */
static int make_image(char *path, unsigned n)
{
	uint8_t *img = calloc(n, 512);
	int e;

	if (!img)
		return -1;
	for (unsigned i = 0; i < n; i++)
		memset(img + i * 512, (int)i, 512);
	img[510] = 0x55;
	img[511] = 0xaa;
	e = temp_file(path, img, (size_t)n * 512);
	free(img);
	return e;
}

/* An image of 2 sectors and 100 bytes: the third reads padded with zeros;
 * only a write to it changes the file's length, and only with --writable. */
static void test_partial_image(void)
{
	char path[64], why[256];
	uint8_t img[1124], buf[1536], expect[512];
	struct disk d;
	struct stat st;

	memset(img, 0x11, sizeof(img));
	img[510] = 0x55;
	img[511] = 0xaa;
	if (temp_file(path, img, sizeof(img)) < 0) {
		tap_skip("no temporary file for the disk image");
		return;
	}
	CHECK_INT(disk_open(&d, path, false, false, why, sizeof(why)), 0,
		  "an image of 1124 bytes is accepted");
	CHECK_INT((int)d.nsectors, 3, "as 3 sectors");
	memset(buf, 0xcc, sizeof(buf));
	CHECK_INT(disk_read(&d, 1, 2, buf), 0, "read LBA 1-2, the last one partial");
	memset(expect, 0x11, 100);
	memset(expect + 100, 0, 412);
	CHECK_MEM(buf + 512, expect, 512, "the last sector is the file's 100 bytes, then zeros");
	memset(buf, 0x22, 512);
	CHECK_INT(disk_write(&d, 2, 1, buf), 0, "write the partial sector (in memory)");
	CHECK_INT(disk_read(&d, 2, 1, buf + 512), 0, "read it back");
	CHECK_MEM(buf + 512, buf, 512, "it reads back as written");
	disk_close(&d);
	CHECK(stat(path, &st) == 0 && st.st_size == 1124, "without --writable the length stays");
	CHECK_INT(disk_open(&d, path, false, true, why, sizeof(why)), 0, "open it writable");
	memset(buf, 0x33, 512);
	CHECK_INT(disk_write(&d, 1, 1, buf), 0, "write a whole sector inside the file");
	CHECK(d.size == 1124 && stat(path, &st) == 0 && st.st_size == 1124,
	      "a write inside the file keeps its length");
	CHECK_INT(disk_write(&d, 2, 1, buf), 0, "write the partial sector");
	CHECK(d.size == 1536 && d.original_size == 1124 && stat(path, &st) == 0 &&
	      st.st_size == 1536, "the file grows to whole sectors, and the disk says so");
	disk_close(&d);
	unlink(path);
	CHECK_ERR(disk_open(&d, "/nonexistent/x.img", false, false, why, sizeof(why)), -ENOENT,
		  "a missing image is refused");
	CHECK_STR(why, "cannot open disk image '/nonexistent/x.img': No such file or directory",
		  "and the message says what failed");
}

static void test_io(void)
{
	char path[64], why[256];
	uint8_t buf[1024], expect[512];
	struct disk d;

	if (make_image(path, 300) < 0) {
		tap_skip("no temporary file for the disk image");
		return;
	}
	CHECK_INT(disk_open(&d, path, false, false, why, sizeof(why)), 0, "open a 300-sector image");
	CHECK(d.nsectors == 300 && d.geo.heads == 16 && d.geo.sectors == 63, "300 sectors, 16x63");
	CHECK_INT(disk_read(&d, 5, 2, buf), 0, "read LBA 5-6");
	memset(expect, 5, 512);
	CHECK_MEM(buf, expect, 512, "LBA 5 holds 5s");
	CHECK_ERR(disk_read(&d, 299, 2, buf), -ERANGE, "a read past the end");
	memset(buf, 0xee, 512);
	CHECK_INT(disk_write(&d, 200, 1, buf), 0, "write LBA 200 (in memory)");
	memset(buf, 0, sizeof(buf));
	disk_read(&d, 199, 2, buf);
	memset(expect, 199, 512);
	CHECK_MEM(buf, expect, 512, "LBA 199 is unchanged");
	memset(expect, 0xee, 512);
	CHECK_MEM(buf + 512, expect, 512, "LBA 200 reads back what was written");
	{
		static uint8_t run[5 * 512];

		CHECK_INT(disk_read(&d, 198, 5, run), 0, "read LBA 198-202 around the written one");
		for (unsigned i = 0; i < 5; i++) {
			memset(expect, i == 2 ? 0xee : (int)(198 + i), 512);
			CHECK_MEM(run + i * 512, expect, 512, "LBA %u of the mixed read", 198 + i);
		}
	}
	disk_close(&d);
	CHECK_INT(disk_open(&d, path, false, false, why, sizeof(why)), 0, "open it again");
	disk_read(&d, 200, 1, buf);
	memset(expect, 200, 512);
	CHECK_MEM(buf, expect, 512, "without --writable the file kept its sector");
	disk_close(&d);
	CHECK_INT(disk_open(&d, path, false, true, why, sizeof(why)), 0, "open it writable");
	memset(buf, 0xab, 512);
	disk_write(&d, 3, 1, buf);
	disk_close(&d);
	disk_open(&d, path, false, false, why, sizeof(why));
	disk_read(&d, 3, 1, buf);
	memset(expect, 0xab, 512);
	CHECK_MEM(buf, expect, 512, "with --writable the file has the write");
	disk_close(&d);
	CHECK_ERR(disk_open(&d, path, true, false, why, sizeof(why)), 0,
		  "300 sectors fit a floppy drive (the 160K format)");
	disk_close(&d);
	unlink(path);

	test_partial_image();
	memset(buf, 0, 512);
	if (temp_file(path, buf, 512) == 0) {
		CHECK_ERR(disk_open(&d, path, false, false, why, sizeof(why)), -ENOEXEC,
			  "an unsigned sector 0 is refused");
		CHECK_CONTAINS(why, "not the boot signature 0x55 0xaa", "and the reason says why");
		unlink(path);
	}
}

/* A BIOS on 1M of plain memory with the 300-sector image as drive 80h. */
struct bench {
	struct guest_mem mem;
	struct bios b;
	char path[64];
};

static bool bench_open(struct bench *t)
{
	char why[256];
	uint16_t entry;

	memset(t, 0, sizeof(*t));
	if (mem_alloc(&t->mem, BIOS_MEM_MIN) < 0 || make_image(t->path, 300) < 0)
		return false;
	t->b = (struct bios){ .drive = 0x80, .err = stderr };
	if (disk_open(&t->b.disk, t->path, false, false, why, sizeof(why)) < 0)
		return false;
	return bios_install(&t->b, &t->mem, &entry) == 0;
}

static void bench_close(struct bench *t)
{
	disk_close(&t->b.disk);
	mem_free(&t->mem);
	unlink(t->path);
}

/* Make the call: the frame goes on a stack at 0000:7000, as the ROM puts it. */
static void call(struct bench *t, struct bios_frame *f)
{
	uint8_t raw[BIOS_FRAME_SIZE];

	bios_frame_encode(f, raw);
	mem_write(&t->mem, 0x7000, raw, sizeof(raw));
	bios_pio(&t->b, 0, (uint8_t[]){ 0x00, 0x70, 0x00, 0x00 }, 4, true);
	mem_read(&t->mem, 0x7000, raw, sizeof(raw));
	bios_frame_decode(raw, f);
}

/* call() with the BIOS's messages caught: false when no file for them. */
static bool call_reported(struct bench *t, struct bios_frame *f, char *line, size_t len)
{
	FILE *before = t->b.err;

	t->b.err = tmpfile();
	if (!t->b.err) {
		t->b.err = before;
		return false;
	}
	call(t, f);
	rewind(t->b.err);
	if (!fgets(line, (int)len, t->b.err))
		line[0] = '\0';
	fclose(t->b.err);
	t->b.err = before;
	return true;
}

static void test_bios(void)
{
	struct bench t;
	struct bios_frame f;
	uint8_t ivt[4], sector[512], expect[512], raw[BIOS_FRAME_SIZE];
	char line[128];

	if (!bench_open(&t)) {
		tap_skip("no memory or image for the BIOS tests");
		bench_close(&t);
		return;
	}
	mem_read(&t.mem, 0x13 * 4, ivt, 4);
	CHECK(ivt[2] == 0x00 && ivt[3] == 0xf0, "INT 13h points into the ROM segment F000");
	mem_read(&t.mem, 0xf0000, raw, 8);
	CHECK_MEM(raw, "GDBVMROM", 8, "the ROM is at 0xF0000");
	mem_read(&t.mem, 0x413, raw, 2);
	CHECK_INT(raw[0] | raw[1] << 8, 639, "the BDA says 639 KiB of conventional memory");

	f = (struct bios_frame){ .vector = 0x13, .eax = 0x0202, .ecx = 0x0003, .edx = 0x0080,
				 .ebx = 0x8000, .es = 0 };
	call(&t, &f);
	CHECK(!(f.flags & FLAG_CF) && (f.eax & 0xffff) == 0x0002, "INT 13h AH=02h reads 2 sectors");
	mem_read(&t.mem, 0x8000, sector, 512);
	memset(expect, 2, 512);
	CHECK_MEM(sector, expect, 512, "CHS 0/0/3 is LBA 2");
	f = (struct bios_frame){ .vector = 0x13, .eax = 0x0201, .ecx = 0x0001, .edx = 0x0180,
				 .ebx = 0x8000 };
	call(&t, &f);
	mem_read(&t.mem, 0x8000, sector, 512);
	memset(expect, 63, 512);
	CHECK_MEM(sector, expect, 512, "CHS 0/1/1 is LBA 63");
	f = (struct bios_frame){ .vector = 0x13, .eax = 0x0201, .ecx = 0x0501, .edx = 0x0080 };
	call(&t, &f);
	CHECK((f.flags & FLAG_CF) && (f.eax >> 8 & 0xff) == 0x04, "cylinder 5 is past the image: AH=04h");
	/* CHS 0/4/47 is LBA 298: four sectors run past the 300-sector image
	 * but not past the geometry's 1008 sectors. */
	memset(expect, 0xaa, 512);
	for (unsigned i = 0; i < 4; i++)
		mem_write(&t.mem, 0x8000 + 512 * i, expect, 512);
	f = (struct bios_frame){ .vector = 0x13, .eax = 0x0204, .ecx = 0x002f, .edx = 0x0480,
				 .ebx = 0x8000 };
	call(&t, &f);
	CHECK(!(f.flags & FLAG_CF) && (f.eax & 0xffff) == 0x0004,
	      "a CHS read past the image's end but inside the geometry succeeds");
	mem_read(&t.mem, 0x8000 + 512, sector, 512);
	memset(expect, 299 & 0xff, 512);
	CHECK_MEM(sector, expect, 512, "... with the image's last sector");
	mem_read(&t.mem, 0x8000 + 1024, sector, 512);
	memset(expect, 0, 512);
	CHECK_MEM(sector, expect, 512, "... and zeros for the sectors beyond it");
	f = (struct bios_frame){ .vector = 0x13, .eax = 0x0304, .ecx = 0x002f, .edx = 0x0480,
				 .ebx = 0x8000 };
	call(&t, &f);
	CHECK((f.flags & FLAG_CF) && (f.eax >> 8 & 0xff) == 0x04,
	      "a CHS write past the image's end is refused (AH=04h)");
	f = (struct bios_frame){ .vector = 0x13, .eax = 0x0201, .ecx = 0x0001, .edx = 0x0000 };
	call(&t, &f);
	CHECK((f.flags & FLAG_CF) && (f.eax >> 8 & 0xff) == 0x01, "drive 00h does not exist");

	/* AH=42h with a packet at 0000:6000: 1 sector from LBA 299 to 0000:9000 */
	mem_write(&t.mem, 0x6000, (uint8_t[]){ 16, 0, 1, 0, 0x00, 0x90, 0, 0, 43, 1, 0, 0, 0, 0, 0, 0 }, 16);
	f = (struct bios_frame){ .vector = 0x13, .eax = 0x4200, .edx = 0x80, .esi = 0x6000 };
	call(&t, &f);
	mem_read(&t.mem, 0x9000, sector, 512);
	memset(expect, 299 & 0xff, 512);
	CHECK(!(f.flags & FLAG_CF), "INT 13h AH=42h succeeds");
	CHECK_MEM(sector, expect, 512, "and reads LBA 299");
	f = (struct bios_frame){ .vector = 0x13, .eax = 0x0800, .edx = 0x80 };
	call(&t, &f);
	CHECK_HEX(f.ecx & 0xffff, 0x003f, "AH=08h: cylinder 0, 63 sectors");
	CHECK_HEX(f.edx & 0xffff, 0x0f01, "AH=08h: last head 15, one drive");
	f = (struct bios_frame){ .vector = 0x13, .eax = 0x4100, .ebx = 0x55aa, .edx = 0x80 };
	call(&t, &f);
	CHECK((f.ebx & 0xffff) == 0xaa55 && !(f.flags & FLAG_CF), "AH=41h: the extensions are there");

	f = (struct bios_frame){ .vector = 0x16, .eax = 0x0100 };
	t.b.kbd = (struct bios_keyboard){ .in = NULL, .eof_reported = true };
	call(&t, &f);
	CHECK(f.flags & FLAG_ZF, "INT 16h AH=01h: no key (ZF set)");
	CHECK_INT(f.action, BIOS_RETURN, "and returns");
	f = (struct bios_frame){ .vector = 0x16, .eax = 0x0000 };
	call(&t, &f);
	CHECK_INT(f.action, BIOS_AGAIN, "INT 16h AH=00h without a key: call again");

	f = (struct bios_frame){ .vector = 0x19 };
	mem_write(&t.mem, 0x7c00, (uint8_t[512]){ 0 }, 512);
	call(&t, &f);
	mem_read(&t.mem, 0x7dfe, raw, 2);
	CHECK(f.action == BIOS_BOOT && raw[0] == 0x55 && (f.edx & 0xff) == 0x80,
	      "INT 19h reloads the boot sector and boots with DL=80h");

	f = (struct bios_frame){ .vector = 0x15, .eax = 0xe820, .edx = 0x534d4150, .ecx = 24, .es = 0,
				 .edi = 0x5000 };
	call(&t, &f);
	mem_read(&t.mem, 0x5000, raw, 20);
	CHECK(f.eax == 0x534d4150 && f.ebx == 1 && !(f.flags & FLAG_CF), "E820 entry 0 and EBX=1");
	CHECK(raw[8] == 0x00 && raw[9] == 0xfc && raw[10] == 0x09 && raw[16] == 1,
	      "entry 0: 0x9fc00 bytes of usable RAM");

	f = (struct bios_frame){ .vector = 0x10, .eax = 0x0e41 };
	call(&t, &f);
	CHECK_HEX(vga_cell(&t.mem, 0, 0), 0x0741, "INT 10h AH=0Eh puts 'A' on the screen");

	f = (struct bios_frame){ .vector = 0x21, .eax = 0x4c00, .cs = 0x1234, .ip = 0x10 };
	mem_write(&t.mem, 0x1234 * 16 + 0x0e, (uint8_t[]){ 0xcd, 0x21 }, 2);
	if (call_reported(&t, &f, line, sizeof(line))) {
		CHECK_STR(line, "gdbvm: unsupported BIOS call INT 21h AH=4ch at 1234:000e\n",
			  "an unsupported call names the vector, AH and the INT's address");
		CHECK(t.b.stop_requested && (f.flags & FLAG_CF), "and stops the guest, failing the call");
	}
	/* INT3 is one byte: the call is named at it, not after it. */
	f = (struct bios_frame){ .vector = 3, .cs = 0x1234, .ip = 0x21 };
	mem_write(&t.mem, 0x1234 * 16 + 0x1f, (uint8_t[]){ 0x90, 0xcc }, 2);
	if (call_reported(&t, &f, line, sizeof(line)))
		CHECK_STR(line, "gdbvm: unsupported BIOS call INT 03h AH=00h at 1234:0020\n",
			  "an unsupported INT3 is named at its own address");
	/* A divide error (no INT before the return address) is an exception. */
	f = (struct bios_frame){ .vector = 0, .cs = 0x1234, .ip = 0x40 };
	mem_write(&t.mem, 0x1234 * 16 + 0x3e, (uint8_t[]){ 0xf7, 0xf3 }, 2);
	if (call_reported(&t, &f, line, sizeof(line)))
		CHECK_STR(line, "gdbvm: CPU exception 00h (divide error) at 1234:0040 with no "
			  "handler in the interrupt vector table\n",
			  "a CPU exception without a handler is named as one");
	bench_close(&t);
}

#define DASHES75 "-----------------------------------------------------------------" \
	"----------"

static void test_vga_keys(void)
{
	struct guest_mem mem;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	CHECK_HEX(bios_key_code('a'), 0x1e61, "'a' is scan code 1Eh");
	CHECK_HEX(bios_key_code('A'), 0x1e41, "'A' is the same key");
	CHECK_HEX(bios_key_code('\n'), 0x1c0d, "newline is Enter, CR");
	CHECK_HEX(bios_key_code('1'), 0x0231, "'1' is scan code 02h");
	CHECK_HEX(bios_key_code(3), 0x2e03, "Ctrl-C is the C key");
	if (mem_alloc(&mem, BIOS_MEM_MIN) < 0)
		return;
	vga_reset(&mem);
	for (const char *s = "hi\r\nthere"; *s; s++)
		vga_teletype(&mem, (uint8_t)*s, true);
	for (int i = 0; i < 25; i++)
		vga_teletype(&mem, '\n', true);
	vga_teletype(&mem, 'z', true);
	out = open_memstream(&text, &len);
	if (out) {
		vga_dump(&mem, out, &(struct vga_dump_style){ .cols = 80, .title = "t" });
		fclose(out);
		CHECK_STR(text, "-- t " DASHES75 "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n     z\n",
			  "teletype scrolls; the dump trims blanks");
		free(text);
	}
	mem_free(&mem);
}

void test_disk(void)
{
	tap_suite("disk and BIOS");
	test_checks();
	test_geometry();
	test_io();
	test_bios();
	test_vga_keys();
}
