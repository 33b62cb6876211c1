/* test_multiboot.c - tests Multiboot booting without KVM: the header scan
 * and checks (vmm/multiboot_header.c), module placement and the information
 * structure (vmm/multiboot_info.c), and loading files (vmm/multiboot.c). */
#include "helpers.h"
#include "multiboot.h"
#include "multiboot_boot.h"
#include "options.h"
#include "suites.h"
#include "tap.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RAM (4u << 20)
#define AREA_BASE 0x8f000u
#define AREA_SIZE 0x10000u
#define KFILE_MAX 0x3000

static const struct mb_limits limits = { RAM, AREA_BASE, AREA_SIZE };

/* The memory map the tests use: low RAM below the area, the area and the
 * legacy hole reserved, RAM from 1 MiB. */
static const struct mb_region test_map[] = {
	{ 0, AREA_BASE, MB_MEM_AVAILABLE },
	{ AREA_BASE, 0x100000 - AREA_BASE, MB_MEM_RESERVED },
	{ 0x100000, RAM - 0x100000, MB_MEM_AVAILABLE },
};

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* A kernel file: bytes i * 7 + 3, with a header written by add_header. */
struct kfile {
	uint8_t bytes[KFILE_MAX];
	size_t len;
};

static void kfile_init(struct kfile *k, size_t len)
{
	memset(k, 0, sizeof(*k));
	k->len = len;
	for (size_t i = 0; i < len; i++)
		k->bytes[i] = (uint8_t)(i * 7 + 3);
}

/* Header at off: magic, flags, a right (or deliberately wrong) checksum, and
 * the address fields (header_addr, load, load_end, bss_end, entry). */
static void add_header(struct kfile *k, size_t off, uint32_t flags, int32_t checksum_error,
		       const uint32_t addrs[5])
{
	put32(k->bytes + off, MB_HEADER_MAGIC);
	put32(k->bytes + off + 4, flags);
	put32(k->bytes + off + 8, 0u - MB_HEADER_MAGIC - flags + (uint32_t)checksum_error);
	for (int i = 0; addrs && i < 5; i++)
		put32(k->bytes + off + 12 + 4 * i, addrs[i]);
}

static void test_scan(void)
{
	struct kfile k;
	struct mb_header h;
	char why[256] = "";

	tap_suite("multiboot: header scan");
	kfile_init(&k, 0x2100);
	memset(k.bytes, 0, k.len);
	CHECK_INT(mb_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_NONE,
		  "a file without the magic is not a Multiboot kernel");
	add_header(&k, 0x40, 0x3, 0, NULL);
	CHECK_INT(mb_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_FOUND,
		  "a header at offset 0x40 is found");
	CHECK_HEX(h.offset, 0x40, "its offset is recorded");
	CHECK_HEX(h.flags, 0x3, "its flags are read");

	memset(k.bytes, 0, k.len);
	add_header(&k, 0x42, 0x3, 0, NULL);
	CHECK_INT(mb_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_NONE,
		  "a header off a 4-byte boundary is not found");
	memset(k.bytes, 0, k.len);
	add_header(&k, 8192, 0x3, 0, NULL);
	CHECK_INT(mb_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_NONE,
		  "a header past the first 8192 bytes is not found");
	memset(k.bytes, 0, k.len);
	add_header(&k, 8180, 0x3, 0, NULL);
	CHECK_INT(mb_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_FOUND,
		  "a 12-byte header ending at byte 8192 is found");
	memset(k.bytes, 0, k.len);
	add_header(&k, 8180, MB_HF_ADDRESSES, 0, NULL);
	CHECK_INT(mb_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_BAD,
		  "a header whose address fields run past byte 8192 is refused");
	CHECK_CONTAINS(why, "runs past the first 8192 bytes", "the reason says where it ends");

	memset(k.bytes, 0, k.len);
	add_header(&k, 0x10, 0x3, 1, NULL);
	CHECK_INT(mb_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_BAD,
		  "a header with a bad checksum is refused");
	CHECK_CONTAINS(why, "offset 0x10 has a bad checksum", "the reason names the checksum");
	CHECK_CONTAINS(why, "= 0x00000001, must be 0", "the reason gives the wrong sum");
	add_header(&k, 0x100, 0x2, 0, NULL);
	CHECK_INT(mb_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_FOUND,
		  "a good header after a bad one is found");
	CHECK_HEX(h.offset, 0x100, "the good header is the one found");

	kfile_init(&k, 0x30);
	add_header(&k, 0x10, MB_HF_ADDRESSES | MB_HF_VIDEO_MODE, 0, NULL);
	CHECK_INT(mb_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_BAD,
		  "a header cut off by the end of the file is refused");
	CHECK_CONTAINS(why, "runs past the end of the file (48 bytes)",
		       "the reason names the file's end");
	CHECK_INT(mb_scan(k.bytes, 8, &h, why, sizeof(why)), MB_NONE,
		  "a file shorter than a header has none");
	kfile_init(&k, 0x80);
	add_header(&k, 0x10, MB_HF_ADDRESSES | MB_HF_VIDEO_MODE, 0, NULL);
	put32(k.bytes + 0x10 + 32, 1);
	put32(k.bytes + 0x10 + 36, 80);
	put32(k.bytes + 0x10 + 40, 25);
	put32(k.bytes + 0x10 + 44, 0);
	CHECK_INT(mb_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_FOUND,
		  "a header with video fields is found");
	CHECK(h.mode_type == 1 && h.width == 80 && h.height == 25 && h.depth == 0,
	      "the video fields are read (text, 80x25)");
}

/* Parse a kernel file whose header sits at 0x40; the address fields map
 * file offset 0 to load. */
static int parse_aout(struct kfile *k, uint32_t flags, uint32_t load, uint32_t load_end,
		      uint32_t bss_end, uint32_t entry, struct mb_kernel *out, char *why)
{
	uint32_t addrs[5] = { load + 0x40, load, load_end, bss_end, entry };
	struct mb_header h;

	add_header(k, 0x40, flags, 0, addrs);
	if (mb_scan(k->bytes, k->len, &h, why, 256) != MB_FOUND)
		return -1000;
	return mb_kernel_parse(k->bytes, k->len, &h, &limits, out, why, 256);
}

static void aout_refused(uint32_t flags, uint32_t load, uint32_t load_end, uint32_t bss_end,
			 uint32_t entry, const char *needle, const char *what)
{
	struct kfile k;
	struct mb_kernel mk;
	char why[256] = "";

	kfile_init(&k, 0x1000);
	CHECK_ERR(parse_aout(&k, flags, load, load_end, bss_end, entry, &mk, why), -ENOEXEC,
		  "%s is refused", what);
	CHECK_CONTAINS(why, needle, "%s: the reason says '%s'", what, needle);
}

