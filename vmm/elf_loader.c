/*
 * elf_loader.c - ELF executables for x86 guests: header checks, the PT_LOAD
 * segment list, and copying segments into guest RAM (see elf_loader.h).
 *
 * ELF32 and ELF64 headers are read into one common shape first, so the
 * checks below are written once.  gdbvm only runs on x86 hosts, which are
 * little-endian like the files it accepts, so fields are copied as they
 * are (memcpy, never a cast of the buffer: it need not be aligned).
 */
#include "refuse.h"
#include "elf_loader.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct ehdr_common {
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff;
	uint16_t ehsize, phentsize, phnum;
};

struct phdr_common {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz, vaddr;
};

bool elf_has_magic(const uint8_t *file, size_t len)
{
	return len >= SELFMAG && memcmp(file, ELFMAG, SELFMAG) == 0;
}

static void read_ehdr(const uint8_t *file, bool is64, struct ehdr_common *h)
{
	if (is64) {
		Elf64_Ehdr e;

		memcpy(&e, file, sizeof(e));
		*h = (struct ehdr_common){ e.e_type, e.e_machine, e.e_version, e.e_entry,
					   e.e_phoff, e.e_ehsize, e.e_phentsize, e.e_phnum };
	} else {
		Elf32_Ehdr e;

		memcpy(&e, file, sizeof(e));
		*h = (struct ehdr_common){ e.e_type, e.e_machine, e.e_version, e.e_entry,
					   e.e_phoff, e.e_ehsize, e.e_phentsize, e.e_phnum };
	}
}

static void read_phdr(const uint8_t *p, bool is64, struct phdr_common *ph)
{
	if (is64) {
		Elf64_Phdr e;

		memcpy(&e, p, sizeof(e));
		*ph = (struct phdr_common){ e.p_type, e.p_offset, e.p_paddr, e.p_filesz,
					    e.p_memsz, e.p_vaddr };
	} else {
		Elf32_Phdr e;

		memcpy(&e, p, sizeof(e));
		*ph = (struct phdr_common){ e.p_type, e.p_offset, e.p_paddr, e.p_filesz,
					    e.p_memsz, e.p_vaddr };
	}
}

static const char *type_name(uint16_t type)
{
	switch (type) {
	case ET_REL:
		return "a relocatable object file (link it into an executable first)";
	case ET_DYN:
		return "a position-independent or shared object (link it with -no-pie "
		       "at a fixed address)";
	case ET_CORE:
		return "a core dump";
	default:
		return "not an executable";
	}
}

static int check_ident(const uint8_t *file, size_t len, char *why, size_t whylen)
{
	if (len < EI_NIDENT)
		return refuse(why, whylen, "truncated ELF header (%zu bytes)", len);
	if (file[EI_CLASS] != ELFCLASS32 && file[EI_CLASS] != ELFCLASS64)
		return refuse(why, whylen, "unknown ELF class %u (expected 32- or 64-bit)",
			      file[EI_CLASS]);
	if (file[EI_DATA] != ELFDATA2LSB)
		return refuse(why, whylen, "not a little-endian ELF file (x86 is little-endian)");
	if (file[EI_VERSION] != EV_CURRENT)
		return refuse(why, whylen, "unknown ELF version %u", file[EI_VERSION]);
	return 0;
}

static int check_header(const struct ehdr_common *h, bool is64, size_t len, char *why,
			size_t whylen)
{
	size_t phent = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);

	if (h->machine != EM_386 && h->machine != EM_X86_64)
		return refuse(why, whylen, "ELF machine type %u is not x86 (expected EM_386 or "
			      "EM_X86_64)", h->machine);
	if (h->type != ET_EXEC)
		return refuse(why, whylen, "ELF file is %s", type_name(h->type));
	if (h->version != EV_CURRENT)
		return refuse(why, whylen, "unknown ELF version %u", h->version);
	if (h->phnum == 0)
		return refuse(why, whylen, "ELF file has no program headers");
	if (h->phnum == PN_XNUM)
		return refuse(why, whylen, "ELF file has too many program headers");
	if (h->phentsize != phent)
		return refuse(why, whylen, "ELF program header size is %u bytes, expected %zu",
			      h->phentsize, phent);
	if (h->phoff > len || (uint64_t)h->phnum * phent > len - h->phoff)
		return refuse(why, whylen, "truncated ELF file: program headers at 0x%llx run "
			      "past its end (%zu bytes)", (unsigned long long)h->phoff, len);
	return 0;
}

