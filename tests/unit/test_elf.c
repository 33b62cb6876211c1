/* test_elf.c - tests the ELF checks and segment loading (vmm/elf_loader.c, vmm/loader.c). */
#include "elf_loader.h"
#include "helpers.h"
#include "loader.h"
#include "suites.h"
#include "tap.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RAM_SIZE (64 * 1024)
#define FILE_MAX 4096

/* An ELF file under construction: header, program headers, then payload. */
struct elf_file {
	uint8_t bytes[FILE_MAX];
	size_t len;
	bool is64;
};

struct seg_spec {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
};

/* Build an executable for EM_386 (or x86-64) with the given segments; the
 * payload at 0x200 holds bytes i * 3 + 1. */
static void build(struct elf_file *f, bool is64, uint64_t entry, const struct seg_spec *segs,
		  unsigned nsegs)
{
	memset(f, 0, sizeof(*f));
	f->is64 = is64;
	f->len = 0x600;
	for (size_t i = 0x200; i < f->len; i++)
		f->bytes[i] = (uint8_t)(i * 3 + 1);
	if (is64) {
		Elf64_Ehdr h = { .e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
				 .e_entry = entry, .e_phoff = sizeof(Elf64_Ehdr),
				 .e_ehsize = sizeof(Elf64_Ehdr),
				 .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = (uint16_t)nsegs };

		memcpy(h.e_ident, ELFMAG, SELFMAG);
		h.e_ident[EI_CLASS] = ELFCLASS64;
		h.e_ident[EI_DATA] = ELFDATA2LSB;
		h.e_ident[EI_VERSION] = EV_CURRENT;
		memcpy(f->bytes, &h, sizeof(h));
		for (unsigned i = 0; i < nsegs; i++) {
			Elf64_Phdr p = { .p_type = segs[i].type, .p_offset = segs[i].offset,
					 .p_paddr = segs[i].paddr, .p_vaddr = segs[i].paddr,
					 .p_filesz = segs[i].filesz, .p_memsz = segs[i].memsz };

			memcpy(f->bytes + sizeof(h) + i * sizeof(p), &p, sizeof(p));
		}
	} else {
		Elf32_Ehdr h = { .e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT,
				 .e_entry = (uint32_t)entry, .e_phoff = sizeof(Elf32_Ehdr),
				 .e_ehsize = sizeof(Elf32_Ehdr),
				 .e_phentsize = sizeof(Elf32_Phdr), .e_phnum = (uint16_t)nsegs };

		memcpy(h.e_ident, ELFMAG, SELFMAG);
		h.e_ident[EI_CLASS] = ELFCLASS32;
		h.e_ident[EI_DATA] = ELFDATA2LSB;
		h.e_ident[EI_VERSION] = EV_CURRENT;
		memcpy(f->bytes, &h, sizeof(h));
		for (unsigned i = 0; i < nsegs; i++) {
			Elf32_Phdr p = { .p_type = segs[i].type, .p_offset = (uint32_t)segs[i].offset,
					 .p_paddr = (uint32_t)segs[i].paddr,
					 .p_vaddr = (uint32_t)segs[i].paddr,
					 .p_filesz = (uint32_t)segs[i].filesz,
					 .p_memsz = (uint32_t)segs[i].memsz };

			memcpy(f->bytes + sizeof(h) + i * sizeof(p), &p, sizeof(p));
		}
	}
}

/* Header fields patched after build(), by offset in the 32-bit layout. */
static void patch16(struct elf_file *f, size_t off, uint16_t v) { memcpy(f->bytes + off, &v, 2); }
static void patch32(struct elf_file *f, size_t off, uint32_t v) { memcpy(f->bytes + off, &v, 4); }

static int parse(const struct elf_file *f, struct elf_image *img, char *why)
{
	return elf_parse(f->bytes, f->len, RAM_SIZE, img, why, 256);
}