static void test_address_fields(void)
{
	const uint32_t A = MB_HF_ADDRESSES;
	struct guest_mem mem = { 0 };
	struct mb_kernel mk;
	struct kfile k;
	char why[256] = "";
	uint8_t zero[0x800] = { 0 };

	tap_suite("multiboot: address fields (flag 16)");
	kfile_init(&k, 0x1000);
	CHECK_ERR(parse_aout(&k, A | 0x7, 0x100000, 0x100c00, 0x101400, 0x100080, &mk, why), 0,
		  "a kernel at 1 MiB with .bss is accepted");
	CHECK(!mk.from_elf, "it loads from the address fields");
	CHECK_HEX(mk.file_off, 0, "its load starts at file offset 0");
	CHECK_HEX(mk.load_len, 0xc00, "it loads load_end - load bytes");
	CHECK_HEX(mk.bss_end, 0x101400, "its .bss ends at bss_end_addr");
	CHECK_HEX(mk.image_end, 0x101400, "the image ends after the .bss");
	CHECK_HEX(mk.entry, 0x100080, "the entry point is entry_addr");
	if (mem_alloc(&mem, RAM)) {
		CHECK(0, "cannot allocate test RAM");
		return;
	}
	memset(mem.host + 0x100000, 0xaa, 0x2000);
	CHECK_ERR(mb_kernel_load(&mem, k.bytes, k.len, &mk), 0, "the kernel loads");
	CHECK_MEM(mem.host + 0x100000, k.bytes, 0xc00, "its bytes are at load_addr");
	CHECK_MEM(mem.host + 0x100c00, zero, 0x800, "its .bss is zeroed");
	CHECK_HEX(mem.host[0x101400], 0xaa, "the byte after the .bss is untouched");
	mem_free(&mem);

	kfile_init(&k, 0x1000);
	CHECK_ERR(parse_aout(&k, A | (1u << 20), 0x200000, 0, 0, 0x200000, &mk, why), 0,
		  "load_end 0 loads to the end of the file; unknown optional flags are ignored");
	CHECK_HEX(mk.load_len, 0x1000, "the whole file is loaded");
	CHECK_HEX(mk.image_end, 0x201000, "no .bss: the image ends with the file");

	/* The header 0x40 bytes into the file, load_addr 0x30 bytes before it:
	 * the load starts at file offset 0x10. */
	kfile_init(&k, 0x1000);
	add_header(&k, 0x40, A, 0, (const uint32_t[5]){ 0x100040, 0x100010, 0, 0, 0x100010 });
	{
		struct mb_header h;

		mb_scan(k.bytes, k.len, &h, why, sizeof(why));
		CHECK_ERR(mb_kernel_parse(k.bytes, k.len, &h, &limits, &mk, why, sizeof(why)), 0,
			  "a load that starts inside the file is accepted");
		CHECK_HEX(mk.file_off, 0x10, "the file offset follows header_addr - load_addr");
		CHECK_HEX(mk.load_len, 0x1000 - 0x10, "the rest of the file is loaded");
	}

	aout_refused(A | (1u << 3), 0x100000, 0, 0, 0x100000, "requires feature bit 3",
		     "an unknown required flag");
	aout_refused(A | (1u << 15), 0x100000, 0, 0, 0x100000, "requires feature bit 15",
		     "required flag 15");
	aout_refused(A, 0x100000, 0xff000, 0, 0x100000, "load_end_addr 0xff000 lies below load_addr",
		     "load_end below load_addr");
	aout_refused(A, 0x100000, 0x102000, 0, 0x100000, "the file has only 0x1000",
		     "load_end past the end of the file");
	aout_refused(A, 0x100000, 0x100800, 0x100400, 0x100000,
		     "bss_end_addr 0x100400 lies below the end of the loaded image",
		     "bss_end below load_end");
	aout_refused(A, 0x3ff800, 0, 0, 0x3ff800, "lies outside guest RAM (0x400000 bytes",
		     "a kernel running past the end of RAM");
	aout_refused(A, 0xfffff000, 0, 0, 0xfffff000, "lies outside guest RAM",
		     "a kernel at 4 GiB - 4 KiB");
	aout_refused(A, 0x100000, 0x100800, 0x101000, 0x100800,
		     "entry_addr 0x100800 lies outside the loaded image 0x100000-0x1007ff",
		     "an entry point in the .bss");
	aout_refused(A, 0x100000, 0, 0, 0x50, "entry_addr 0x50 lies outside",
		     "an entry point below the kernel");
	aout_refused(A, 0x8e800, 0, 0, 0x8e800, "overlaps gdbvm's own area at 0x8f000-0x9efff",
		     "a kernel running into gdbvm's area");
	aout_refused(A, 0x90000, 0, 0, 0x90000, "overlaps gdbvm's own area",
		     "a kernel inside gdbvm's area");

	kfile_init(&k, 0x1000);
	add_header(&k, 0x40, A, 0, (const uint32_t[5]){ 0x100000, 0x100040, 0, 0, 0x100040 });
	{
		struct mb_header h;

		mb_scan(k.bytes, k.len, &h, why, sizeof(why));
		CHECK_ERR(mb_kernel_parse(k.bytes, k.len, &h, &limits, &mk, why, sizeof(why)),
			  -ENOEXEC, "header_addr below load_addr is refused");
		CHECK_CONTAINS(why, "header_addr 0x100000 lies below load_addr 0x100040",
			       "the reason names both");
	}
	kfile_init(&k, 0x1000);
	add_header(&k, 0x40, A, 0, (const uint32_t[5]){ 0x100040, 0xf0000, 0, 0, 0x100040 });
	{
		struct mb_header h;

		mb_scan(k.bytes, k.len, &h, why, sizeof(why));
		CHECK_ERR(mb_kernel_parse(k.bytes, k.len, &h, &limits, &mk, why, sizeof(why)),
			  -ENOEXEC, "a load_addr before the file's start is refused");
		CHECK_CONTAINS(why, "only 0x40 bytes into the file", "the reason says so");
	}
}

/* A minimal ELF32 kernel: one PT_LOAD of the file's bytes 0x100-0x500 at
 * paddr with memsz 0x600, the header at 0x100 (inside the segment). */
static void build_elf(struct kfile *k, uint32_t paddr, uint32_t entry, uint32_t flags)
{
	Elf32_Ehdr e = { .e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT,
			 .e_entry = entry, .e_phoff = sizeof(Elf32_Ehdr),
			 .e_ehsize = sizeof(Elf32_Ehdr), .e_phentsize = sizeof(Elf32_Phdr),
			 .e_phnum = 1 };
	Elf32_Phdr p = { .p_type = PT_LOAD, .p_offset = 0x100, .p_paddr = paddr,
			 .p_vaddr = paddr, .p_filesz = 0x400, .p_memsz = 0x600 };

	kfile_init(k, 0x500);
	memcpy(e.e_ident, ELFMAG, SELFMAG);
	e.e_ident[EI_CLASS] = ELFCLASS32;
	e.e_ident[EI_DATA] = ELFDATA2LSB;
	e.e_ident[EI_VERSION] = EV_CURRENT;
	memcpy(k->bytes, &e, sizeof(e));
	memcpy(k->bytes + sizeof(e), &p, sizeof(p));
	add_header(k, 0x100, flags, 0, NULL);
}

