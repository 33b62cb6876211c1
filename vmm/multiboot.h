/*
 * multiboot.h - booting kernels the way the Multiboot specification
 * (version 1, 0.6.96) says: finding and checking the header, loading the
 * kernel, placing modules and building the information structure
 * (docs/multiboot.md).
 *
 * The parts work on bytes in memory and trust nothing in them: every
 * offset, size and address from the file is checked with overflow-safe
 * arithmetic, and every refusal comes with one sentence (no "gdbvm:"
 * prefix, no newline) saying why.
 */
#ifndef GDBVM_MULTIBOOT_H
#define GDBVM_MULTIBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "elf_loader.h"
#include "memory.h"

#define MB_HEADER_MAGIC		UINT32_C(0x1BADB002)
#define MB_BOOT_MAGIC		UINT32_C(0x2BADB002)	/* EAX at entry */
#define MB_SEARCH_LEN		8192	/* the header lies in the first 8 KiB */

/* Header flags: bits 0-15 are required (a boot loader that does not know
 * one must refuse the kernel), bits 16-31 optional. */
#define MB_HF_PAGE_ALIGN	(1u << 0)	/* modules on 4 KiB boundaries */
#define MB_HF_MEMORY_INFO	(1u << 1)	/* mem_* (and the memory map) wanted */
#define MB_HF_VIDEO_MODE	(1u << 2)	/* video mode fields are valid */
#define MB_HF_ADDRESSES		(1u << 16)	/* address fields are valid */
#define MB_HF_KNOWN_REQUIRED	(MB_HF_PAGE_ALIGN | MB_HF_MEMORY_INFO | MB_HF_VIDEO_MODE)

/* Information structure flags and offsets (the specification's layout). */
#define MB_INFO_MEMORY		(1u << 0)
#define MB_INFO_CMDLINE		(1u << 2)
#define MB_INFO_MODS		(1u << 3)
#define MB_INFO_MMAP		(1u << 6)
#define MB_INFO_LOADER_NAME	(1u << 9)
#define MB_INFO_FRAMEBUFFER	(1u << 12)

#define MBI_FLAGS		0
#define MBI_MEM_LOWER		4
#define MBI_MEM_UPPER		8
#define MBI_CMDLINE		16
#define MBI_MODS_COUNT		20
#define MBI_MODS_ADDR		24
#define MBI_MMAP_LENGTH		44
#define MBI_MMAP_ADDR		48
#define MBI_LOADER_NAME		64
#define MBI_FB_ADDR		88
#define MBI_FB_PITCH		96
#define MBI_FB_WIDTH		100
#define MBI_FB_HEIGHT		104
#define MBI_FB_BPP		108
#define MBI_FB_TYPE		109
#define MBI_SIZE		116

#define MB_MMAP_ENTRY_SIZE	24	/* size field (4) + base, length (8 each) + type (4) */
#define MB_MOD_ENTRY_SIZE	16	/* mod_start, mod_end, string, reserved */
#define MB_FB_TYPE_EGA_TEXT	2
#define MB_MAX_MODULES		16

struct mb_header {
	uint32_t offset;	/* where it starts in the file */
	uint32_t flags;
	/* valid with MB_HF_ADDRESSES */
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
	/* valid with MB_HF_VIDEO_MODE */
	uint32_t mode_type, width, height, depth;
	/* Multiboot 2 only: an entry address tag overrides an ELF's e_entry */
	bool entry_given;
	int version;		/* 1 or 2 */
};

enum mb_scan_result {
	MB_NONE,	/* no header magic: not a Multiboot kernel */
	MB_FOUND,	/* a header with a good checksum */
	MB_BAD,		/* the magic, but the header is broken: why says how */
};

/*
 * Look for the header in the first MB_SEARCH_LEN bytes (on 4-byte
 * boundaries).  The first header whose checksum is right wins; a magic
 * number with a bad checksum or a header cut off by the end of the file
 * is MB_BAD when no good header follows.
 */
enum mb_scan_result mb_scan(const uint8_t *file, size_t len, struct mb_header *h, char *why,
			    size_t whylen);

/* ---- Multiboot 2 (multiboot2.c) ---- */

#define MB2_HEADER_MAGIC	UINT32_C(0xE85250D6)
#define MB2_BOOT_MAGIC		UINT32_C(0x36D76289)	/* EAX at entry */
#define MB2_SEARCH_LEN		32768	/* the header lies in the first 32 KiB */

/* Information tag types gdbvm gives (and the end tag). */
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_BASIC_MEMINFO	4
#define MB2_TAG_MMAP		6
#define MB2_TAG_FRAMEBUFFER	8

/*
 * Look for a Multiboot 2 header in the first MB2_SEARCH_LEN bytes (on
 * 8-byte boundaries) and read its tags into h, as the address fields,
 * entry point and video request of a version 1 header would say them
 * (h->version = 2).  A header whose architecture is not i386, whose tags
 * are malformed, or that requires a tag or information gdbvm does not
 * provide is MB_BAD, with why.
 */