/* The file must be refused with a reason containing needle. */
static void refused(const struct elf_file *f, const char *needle, const char *what)
{
	struct elf_image img;
	char why[256] = "";

	CHECK_ERR(parse(f, &img, why), -ENOEXEC, "%s is refused", what);
	CHECK_CONTAINS(why, needle, "%s: the reason says '%s'", what, needle);
}

static const struct seg_spec two_segs[] = {
	{ PT_LOAD, 0x200, 0x1000, 0x100, 0x100 },
	{ PT_NOTE, 0x300, 0, 0x10, 0x10 },
	{ PT_LOAD, 0x300, 0x3000, 0x80, 0x180 },	/* 0x100 bytes of .bss */
};

static void test_parse_and_load(bool is64)
{
	const char *k = is64 ? "ELF64" : "ELF32";
	struct guest_mem mem = { 0 };
	struct elf_file f;
	struct elf_image img;
	uint8_t fill[0x100];
	char why[256];

	build(&f, is64, 0x1010, two_segs, 3);
	CHECK(elf_has_magic(f.bytes, f.len), "%s: the magic is recognised", k);
	CHECK_ERR(parse(&f, &img, why), 0, "%s: a two-segment executable is accepted", k);
	CHECK(img.is64 == is64, "%s: the class is recorded", k);
	CHECK_HEX(img.entry, 0x1010, "%s: the entry point is e_entry", k);
	CHECK_INT(img.nsegs, 2, "%s: only PT_LOAD segments are collected", k);
	CHECK_HEX(img.segs[1].paddr, 0x3000, "%s: segments keep their physical address", k);
	if (mem_alloc(&mem, RAM_SIZE)) {
		CHECK(0, "cannot allocate test RAM");
		return;
	}
	memset(mem.host, 0xaa, RAM_SIZE);
	CHECK_ERR(elf_load(&mem, f.bytes, f.len, &img), 0, "%s: the segments load", k);
	CHECK_MEM(mem.host + 0x1000, f.bytes + 0x200, 0x100, "%s: segment 0's bytes are in RAM", k);
	CHECK_MEM(mem.host + 0x3000, f.bytes + 0x300, 0x80, "%s: segment 1's file bytes are in RAM",
		  k);
	memset(fill, 0, sizeof(fill));
	CHECK_MEM(mem.host + 0x3080, fill, 0x100, "%s: the memsz tail is zeroed", k);
	CHECK_HEX(mem.host[0xfff], 0xaa, "%s: the byte before segment 0 is untouched", k);
	CHECK_HEX(mem.host[0x1100], 0xaa, "%s: the byte after segment 0 is untouched", k);
	CHECK_HEX(mem.host[0x3180], 0xaa, "%s: the byte after the tail is untouched", k);
	mem_free(&mem);
}