static int check_segment(const struct phdr_common *ph, unsigned idx, size_t len,
			 uint64_t ram_size, char *why, size_t whylen)
{
	if (ph->filesz > ph->memsz)
		return refuse(why, whylen, "ELF segment %u has more file bytes (0x%llx) than "
			      "memory bytes (0x%llx)", idx, (unsigned long long)ph->filesz,
			      (unsigned long long)ph->memsz);
	if (ph->offset > len || ph->filesz > len - ph->offset)
		return refuse(why, whylen, "truncated ELF file: segment %u (file offset 0x%llx, "
			      "0x%llx bytes) runs past its end (%zu bytes)", idx,
			      (unsigned long long)ph->offset, (unsigned long long)ph->filesz, len);
	if (ph->paddr > ram_size || ph->memsz > ram_size - ph->paddr)
		return refuse(why, whylen, "ELF segment %u at physical address 0x%llx "
			      "(0x%llx bytes) lies outside guest RAM (0x%llx bytes)", idx,
			      (unsigned long long)ph->paddr, (unsigned long long)ph->memsz,
			      (unsigned long long)ram_size);
	return 0;
}

static int check_overlaps(const struct elf_image *img, char *why, size_t whylen)
{
	for (unsigned i = 0; i < img->nsegs; i++)
		for (unsigned j = i + 1; j < img->nsegs; j++) {
			const struct elf_segment *a = &img->segs[i], *b = &img->segs[j];

			if (a->paddr < b->paddr + b->memsz && b->paddr < a->paddr + a->memsz)
				return refuse(why, whylen, "ELF loadable segments at 0x%llx and "
					      "0x%llx overlap", (unsigned long long)a->paddr,
					      (unsigned long long)b->paddr);
		}
	return 0;
}

int elf_parse(const uint8_t *file, size_t len, uint64_t ram_size, struct elf_image *img,
	      char *why, size_t whylen)
{
	struct ehdr_common h;
	size_t phent;
	int e;

	*img = (struct elf_image){ 0 };
	e = check_ident(file, len, why, whylen);
	if (e)
		return e;
	img->is64 = file[EI_CLASS] == ELFCLASS64;
	if (len < (img->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return refuse(why, whylen, "truncated ELF header (%zu bytes)", len);
	read_ehdr(file, img->is64, &h);
	e = check_header(&h, img->is64, len, why, whylen);
	if (e)
		return e;
	img->entry = h.entry;
	phent = h.phentsize;
	for (unsigned i = 0; i < h.phnum; i++) {
		struct phdr_common ph;

		read_phdr(file + h.phoff + (size_t)i * phent, img->is64, &ph);
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		e = check_segment(&ph, i, len, ram_size, why, whylen);
		if (e)
			return e;
		if (img->nsegs == ELF_MAX_SEGMENTS)
			return refuse(why, whylen, "ELF file has more than %d loadable segments",
				      ELF_MAX_SEGMENTS);
		img->segs[img->nsegs++] = (struct elf_segment){ ph.paddr, ph.offset, ph.filesz,
								ph.memsz, ph.vaddr };
	}
	if (img->nsegs == 0)
		return refuse(why, whylen, "ELF file has no loadable (PT_LOAD) segment");
	return check_overlaps(img, why, whylen);
}

int elf_load(struct guest_mem *mem, const uint8_t *file, size_t len,
	     const struct elf_image *img)
{
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];
		uint8_t *dst = mem_ptr(mem, s->paddr, s->memsz);

		/* elf_parse checked both; checking again costs nothing. */
		if (!dst || s->offset > len || s->filesz > len - s->offset || s->filesz > s->memsz)
			return -EFAULT;
		memcpy(dst, file + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	return 0;
}