static int parse_kernel(const struct kfile *k, struct mb_kernel *mk, char *why)
{
	struct mb_header h;

	if (mb_scan(k->bytes, k->len, &h, why, 256) != MB_FOUND)
		return -1000;
	return mb_kernel_parse(k->bytes, k->len, &h, &limits, mk, why, 256);
}

static void test_elf_kernels(void)
{
	struct mb_kernel mk;
	struct kfile k;
	char why[256] = "";

	tap_suite("multiboot: ELF kernels");
	build_elf(&k, 0x100000, 0x10000c, 0x3);
	CHECK_ERR(parse_kernel(&k, &mk, why), 0, "an ELF kernel at 1 MiB is accepted");
	CHECK(mk.from_elf, "it loads from its program headers");
	CHECK_HEX(mk.entry, 0x10000c, "the entry point is e_entry");
	CHECK_HEX(mk.image_end, 0x100600, "the image ends with the segment's memsz");

	build_elf(&k, 0x100000, 0x100500, 0x3);
	CHECK_ERR(parse_kernel(&k, &mk, why), -ENOEXEC, "an entry point in the .bss is refused");
	CHECK_CONTAINS(why, "entry point 0x100500 lies outside the kernel's loaded bytes",
		       "the reason names the entry point");
	build_elf(&k, 0x8f800, 0x8f800, 0x3);
	CHECK_ERR(parse_kernel(&k, &mk, why), -ENOEXEC, "a segment in gdbvm's area is refused");
	CHECK_CONTAINS(why, "ELF segment 0 at 0x8f800-0x8fdff overlaps gdbvm's own area",
		       "the reason names the segment");
	build_elf(&k, 0x3fff00, 0x3fff00, 0x3);
	CHECK_ERR(parse_kernel(&k, &mk, why), -ENOEXEC, "a segment past the end of RAM is refused");
	CHECK_CONTAINS(why, "outside guest RAM", "the ELF loader's reason is passed on");

	kfile_init(&k, 0x400);
	add_header(&k, 0x0, 0x3, 0, NULL);
	CHECK_ERR(parse_kernel(&k, &mk, why), -ENOEXEC,
		  "a flat file without address fields is refused");
	CHECK_CONTAINS(why, "not an ELF file and its Multiboot header has no address fields",
		       "the reason says gdbvm cannot tell where it goes");
}

static void test_modules_placement(void)
{
	uint64_t sizes[3] = { 0x1800, 0, 0x10 }, addrs[3];
	const struct mb_region split[] = {
		{ 0x100000, 0x3000, MB_MEM_AVAILABLE },
		{ 0x103000, 0x1000, MB_MEM_RESERVED },
		{ 0x104000, 0x2000, MB_MEM_AVAILABLE },
	};
	char why[256] = "";

	tap_suite("multiboot: module placement");
	CHECK_ERR(mb_place_modules(0x101234, sizes, 3, test_map, 3, addrs, why, sizeof(why)), 0,
		  "three modules fit");
	CHECK_HEX(addrs[0], 0x102000, "the first starts on the page after the kernel");
	CHECK_HEX(addrs[1], 0x104000, "the next starts on the page after the first's end");
	CHECK_HEX(addrs[2], 0x104000, "an empty module takes no room");
	sizes[0] = 0x1800;
	sizes[1] = 0x1000;
	CHECK_ERR(mb_place_modules(0x101000, sizes, 2, split, 3, addrs, why, sizeof(why)), 0,
		  "modules around a reserved region fit");
	CHECK_HEX(addrs[0], 0x101000, "the first fits before the reserved region");
	CHECK_HEX(addrs[1], 0x104000, "the second skips the reserved region");
	sizes[0] = 0x2001;
	CHECK_ERR(mb_place_modules(0x101000, sizes, 1, split, 3, addrs, why, sizeof(why)), -ENOSPC,
		  "a module larger than any free region is refused");
	CHECK_CONTAINS(why, "module 1 (8193 bytes) does not fit in guest RAM after 0x101000",
		       "the reason names the module and its size");
	sizes[0] = RAM;
	CHECK_ERR(mb_place_modules(0x100000, sizes, 1, test_map, 3, addrs, why, sizeof(why)),
		  -ENOSPC, "a module as large as RAM is refused");
	sizes[0] = 0x10;
	CHECK_ERR(mb_place_modules(UINT64_MAX - 5, sizes, 1, test_map, 3, addrs, why, sizeof(why)),
		  -ENOSPC, "a start near the top of the address space is refused, not wrapped");
}