enum mb_scan_result mb2_scan(const uint8_t *file, size_t len, struct mb_header *h, char *why,
			     size_t whylen);

/* Where gdbvm may put a kernel: RAM and its own area, which must be avoided. */
struct mb_limits {
	uint64_t ram_size;
	uint64_t area_base, area_size;
};

/* A kernel, checked and ready to be copied into RAM. */
struct mb_kernel {
	struct mb_header hdr;
	bool from_elf;		/* loaded from ELF program headers, not address fields */
	struct elf_image elf;	/* from_elf */
	uint64_t file_off, load_addr, load_len, bss_end;	/* !from_elf */
	uint64_t entry;
	uint64_t image_end;	/* one past the highest loaded byte (.bss included) */
};

/*
 * Check a kernel with a header found by mb_scan: the header's required
 * flags, and where it loads (address fields with MB_HF_ADDRESSES, else the
 * ELF program headers): inside RAM, clear of gdbvm's area, the entry point
 * inside the loaded image.  0 or -ENOEXEC with why.
 */
int mb_kernel_parse(const uint8_t *file, size_t len, const struct mb_header *h,
		    const struct mb_limits *lim, struct mb_kernel *k, char *why, size_t whylen);

/* Copy a parsed kernel into RAM, zeroing its .bss. 0 or -EFAULT. */
int mb_kernel_load(struct guest_mem *mem, const uint8_t *file, size_t len,
		   const struct mb_kernel *k);

/* One region of the memory map (types as in E820 and the Multiboot map). */
#define MB_MEM_AVAILABLE	1
#define MB_MEM_RESERVED		2
struct mb_region {
	uint64_t base, len;
	uint32_t type;
};

/*
 * Place n modules of the given sizes one after the other on 4 KiB
 * boundaries, from the first boundary at or after 'after', each wholly
 * inside one available region of the map.  0 with addrs filled, or
 * -ENOSPC with why naming the first module that does not fit.
 */
int mb_place_modules(uint64_t after, const uint64_t *sizes, unsigned n,
		     const struct mb_region *map, unsigned nmap, uint64_t *addrs,
		     char *why, size_t whylen);

struct mb_module {
	uint64_t start, end;	/* where it is in RAM: [start, end) */
	const char *string;	/* its command line */
};

/* What goes into the information structure. */
struct mb_info_params {
	const char *cmdline;
	const char *loader_name;
	const struct mb_region *map;
	unsigned nmap;
	const struct mb_module *mods;
	unsigned nmods;
	bool framebuffer;	/* the 80x25 EGA text screen at 0xb8000 */
};

/*
 * Build the information structure in buf (which the guest sees at physical
 * address buf_phys), with the memory map, the module list and the strings
 * after it.  0 with the bytes used in *used, or -ENOSPC with why when it
 * does not fit in bufsize bytes.
 */
int mb_info_build(uint8_t *buf, size_t bufsize, uint32_t buf_phys,
		  const struct mb_info_params *p, size_t *used, char *why, size_t whylen);

/* The same for a Multiboot 2 kernel: the information as tags (multiboot2.c). */
int mb2_info_build(uint8_t *buf, size_t bufsize, uint32_t buf_phys,
		   const struct mb_info_params *p, size_t *used, char *why, size_t whylen);

/* ---- booting a kernel file (multiboot.c) ---- */

/* Is the file at path a Multiboot kernel (version 1, or else 2)?  MB_FOUND,
 * MB_NONE (also when it cannot be read: the plain loader then says why),
 * or MB_BAD after a "gdbvm: ..." line to err saying what is wrong with its
 * header. */
enum mb_scan_result mb_detect(const char *path, FILE *err);

struct mb_boot {
	const char *path;		/* the kernel */
	const char *append;		/* --append, or NULL */
	const char *const *modules;	/* --module FILE[,STRING] */
	unsigned nmodules;
	struct mb_limits lim;
	const struct mb_region *map;	/* the memory map the guest is told */
	unsigned nmap;
	uint64_t info_addr;		/* where the information structure goes */
	uint64_t info_size;		/* and the most it may take */
};

/* How a loaded kernel starts. */
struct mb_start {
	uint64_t entry;		/* EIP */
	uint32_t magic;		/* EAX: MB_BOOT_MAGIC or MB2_BOOT_MAGIC */
	int version;		/* 1 or 2 */
	bool is_elf;		/* loaded from an ELF file (gdb can read its symbols) */
};

/*
 * Load the kernel and its modules into RAM and write the information
 * structure (version 1 when the file has a version 1 header, else version
 * 2), filling *start.  On failure prints "gdbvm: ..." to err and returns
 * -errno (-ENOEXEC: a bad kernel, -ENOSPC: something does not fit, else
 * the failed file operation's).
 */
int mb_boot_load(struct guest_mem *mem, const struct mb_boot *b, struct mb_start *start,
		 FILE *err);

#endif