static void test_header_errors(void)
{
	struct elf_file f;

	build(&f, false, 0x1000, two_segs, 1);
	f.len = 10;
	refused(&f, "truncated ELF header", "a 10-byte file");
	build(&f, false, 0x1000, two_segs, 1);
	f.len = 40;
	refused(&f, "truncated ELF header", "a file shorter than the ELF32 header");
	build(&f, true, 0x1000, two_segs, 1);
	f.len = 60;
	refused(&f, "truncated ELF header", "a file shorter than the ELF64 header");

	build(&f, false, 0x1000, two_segs, 1);
	f.bytes[EI_CLASS] = 3;
	refused(&f, "unknown ELF class 3", "an unknown class");
	build(&f, false, 0x1000, two_segs, 1);
	f.bytes[EI_DATA] = ELFDATA2MSB;
	refused(&f, "not a little-endian", "a big-endian file");
	build(&f, false, 0x1000, two_segs, 1);
	f.bytes[EI_VERSION] = 2;
	refused(&f, "unknown ELF version 2", "an unknown ident version");

	build(&f, false, 0x1000, two_segs, 1);
	patch16(&f, offsetof(Elf32_Ehdr, e_machine), EM_ARM);
	refused(&f, "machine type 40 is not x86", "an ARM executable");
	build(&f, false, 0x1000, two_segs, 1);
	patch16(&f, offsetof(Elf32_Ehdr, e_type), ET_REL);
	refused(&f, "relocatable object", "an object file");
	build(&f, false, 0x1000, two_segs, 1);
	patch16(&f, offsetof(Elf32_Ehdr, e_type), ET_DYN);
	refused(&f, "position-independent", "a PIE");
	build(&f, false, 0x1000, two_segs, 1);
	patch16(&f, offsetof(Elf32_Ehdr, e_type), ET_CORE);
	refused(&f, "core dump", "a core dump");

	build(&f, false, 0x1000, two_segs, 0);
	refused(&f, "no program headers", "a file without program headers");
	build(&f, false, 0x1000, two_segs, 1);
	patch16(&f, offsetof(Elf32_Ehdr, e_phentsize), 20);
	refused(&f, "program header size is 20", "a wrong program header size");
	build(&f, false, 0x1000, two_segs, 1);
	patch32(&f, offsetof(Elf32_Ehdr, e_phoff), 0x5f0);
	refused(&f, "program headers at 0x5f0 run past", "program headers past the end");
	build(&f, false, 0x1000, two_segs, 1);
	patch32(&f, offsetof(Elf32_Ehdr, e_phoff), 0xfffffff0);
	refused(&f, "program headers at 0xfffffff0", "a program header offset near 4G");
	build(&f, false, 0x1000, two_segs, 1);
	patch16(&f, offsetof(Elf32_Ehdr, e_phnum), PN_XNUM);
	refused(&f, "too many program headers", "e_phnum = PN_XNUM");
}

static void test_segment_errors(void)
{
	struct elf_file f;
	struct seg_spec s;

	s = (struct seg_spec){ PT_LOAD, 0x200, 0x1000, 0x200, 0x100 };
	build(&f, false, 0x1000, &s, 1);
	refused(&f, "more file bytes (0x200) than memory bytes (0x100)", "filesz > memsz");
	s = (struct seg_spec){ PT_LOAD, 0x500, 0x1000, 0x200, 0x200 };
	build(&f, false, 0x1000, &s, 1);
	refused(&f, "segment 0 (file offset 0x500, 0x200 bytes) runs past its end",
		"a segment running past the end of the file");
	s = (struct seg_spec){ PT_LOAD, 0xffffff00, 0x1000, 0x200, 0x200 };
	build(&f, false, 0x1000, &s, 1);
	refused(&f, "runs past its end", "a segment offset near 4G");
	s = (struct seg_spec){ PT_LOAD, 0x200, RAM_SIZE - 0x80, 0x100, 0x100 };
	build(&f, false, 0x1000, &s, 1);
	refused(&f, "lies outside guest RAM (0x10000 bytes)", "a segment crossing the end of RAM");
	s = (struct seg_spec){ PT_LOAD, 0x200, RAM_SIZE - 0x100, 0x100, 0x101 };
	build(&f, false, 0x1000, &s, 1);
	refused(&f, "outside guest RAM", "a .bss tail crossing the end of RAM");
	s = (struct seg_spec){ PT_LOAD, 0x200, UINT64_C(0xfffffffffffff000), 0x100, 0x2000 };
	build(&f, true, 0x1000, &s, 1);
	refused(&f, "outside guest RAM", "an ELF64 segment whose end wraps around 2^64");
	s = (struct seg_spec){ PT_LOAD, 0x200, 0, 0, UINT64_C(0xffffffffffffffff) };
	build(&f, true, 0x1000, &s, 1);
	refused(&f, "outside guest RAM", "an ELF64 segment of 2^64-1 bytes");

	const struct seg_spec overlap[] = {
		{ PT_LOAD, 0x200, 0x1000, 0x100, 0x100 },
		{ PT_LOAD, 0x300, 0x10ff, 0x10, 0x10 },
	};
	build(&f, false, 0x1000, overlap, 2);
	refused(&f, "segments at 0x1000 and 0x10ff overlap", "overlapping segments");

	s = (struct seg_spec){ PT_NOTE, 0x200, 0x1000, 0x10, 0x10 };
	build(&f, false, 0x1000, &s, 1);
	refused(&f, "no loadable (PT_LOAD) segment", "a file with only a note");
	s = (struct seg_spec){ PT_LOAD, 0x200, 0x1000, 0, 0 };
	build(&f, false, 0x1000, &s, 1);
	refused(&f, "no loadable", "a file whose only PT_LOAD is empty");

	struct seg_spec many[ELF_MAX_SEGMENTS + 1];
	for (unsigned i = 0; i <= ELF_MAX_SEGMENTS; i++)
		many[i] = (struct seg_spec){ PT_LOAD, 0x200, 0x1000 + i * 0x10, 0x10, 0x10 };
	build(&f, false, 0x1000, many, ELF_MAX_SEGMENTS);
	{
		struct elf_image img;
		char why[256];

		CHECK_ERR(parse(&f, &img, why), 0, "%d loadable segments are accepted",
			  ELF_MAX_SEGMENTS);
	}
	build(&f, false, 0x1000, many, ELF_MAX_SEGMENTS + 1);
	refused(&f, "more than 32 loadable segments", "one segment too many");
}