static void test_info(void)
{
	const struct mb_module mods[2] = {
		{ 0x102000, 0x102800, "mod0.bin" },
		{ 0x103000, 0x103000, "mod1.bin some args" },
	};
	struct mb_info_params p = {
		.cmdline = "kernel.elf root=x", .loader_name = "gdbvm 9.9",
		.map = test_map, .nmap = 3, .mods = mods, .nmods = 2, .framebuffer = true,
	};
	const uint32_t phys = AREA_BASE + 0x8000;
	static uint8_t buf[0x8000];
	char why[256] = "";
	size_t used = 0;
	uint32_t off;
	bool strings_ok = true;

	tap_suite("multiboot: information structure");
	CHECK_ERR(mb_info_build(buf, sizeof(buf), phys, &p, &used, why, sizeof(why)), 0,
		  "the information structure is built");
	CHECK_HEX(get32(buf + MBI_FLAGS),
		  MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MODS | MB_INFO_MMAP |
		  MB_INFO_LOADER_NAME | MB_INFO_FRAMEBUFFER,
		  "flags: memory, cmdline, mods, mmap, boot loader name, framebuffer (bits 0 2 3 6 9 12)");
	CHECK_INT(get32(buf + MBI_MEM_LOWER), AREA_BASE / 1024,
		  "mem_lower is the available memory at 0, in KiB");
	CHECK_INT(get32(buf + MBI_MEM_UPPER), (RAM - 0x100000) / 1024,
		  "mem_upper is the available memory from 1 MiB, in KiB");
	CHECK(used > MBI_SIZE && used <= sizeof(buf), "the bytes used are counted (%zu)", used);

	CHECK_INT(get32(buf + MBI_MMAP_LENGTH), 3 * 24, "mmap_length covers three 24-byte entries");
	off = get32(buf + MBI_MMAP_ADDR) - phys;
	CHECK(off >= MBI_SIZE && off + 72 <= used, "mmap_addr points inside the buffer, after the "
	      "structure (offset 0x%x)", off);
	for (unsigned i = 0; i < 3 && off + 72 <= sizeof(buf); i++) {
		const uint8_t *e = buf + off + i * 24;

		CHECK_INT(get32(e), 20, "mmap entry %u: the size field says 20 (itself not counted)",
			  i);
		CHECK_HEX(get64(e + 4), test_map[i].base, "mmap entry %u: base_addr", i);
		CHECK_HEX(get64(e + 12), test_map[i].len, "mmap entry %u: length", i);
		CHECK_INT(get32(e + 20), test_map[i].type, "mmap entry %u: type", i);
	}

	CHECK_INT(get32(buf + MBI_MODS_COUNT), 2, "mods_count is 2");
	off = get32(buf + MBI_MODS_ADDR) - phys;
	CHECK(off >= MBI_SIZE && off + 32 <= used && off % 16 == 0,
	      "mods_addr points inside the buffer, 16-byte aligned (offset 0x%x)", off);
	for (unsigned i = 0; i < 2 && off + 32 <= sizeof(buf); i++) {
		const uint8_t *e = buf + off + i * 16;
		uint32_t s = get32(e + 8) - phys;

		CHECK_HEX(get32(e), mods[i].start, "module %u: mod_start", i);
		CHECK_HEX(get32(e + 4), mods[i].end, "module %u: mod_end", i);
		CHECK(s < used && strcmp((const char *)buf + s, mods[i].string) == 0,
		      "module %u: its string is '%s'", i, mods[i].string);
		CHECK_HEX(get32(e + 12), 0, "module %u: the reserved field is 0", i);
	}
	off = get32(buf + MBI_CMDLINE) - phys;
	strings_ok = off < used && strcmp((const char *)buf + off, p.cmdline) == 0;
	CHECK(strings_ok, "cmdline points at the command line");
	off = get32(buf + MBI_LOADER_NAME) - phys;
	CHECK(off < used && strcmp((const char *)buf + off, "gdbvm 9.9") == 0,
	      "boot_loader_name points at the loader's name");
	CHECK_HEX(get64(buf + MBI_FB_ADDR), 0xb8000, "framebuffer_addr is the text screen");
	CHECK_INT(get32(buf + MBI_FB_PITCH), 160, "framebuffer_pitch is 160 bytes");
	CHECK_INT(get32(buf + MBI_FB_WIDTH), 80, "framebuffer_width is 80 characters");
	CHECK_INT(get32(buf + MBI_FB_HEIGHT), 25, "framebuffer_height is 25 lines");
	CHECK_INT(buf[MBI_FB_BPP], 16, "framebuffer_bpp is 16");
	CHECK_INT(buf[MBI_FB_TYPE], 2, "framebuffer_type is 2 (EGA text)");

	p.nmods = 0;
	p.framebuffer = false;
	p.cmdline = NULL;
	CHECK_ERR(mb_info_build(buf, sizeof(buf), phys, &p, &used, why, sizeof(why)), 0,
		  "a structure without modules, command line or framebuffer is built");
	CHECK_HEX(get32(buf + MBI_FLAGS), MB_INFO_MEMORY | MB_INFO_MMAP | MB_INFO_LOADER_NAME,
		  "then only flags 0, 6 and 9 are set");
	CHECK_HEX(get32(buf + MBI_MODS_ADDR) | get32(buf + MBI_CMDLINE) | buf[MBI_FB_TYPE], 0,
		  "and the fields they would cover are 0");

	p.cmdline = "x";
	CHECK_ERR(mb_info_build(buf, MBI_SIZE + 3 * 24 + 4, phys, &p, &used, why, sizeof(why)),
		  -ENOSPC, "a structure that does not fit is refused");
	CHECK_CONTAINS(why, "needs more than the 192 bytes", "the reason gives the room there is");
	CHECK_ERR(mb_info_build(buf, 16, phys, &p, &used, why, sizeof(why)), -ENOSPC,
		  "a buffer smaller than the structure itself is refused");
}

/* Temporary files for mb_boot_load; removed by the caller. */
struct boot_files {
	char kernel[64], mod0[64], mod1[64];
};

static void test_boot_load(void)
{
	static const char m0[] = "module zero's bytes";
	struct guest_mem mem = { 0 };
	struct boot_files f = { "", "", "" };
	struct kfile k;
	char mod_arg0[96], mod_arg1[96];
	const char *modules[2] = { mod_arg0, mod_arg1 };
	struct capture err;
	struct mb_start st = { .is_elf = true };
	uint8_t *info;
	uint32_t modtab, s;
	char cmd[128];
	int e;

	tap_suite("multiboot: booting files");
	kfile_init(&k, 0x1000);
	add_header(&k, 0x40, MB_HF_ADDRESSES | 0x3, 0,
		   (const uint32_t[5]){ 0x100040, 0x100000, 0x100e00, 0x101100, 0x100100 });
	if (temp_file(f.kernel, k.bytes, k.len) || temp_file(f.mod0, m0, sizeof(m0) - 1) ||
	    temp_file(f.mod1, "", 0) || mem_alloc(&mem, RAM)) {
		CHECK(0, "cannot make the test files and RAM");
		goto out;
	}
	CHECK_INT(mb_detect(f.kernel, stderr), MB_FOUND, "the kernel file is detected");
	CHECK_INT(mb_detect(f.mod0, stderr), MB_NONE, "a file without the magic is not");
	CHECK_INT(mb_detect("/nonexistent/kernel", stderr), MB_NONE,
		  "a missing file is left to the plain loader's message");
	snprintf(mod_arg0, sizeof(mod_arg0), "%s", f.mod0);
	snprintf(mod_arg1, sizeof(mod_arg1), "%s,a=1, b", f.mod1);
	capture_open(&err);
	e = mb_boot_load(&mem, &(struct mb_boot){
				 .path = f.kernel, .append = "console=com1", .modules = modules,
				 .nmodules = 2, .lim = limits, .map = test_map, .nmap = 3,
				 .info_addr = AREA_BASE + 0x8000, .info_size = 0x8000 },
			 &st, err.f);
	CHECK_ERR(e, 0, "a kernel with two modules boots");
	CHECK_STR(capture_text(&err), "", "with nothing said on stderr");
	capture_close(&err);
	CHECK_HEX(st.entry, 0x100100, "the entry point is entry_addr");
	CHECK(!st.is_elf, "the kernel is not an ELF file");
	CHECK_HEX(st.magic, MB_BOOT_MAGIC, "EAX will be 0x2BADB002");
	CHECK_INT(st.version, 1, "it is a version 1 kernel");
	CHECK_MEM(mem.host + 0x100000, k.bytes, 0xe00, "the kernel is in RAM");
	info = mem.host + AREA_BASE + 0x8000;
	CHECK_INT(get32(info + MBI_MODS_COUNT), 2, "two modules are listed");
	modtab = get32(info + MBI_MODS_ADDR);
	if (modtab < AREA_BASE + 0x8000 || modtab > AREA_BASE + 0x10000 - 32) {
		CHECK(0, "mods_addr 0x%x lies in the information area", modtab);
		goto out;
	}
	CHECK_HEX(get32(mem.host + modtab), 0x102000,
		  "module 0 starts on the page after the kernel's .bss (0x101100)");
	CHECK_HEX(get32(mem.host + modtab + 4), 0x102000 + sizeof(m0) - 1,
		  "module 0 ends after its bytes");
	CHECK_MEM(mem.host + 0x102000, m0, sizeof(m0) - 1, "module 0's bytes are in RAM");
	s = get32(mem.host + modtab + 8);
	CHECK_STR((const char *)mem.host + s, f.mod0, "module 0's string is its path");
	s = get32(mem.host + modtab + 24);
	snprintf(cmd, sizeof(cmd), "%s a=1, b", f.mod1);
	CHECK_STR((const char *)mem.host + s, cmd,
		  "module 1's string is its path, a space and what follows the first comma");
	snprintf(cmd, sizeof(cmd), "%s console=com1", f.kernel);
	CHECK_STR((const char *)mem.host + get32(info + MBI_CMDLINE), cmd,
		  "the command line is the kernel's path, a space and --append");
	CHECK_STR((const char *)mem.host + get32(info + MBI_LOADER_NAME), "gdbvm " GDBVM_VERSION,
		  "the boot loader name is gdbvm and its version");

	capture_open(&err);
	e = mb_boot_load(&mem, &(struct mb_boot){
				 .path = f.kernel, .lim = limits, .map = test_map, .nmap = 3,
				 .info_addr = AREA_BASE + 0x8000, .info_size = 0x8000 },
			 &st, err.f);
	CHECK_ERR(e, 0, "the kernel boots without --append");
	CHECK_STR((const char *)mem.host + get32(info + MBI_CMDLINE), f.kernel,
		  "then the command line is the kernel's path alone");
	capture_close(&err);

	capture_open(&err);
	modules[0] = "/nonexistent/module";
	e = mb_boot_load(&mem, &(struct mb_boot){
				 .path = f.kernel, .modules = modules, .nmodules = 1, .lim = limits,
				 .map = test_map, .nmap = 3, .info_addr = AREA_BASE + 0x8000,
				 .info_size = 0x8000 },
			 &st, err.f);
	CHECK_ERR(e, -ENOENT, "a missing module is refused");
	CHECK_STR(capture_text(&err), "gdbvm: cannot open module '/nonexistent/module': No such "
		  "file or directory\n", "with the file's name and the reason");
	capture_close(&err);

	capture_open(&err);
	e = mb_boot_load(&mem, &(struct mb_boot){
				 .path = f.mod0, .lim = limits, .map = test_map, .nmap = 3,
				 .info_addr = AREA_BASE + 0x8000, .info_size = 0x8000 },
			 &st, err.f);
	CHECK_ERR(e, -ENOEXEC, "a file without a header is refused");
	CHECK_CONTAINS(capture_text(&err), "no Multiboot header in its first 8192 bytes",
		       "with the reason");
	capture_close(&err);

	/* A video header asking for graphics: a note, and the text screen. */
	put32(k.bytes + 0x44, MB_HF_ADDRESSES | MB_HF_VIDEO_MODE);
	put32(k.bytes + 0x48, 0u - MB_HEADER_MAGIC - (MB_HF_ADDRESSES | MB_HF_VIDEO_MODE));
	put32(k.bytes + 0x60, 0);
	put32(k.bytes + 0x64, 1024);
	put32(k.bytes + 0x68, 768);
	put32(k.bytes + 0x6c, 32);
	unlink(f.kernel);
	if (temp_file(f.kernel, k.bytes, k.len)) {
		CHECK(0, "cannot rewrite the kernel file");
		goto out;
	}
	capture_open(&err);
	e = mb_boot_load(&mem, &(struct mb_boot){
				 .path = f.kernel, .lim = limits, .map = test_map, .nmap = 3,
				 .info_addr = AREA_BASE + 0x8000, .info_size = 0x8000 },
			 &st, err.f);
	CHECK_ERR(e, 0, "a kernel asking for a graphics mode boots");
	CHECK_CONTAINS(capture_text(&err), "asks for a 1024x768x32 graphics mode; gdbvm gives "
		       "the 80x25 text screen", "with a note saying what it gets");
	CHECK_INT(count_substr(capture_text(&err), "\n"), 1, "the note is one line");
	CHECK_INT(info[MBI_FB_TYPE], MB_FB_TYPE_EGA_TEXT, "the framebuffer is the EGA text one");
	capture_close(&err);
out:
	mem_free(&mem);
	unlink(f.kernel);
	unlink(f.mod0);
	unlink(f.mod1);
}


/* ---- Multiboot 2 ---- */

/* A Multiboot 2 header under construction: tags appended after 16 bytes. */
struct mb2_hdr {
	uint8_t bytes[512];
	uint32_t len;
};

static void mb2_begin(struct mb2_hdr *h)
{
	memset(h, 0, sizeof(*h));
	h->len = 16;
}

/* Append a tag: type, flags, then the 32-bit words of its body. */
static void mb2_tag(struct mb2_hdr *h, uint16_t type, uint16_t flags, const uint32_t *body,
		    unsigned nwords)
{
	uint32_t size = 8 + 4 * nwords;

	memcpy(h->bytes + h->len, &type, 2);
	memcpy(h->bytes + h->len + 2, &flags, 2);
	put32(h->bytes + h->len + 4, size);
	for (unsigned i = 0; i < nwords; i++)
		put32(h->bytes + h->len + 8 + 4 * i, body[i]);
	h->len += (size + 7) & ~7u;
}

/* End the tags and write the header at off in k, with arch and a checksum
 * off by delta. */
static void mb2_put(struct kfile *k, size_t off, struct mb2_hdr *h, uint32_t arch, int32_t delta)
{
	mb2_tag(h, 0, 0, NULL, 0);
	put32(h->bytes, MB2_HEADER_MAGIC);
	put32(h->bytes + 4, arch);
	put32(h->bytes + 8, h->len);
	put32(h->bytes + 12, 0u - MB2_HEADER_MAGIC - arch - h->len + (uint32_t)delta);
	memcpy(k->bytes + off, h->bytes, h->len);
}

static void mb2_refused(struct kfile *k, const char *needle, const char *what)
{
	struct mb_header h;
	char why[256] = "";

	CHECK_INT(mb2_scan(k->bytes, k->len, &h, why, sizeof(why)), MB_BAD, "%s is refused", what);
	CHECK_CONTAINS(why, needle, "%s: the reason says '%s'", what, needle);
}