/* Through load_guest_file: dispatch on the magic, messages name the file,
 * and an ELF file may be larger than RAM (its debug sections stay out). */
static void test_load_guest_file(void)
{
	struct guest_mem mem = { 0 };
	struct guest_image info;
	struct capture err;
	struct elf_file f;
	struct seg_spec s = { PT_LOAD, 0x200, 0x2000, 0x100, 0x100 };
	uint8_t *big;
	char path[32];
	int e;

	if (mem_alloc(&mem, RAM_SIZE)) {
		CHECK(0, "cannot allocate test RAM");
		return;
	}
	big = calloc(1, RAM_SIZE * 2);
	build(&f, false, 0x2004, &s, 1);
	memcpy(big, f.bytes, f.len);
	if (!CHECK(temp_file(path, big, RAM_SIZE * 2) == 0, "a temporary ELF file can be made"))
		goto out;
	capture_open(&err);
	e = load_guest_file(&mem, path, 0x1000, &info, err.f);
	CHECK_ERR(e, 0, "an ELF file twice the size of RAM loads (only its segment goes in)");
	CHECK(info.is_elf, "it is reported as ELF");
	CHECK_HEX(info.entry, 0x2004, "its entry point is reported");
	CHECK_MEM(mem.host + 0x2000, f.bytes + 0x200, 0x100, "its segment is at 0x2000");
	CHECK_HEX(mem.host[0x1000], 0, "nothing is loaded at the flat-binary load address");
	CHECK_STR(capture_text(&err), "", "a successful ELF load prints nothing");
	capture_close(&err);
	unlink(path);

	patch16(&f, offsetof(Elf32_Ehdr, e_machine), EM_ARM);
	if (!CHECK(temp_file(path, f.bytes, f.len) == 0, "a temporary ELF file can be made"))
		goto out;
	capture_open(&err);
	e = load_guest_file(&mem, path, 0x1000, &info, err.f);
	CHECK_ERR(e, -ENOEXEC, "a malformed ELF file is -ENOEXEC");
	CHECK_CONTAINS(capture_text(&err), path, "the message names the file");
	CHECK_CONTAINS(capture_text(&err), "is not x86", "the message says why");
	capture_close(&err);
	unlink(path);

	if (!CHECK(temp_file(path, (const uint8_t *)"\177EL", 3) == 0, "a 3-byte file can be made"))
		goto out;
	capture_open(&err);
	e = load_guest_file(&mem, path, 0x1000, &info, err.f);
	CHECK_ERR(e, 0, "a 3-byte file with part of the magic loads as a flat binary");
	CHECK(!info.is_elf, "it is not taken for ELF");
	capture_close(&err);
	unlink(path);
out:
	free(big);
	mem_free(&mem);
}

void test_elf(void)
{
	tap_suite("elf");
	test_parse_and_load(false);
	test_parse_and_load(true);
	test_header_errors();
	test_segment_errors();
	test_load_guest_file();
}