static void test_mb2_scan(void)
{
	static struct kfile k;	/* large: keep it off the stack */
	struct mb2_hdr t;
	struct mb_header h;
	char why[256] = "";

	tap_suite("multiboot 2: header scan and tags");
	kfile_init(&k, 0x1000);
	memset(k.bytes, 0, k.len);
	CHECK_INT(mb2_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_NONE,
		  "a file without the magic has no Multiboot 2 header");
	mb2_begin(&t);
	mb2_put(&k, 0x48, &t, 0, 0);
	CHECK_INT(mb2_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_FOUND,
		  "a header with only the end tag at offset 0x48 is found");
	CHECK_INT(h.version, 2, "it is a version 2 header");
	CHECK_HEX(h.offset, 0x48, "its offset is recorded");
	CHECK_HEX(h.flags, 0, "it asks for nothing");
	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_put(&k, 0x44, &t, 0, 0);
	CHECK_INT(mb2_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_NONE,
		  "a header off an 8-byte boundary is not found");
	memset(k.bytes, 0, k.len);
	CHECK_INT(mb_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_NONE,
		  "and a version 2 header is no version 1 header");

	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_put(&k, 0, &t, 0, 1);
	mb2_refused(&k, "has a bad checksum (magic + architecture + header_length + checksum = "
		    "0x00000001, must be 0)", "a bad checksum");
	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_put(&k, 0, &t, 4, 0);
	mb2_refused(&k, "is for architecture 4, not i386", "a MIPS header");
	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_put(&k, 0, &t, 0, 0);
	put32(k.bytes + 8, 0x2000);	/* header_length past the end of the file */
	put32(k.bytes + 12, 0u - MB2_HEADER_MAGIC - 0x2000);
	mb2_refused(&k, "says it is 8192 bytes long", "a header longer than the file");
	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_tag(&t, 4, 0, (const uint32_t[]){ 0 }, 1);	/* and no end tag after it */
	put32(t.bytes, MB2_HEADER_MAGIC);
	put32(t.bytes + 8, t.len);
	put32(t.bytes + 12, 0u - MB2_HEADER_MAGIC - t.len);
	memcpy(k.bytes, t.bytes, t.len);
	mb2_refused(&k, "has no end tag", "a header without an end tag");

	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_tag(&t, 42, 0, NULL, 0);
	mb2_put(&k, 0, &t, 0, 0);
	mb2_refused(&k, "requires tag type 42, which gdbvm does not know", "an unknown required tag");
	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_tag(&t, 42, 1, NULL, 0);
	mb2_put(&k, 0, &t, 0, 0);
	CHECK_INT(mb2_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_FOUND,
		  "an unknown optional tag is ignored");
	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_tag(&t, 1, 0, (const uint32_t[]){ 1, 2, 3, 4, 6, 8 }, 6);
	mb2_put(&k, 0, &t, 0, 0);
	CHECK_INT(mb2_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_FOUND,
		  "a required request for what gdbvm gives is accepted");
	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_tag(&t, 1, 0, (const uint32_t[]){ 1, 14 }, 2);
	mb2_put(&k, 0, &t, 0, 0);
	mb2_refused(&k, "requires information tag type 14, which gdbvm does not provide",
		    "a required request for the ACPI table");
	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_tag(&t, 1, 1, (const uint32_t[]){ 14, 15 }, 2);
	mb2_put(&k, 0, &t, 0, 0);
	CHECK_INT(mb2_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_FOUND,
		  "an optional request for what gdbvm lacks is accepted");
	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_tag(&t, 3, 0, NULL, 0);
	mb2_put(&k, 0, &t, 0, 0);
	mb2_refused(&k, "tag type 3 is too short (8 bytes)", "a truncated entry tag");
	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_put(&k, 0, &t, 0, 0);
	put32(k.bytes + 20, 4);	/* the end tag's size: below 8 */
	mb2_refused(&k, "tag at offset 16 has a bad size (4 bytes", "a tag smaller than 8 bytes");

	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_tag(&t, 2, 0, (const uint32_t[]){ 0x100000, 0x100000, 0, 0 }, 4);
	mb2_put(&k, 0, &t, 0, 0);
	mb2_refused(&k, "an address tag but no entry address tag", "an address tag alone");
	memset(k.bytes, 0, k.len);
	mb2_begin(&t);
	mb2_tag(&t, 2, 0, (const uint32_t[]){ 0x100040, 0xffffffff, 0x100800, 0x101000 }, 4);
	mb2_tag(&t, 3, 0, (const uint32_t[]){ 0x100100 }, 1);
	mb2_tag(&t, 5, 0, (const uint32_t[]){ 1024, 768, 32 }, 3);
	mb2_tag(&t, 6, 0, NULL, 0);
	mb2_tag(&t, 10, 0, (const uint32_t[]){ 0, 0, 0x1000, 0 }, 4);
	mb2_put(&k, 0x40, &t, 0, 0);
	CHECK_INT(mb2_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_FOUND,
		  "address, entry, framebuffer, module alignment and relocatable tags are read");
	CHECK_HEX(h.flags, MB_HF_ADDRESSES | MB_HF_VIDEO_MODE,
		  "they set the address and video flags");
	CHECK_HEX(h.load_addr, 0x100000, "load_addr -1 loads the file from its first byte");
	CHECK_HEX(h.load_end_addr, 0x100800, "load_end_addr is read");
	CHECK_HEX(h.bss_end_addr, 0x101000, "bss_end_addr is read");
	CHECK(h.entry_given && h.entry_addr == 0x100100, "the entry address is read");
	CHECK(h.mode_type == 0 && h.width == 1024 && h.height == 768 && h.depth == 32,
	      "the framebuffer request is a graphics mode");
	{
		struct mb_kernel mk;

		CHECK_ERR(mb_kernel_parse(k.bytes, k.len, &h, &limits, &mk, why, sizeof(why)), 0,
			  "the kernel is accepted");
		CHECK_HEX(mk.file_off, 0, "it loads from file offset 0");
		CHECK_HEX(mk.entry, 0x100100, "it enters at the entry tag's address");
		CHECK_HEX(mk.image_end, 0x101000, "its image ends at bss_end_addr");
	}
}

static void test_mb2_elf_entry(void)
{
	struct mb_kernel mk;
	struct mb_header h;
	struct mb2_hdr t;
	struct kfile k;
	char why[256] = "";

	tap_suite("multiboot 2: ELF kernels");
	build_elf(&k, 0x100000, 0x100010, 0x3);
	memset(k.bytes + 0x100, 0, 0x40);	/* no version 1 header */
	mb2_begin(&t);
	mb2_tag(&t, 3, 0, (const uint32_t[]){ 0x100020 }, 1);
	mb2_put(&k, 0x100, &t, 0, 0);
	CHECK_INT(mb2_scan(k.bytes, k.len, &h, why, sizeof(why)), MB_FOUND,
		  "an ELF kernel with an entry tag is found");
	CHECK_ERR(mb_kernel_parse(k.bytes, k.len, &h, &limits, &mk, why, sizeof(why)), 0,
		  "it is accepted");
	CHECK(mk.from_elf, "it loads from its program headers");
	CHECK_HEX(mk.entry, 0x100020, "the entry tag overrides e_entry");
	mb2_begin(&t);
	mb2_tag(&t, 3, 0, (const uint32_t[]){ 0x200000 }, 1);
	mb2_put(&k, 0x100, &t, 0, 0);
	mb2_scan(k.bytes, k.len, &h, why, sizeof(why));
	CHECK_ERR(mb_kernel_parse(k.bytes, k.len, &h, &limits, &mk, why, sizeof(why)), -ENOEXEC,
		  "an entry tag outside the kernel is refused");
	CHECK_CONTAINS(why, "entry address tag's entry_addr 0x200000 lies outside",
		       "the reason names the tag");
	kfile_init(&k, 0x400);
	mb2_begin(&t);
	mb2_put(&k, 0, &t, 0, 0);
	mb2_scan(k.bytes, k.len, &h, why, sizeof(why));
	CHECK_ERR(mb_kernel_parse(k.bytes, k.len, &h, &limits, &mk, why, sizeof(why)), -ENOEXEC,
		  "a flat file without an address tag is refused");
	CHECK_CONTAINS(why, "has no address tag", "the reason names the address tag");
}

/* Walk the information tags: returns how many, each type into types. */
static unsigned mb2_walk(const uint8_t *buf, size_t used, uint32_t *types, unsigned max,
			 size_t *offs, bool *aligned, bool *ends_right)
{
	size_t off = 8;
	unsigned n = 0;

	*aligned = true;
	*ends_right = false;
	while (off + 8 <= used && n < max) {
		uint32_t type = get32(buf + off), size = get32(buf + off + 4);

		*aligned = *aligned && off % 8 == 0;
		types[n] = type;
		offs[n++] = off;
		if (type == 0) {
			*ends_right = size == 8 && off + 8 == used;
			break;
		}
		if (size < 8)
			break;
		off = (off + size + 7) & ~(size_t)7;
	}
	return n;
}

static void test_mb2_info(void)
{
	const struct mb_module mods[2] = {
		{ 0x102000, 0x102800, "mod0.bin" },
		{ 0x103000, 0x103000, "mod1.bin some args" },
	};
	struct mb_info_params p = {
		.cmdline = "kernel.elf root=x", .loader_name = "gdbvm 9.9",
		.map = test_map, .nmap = 3, .mods = mods, .nmods = 2, .framebuffer = true,
	};
	static uint8_t buf[0x8000];
	const uint32_t want[] = { 1, 2, 3, 3, 4, 6, 8, 0 };
	uint32_t types[16];
	size_t offs[16], used = 0;
	char why[256] = "";
	bool aligned, ends;
	unsigned n;

	tap_suite("multiboot 2: information tags");
	CHECK_ERR(mb2_info_build(buf, sizeof(buf), AREA_BASE + 0x8000, &p, &used, why, sizeof(why)),
		  0, "the information tags are built");
	CHECK_INT(get32(buf), used, "total_size is the bytes used");
	CHECK_INT(get32(buf + 4), 0, "the reserved word is 0");
	n = mb2_walk(buf, used, types, 16, offs, &aligned, &ends);
	CHECK_INT(n, 8, "eight tags, the end tag included");
	CHECK_MEM(types, want, sizeof(want), "in order: cmdline, loader name, two modules, "
		  "memory sizes, memory map, framebuffer, end");
	CHECK(aligned, "every tag starts on an 8-byte boundary");
	CHECK(ends, "the end tag (size 8) ends the information at total_size");
	if (n != 8)
		return;
	CHECK_STR((const char *)buf + offs[0] + 8, "kernel.elf root=x", "the command line tag");
	CHECK_INT(get32(buf + offs[0] + 4), 8 + strlen("kernel.elf root=x") + 1,
		  "its size counts the string and its NUL");
	CHECK_STR((const char *)buf + offs[1] + 8, "gdbvm 9.9", "the boot loader name tag");
	for (unsigned i = 0; i < 2; i++) {
		const uint8_t *m = buf + offs[2 + i];

		CHECK_HEX(get32(m + 8), mods[i].start, "module tag %u: mod_start", i);
		CHECK_HEX(get32(m + 12), mods[i].end, "module tag %u: mod_end", i);
		CHECK_STR((const char *)m + 16, mods[i].string, "module tag %u: its string", i);
	}
	CHECK_INT(get32(buf + offs[4] + 4), 16, "the memory sizes tag is 16 bytes");
	CHECK_INT(get32(buf + offs[4] + 8), AREA_BASE / 1024, "mem_lower in KiB");
	CHECK_INT(get32(buf + offs[4] + 12), (RAM - 0x100000) / 1024, "mem_upper in KiB");
	CHECK_INT(get32(buf + offs[5] + 4), 16 + 3 * 24, "the memory map tag holds three entries");
	CHECK_INT(get32(buf + offs[5] + 8), 24, "entry_size is 24");
	CHECK_INT(get32(buf + offs[5] + 12), 0, "entry_version is 0");
	for (unsigned i = 0; i < 3; i++) {
		const uint8_t *e = buf + offs[5] + 16 + 24 * i;

		CHECK(get64(e) == test_map[i].base && get64(e + 8) == test_map[i].len &&
		      get32(e + 16) == test_map[i].type && get32(e + 20) == 0,
		      "memory map entry %u: base, length, type, reserved 0", i);
	}
	CHECK_HEX(get64(buf + offs[6] + 8), 0xb8000, "the framebuffer is at 0xb8000");
	CHECK(get32(buf + offs[6] + 16) == 160 && get32(buf + offs[6] + 20) == 80 &&
	      get32(buf + offs[6] + 24) == 25 && buf[offs[6] + 28] == 16 &&
	      buf[offs[6] + 29] == MB_FB_TYPE_EGA_TEXT,
	      "the framebuffer is 80x25 EGA text, pitch 160, 16 bits per cell");

	p.nmods = 0;
	p.framebuffer = false;
	CHECK_ERR(mb2_info_build(buf, sizeof(buf), AREA_BASE + 0x8000, &p, &used, why, sizeof(why)),
		  0, "the tags without modules or framebuffer are built");
	n = mb2_walk(buf, used, types, 16, offs, &aligned, &ends);
	CHECK_MEM(types, ((const uint32_t[]){ 1, 2, 4, 6, 0 }), 5 * sizeof(uint32_t),
		  "then only cmdline, loader name, memory sizes, memory map and end");
	CHECK_ERR(mb2_info_build(buf, 64, AREA_BASE + 0x8000, &p, &used, why, sizeof(why)),
		  -ENOSPC, "tags that do not fit are refused");
	CHECK_CONTAINS(why, "needs more than the 64 bytes", "the reason gives the room");
}

static void test_mb2_boot_load(void)
{
	struct guest_mem mem = { 0 };
	struct mb_start st = { 0 };
	struct capture err;
	struct mb2_hdr t;
	struct kfile k;
	char path[64] = "";
	uint8_t *info;
	int e;

	tap_suite("multiboot 2: booting a file");
	kfile_init(&k, 0x1000);
	mb2_begin(&t);
	mb2_tag(&t, 2, 0, (const uint32_t[]){ 0x100000, 0x100000, 0, 0x102000 }, 4);
	mb2_tag(&t, 3, 0, (const uint32_t[]){ 0x100200 }, 1);
	mb2_put(&k, 0, &t, 0, 0);
	if (temp_file(path, k.bytes, k.len) || mem_alloc(&mem, RAM)) {
		CHECK(0, "cannot make the test file and RAM");
		goto out;
	}
	CHECK_INT(mb_detect(path, stderr), MB_FOUND, "a Multiboot 2 kernel file is detected");
	capture_open(&err);
	e = mb_boot_load(&mem, &(struct mb_boot){
				 .path = path, .append = "a=b", .lim = limits, .map = test_map,
				 .nmap = 3, .info_addr = AREA_BASE + 0x8000, .info_size = 0x8000 },
			 &st, err.f);
	CHECK_ERR(e, 0, "it boots");
	CHECK_STR(capture_text(&err), "", "silently");
	capture_close(&err);
	CHECK_INT(st.version, 2, "as version 2");
	CHECK_HEX(st.magic, MB2_BOOT_MAGIC, "EAX will be 0x36D76289");
	CHECK_HEX(st.entry, 0x100200, "at the entry tag's address");
	CHECK_MEM(mem.host + 0x100000, k.bytes, k.len, "the file is in RAM at load_addr");
	info = mem.host + AREA_BASE + 0x8000;
	CHECK(get32(info) > 8 && get32(info) < 0x8000, "the information has a total_size");
	CHECK_INT(get32(info + 8), MB2_TAG_CMDLINE, "the command line tag comes first");
	CHECK(strncmp((const char *)info + 16, path, strlen(path)) == 0 &&
	      strcmp((const char *)info + 16 + strlen(path), " a=b") == 0,
	      "the command line is the path, a space and --append");
out:
	mem_free(&mem);
	unlink(path);
}

/* multiboot_configure and multiboot_prepare (vmm/multiboot_boot.c): the
 * decision from the options and the file, and the entry state. */
static void test_configure_prepare(void)
{
	struct kfile k;
	struct guest_mem mem = { 0 };
	struct cpu_entry entry;
	struct config cfg;
	struct capture err;
	char kernel[64] = "", plain[64] = "", bad[64] = "";
	const char *mods[1] = { "x" };

	tap_suite("multiboot: booting from the command line");
	kfile_init(&k, 0x1000);
	add_header(&k, 0x40, MB_HF_ADDRESSES | 0x3, 0,
		   (const uint32_t[5]){ 0x100040, 0x100000, 0, 0, 0x100100 });
	if (temp_file(kernel, k.bytes, k.len) || temp_file(plain, "\xf4", 1)) {
		CHECK(0, "cannot make the test files");
		goto out;
	}
	add_header(&k, 0x40, MB_HF_ADDRESSES | 0x3, 5, NULL);
	if (temp_file(bad, k.bytes, k.len)) {
		CHECK(0, "cannot make the test files");
		goto out;
	}
	cfg = (struct config){ .guest_path = kernel, .mem_size = 1 << 20 };
	capture_open(&err);
	CHECK_ERR(multiboot_configure(&cfg, err.f), 0, "a Multiboot kernel is configured");
	CHECK(cfg.multiboot, "it boots as Multiboot");
	CHECK_INT(cfg.mode, CPU_MODE_PROTECTED, "in protected mode");
	CHECK_HEX(cfg.mem_size, MULTIBOOT_MEM_DEFAULT, "with 128M of RAM when -m is not given");
	cfg = (struct config){ .guest_path = kernel, .mem_size = 4 << 20, .mem_given = true };
	CHECK_ERR(multiboot_configure(&cfg, err.f), 0, "a Multiboot kernel with -m");
	CHECK_HEX(cfg.mem_size, 4 << 20, "keeps the RAM -m gives");
	cfg = (struct config){ .guest_path = plain, .mem_size = 1 << 20 };
	CHECK_ERR(multiboot_configure(&cfg, err.f), 0, "a plain guest is left alone");
	CHECK(!cfg.multiboot && cfg.mem_size == 1 << 20, "it is no Multiboot kernel, RAM unchanged");
	CHECK_STR(capture_text(&err), "", "nothing was said so far");
	capture_close(&err);

	capture_open(&err);
	cfg = (struct config){ .guest_path = plain, .append = "a" };
	CHECK_ERR(multiboot_configure(&cfg, err.f), -EINVAL, "--append with a plain guest is refused");
	cfg = (struct config){ .guest_path = kernel, .modules = { mods[0] }, .nmodules = 1,
			       .mode_given = true, .mode = CPU_MODE_PROTECTED };
	CHECK_ERR(multiboot_configure(&cfg, err.f), -EINVAL, "--module with --mode is refused");
	CHECK(!cfg.multiboot, "and --mode loads the kernel plainly");
	cfg = (struct config){ .guest_path = kernel, .load_given = true };
	CHECK_ERR(multiboot_configure(&cfg, err.f), -EINVAL, "--load with a kernel is refused");
	cfg = (struct config){ .guest_path = kernel, .entry_given = true };
	CHECK_ERR(multiboot_configure(&cfg, err.f), -EINVAL, "--entry with a kernel is refused");
	cfg = (struct config){ .guest_path = bad };
	CHECK_ERR(multiboot_configure(&cfg, err.f), -ENOEXEC, "a broken header is refused");
	CHECK_INT(count_substr(capture_text(&err), "\n"), 5, "each refusal said one line");
	CHECK_INT(count_substr(capture_text(&err), "gdbvm: "), 5, "each starting with gdbvm:");
	capture_close(&err);

	cfg = (struct config){ .guest_path = kernel, .mem_size = 1 << 20 };
	capture_open(&err);
	multiboot_configure(&cfg, err.f);
	if (mem_alloc(&mem, cfg.mem_size)) {
		CHECK(0, "cannot allocate test RAM");
		capture_close(&err);
		goto out;
	}
	CHECK_ERR(multiboot_prepare(&cfg, &mem, &entry, err.f), 0, "the kernel is prepared");
	CHECK_STR(capture_text(&err), "", "silently");
	capture_close(&err);
	CHECK_INT(entry.mode, CPU_MODE_PROTECTED, "entry: protected mode");
	CHECK_HEX(entry.rip, 0x100100, "entry: EIP is entry_addr");
	CHECK_HEX(entry.rax, MB_BOOT_MAGIC, "entry: EAX is 0x2BADB002");
	CHECK_HEX(entry.rbx, 0x8f000 + 0x8000, "entry: EBX is the information at 0x97000");
	CHECK_HEX(entry.gdt_base, 0x8f000, "entry: gdbvm's GDT at the area's base");
	CHECK_HEX(get32(mem.host + 0x97000 + MBI_MMAP_LENGTH), 4 * 24,
		  "the information has the four regions of layout_memory_map");
	CHECK(get64(mem.host + 0x8f000 + 8) != 0, "the GDT is written");
	CHECK(!cfg.guest_is_elf, "a flat kernel gives gdb no symbols");
out:
	mem_free(&mem);
	unlink(kernel);
	unlink(plain);
	unlink(bad);
}

void test_multiboot(void)
{
	test_scan();
	test_address_fields();
	test_elf_kernels();
	test_modules_placement();
	test_info();
	test_boot_load();
	test_mb2_scan();
	test_mb2_elf_entry();
	test_mb2_info();
	test_mb2_boot_load();
	test_configure_prepare();
}
