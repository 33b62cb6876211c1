/*
 * dwarf_elf.c - the section headers of an ELF file and the DWARF sections
 * among them (see dwarf_elf.h).
 *
 * The loader (elf_loader.c) reads program headers only; this reads the
 * section headers, which a program does not need to run and a stripped
 * file may lack.  Both widths are read into one shape first.
 */
#include "dwarf_elf.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct shdr {
	uint32_t name, type;
	uint64_t flags, offset, size;
	uint32_t link;
};

static int fail_elf(const struct dwarf_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_elf(const struct dwarf_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err->why, err->whylen, "%s: ", err->file);
	if (n >= 0 && (size_t)n < err->whylen) {
		va_start(ap, fmt);
		vsnprintf(err->why + n, err->whylen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return code;
}

static void read_shdr(const uint8_t *p, bool is64, struct shdr *sh)
{
	if (is64) {
		Elf64_Shdr s;

		memcpy(&s, p, sizeof(s));
		*sh = (struct shdr){ s.sh_name, s.sh_type, s.sh_flags, s.sh_offset, s.sh_size,
				     s.sh_link };
	} else {
		Elf32_Shdr s;

		memcpy(&s, p, sizeof(s));
		*sh = (struct shdr){ s.sh_name, s.sh_type, s.sh_flags, s.sh_offset, s.sh_size,
				     s.sh_link };
	}
}

struct elf_view {
	const uint8_t *file;
	size_t len;
	bool is64;
	uint64_t shoff, shnum;
	unsigned shentsize;
	unsigned shstrndx;
};

static int read_header(struct elf_view *v, const struct dwarf_err *err)
{
	uint16_t type, machine, shentsize, shnum, shstrndx;
	uint64_t shoff;

	if (v->len < EI_NIDENT || memcmp(v->file, ELFMAG, SELFMAG) != 0)
		return fail_elf(err, -ENOEXEC, "not an ELF file");
	if (v->file[EI_CLASS] != ELFCLASS32 && v->file[EI_CLASS] != ELFCLASS64)
		return fail_elf(err, -ENOEXEC, "unknown ELF class %u", v->file[EI_CLASS]);
	if (v->file[EI_DATA] != ELFDATA2LSB)
		return fail_elf(err, -ENOEXEC, "not a little-endian ELF file");
	v->is64 = v->file[EI_CLASS] == ELFCLASS64;
	if (v->len < (v->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return fail_elf(err, -ENOEXEC, "truncated ELF header");
	if (v->is64) {
		Elf64_Ehdr h;

		memcpy(&h, v->file, sizeof(h));
		type = h.e_type, machine = h.e_machine, shoff = h.e_shoff;
		shentsize = h.e_shentsize, shnum = h.e_shnum, shstrndx = h.e_shstrndx;
	} else {
		Elf32_Ehdr h;

		memcpy(&h, v->file, sizeof(h));
		type = h.e_type, machine = h.e_machine, shoff = h.e_shoff;
		shentsize = h.e_shentsize, shnum = h.e_shnum, shstrndx = h.e_shstrndx;
	}
	if (machine != EM_386 && machine != EM_X86_64)
		return fail_elf(err, -ENOEXEC, "ELF machine type %u is not x86", machine);
	if (type == ET_REL)
		return fail_elf(err, -ENOEXEC, "a relocatable object file: the addresses in its "
				"line table are not final (link it first)");
	if (shoff == 0)
		return fail_elf(err, -ENODATA, "no section headers (a stripped file?), so no "
				".debug_line line table");
	if (shentsize != (v->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)))
		return fail_elf(err, -ENOEXEC, "ELF section header size is %u bytes, expected %zu",
				shentsize, v->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr));
	if (shoff > v->len || v->len - shoff < shentsize)
		return fail_elf(err, -ENOEXEC, "section headers at 0x%llx lie past the file's "
				"end (%zu bytes)", (unsigned long long)shoff, v->len);
	v->shoff = shoff;
	v->shentsize = shentsize;
	v->shnum = shnum;
	v->shstrndx = shstrndx;
	return 0;
}

/* Section 0 holds the counts that do not fit the header (ELF gABI). */
static int read_table(struct elf_view *v, const struct dwarf_err *err)
{
	struct shdr s0;

	read_shdr(v->file + v->shoff, v->is64, &s0);
	if (v->shnum == 0)
		v->shnum = s0.size;
	if (v->shstrndx == SHN_XINDEX)
		v->shstrndx = s0.link;
	if (v->shnum == 0)
		return fail_elf(err, -ENODATA, "no section headers (a stripped file?), so no "
				".debug_line line table");
	if (v->shnum > (v->len - v->shoff) / v->shentsize)
		return fail_elf(err, -ENOEXEC, "%llu section headers at 0x%llx run past the "
				"file's end (%zu bytes)", (unsigned long long)v->shnum,
				(unsigned long long)v->shoff, v->len);
	if (v->shstrndx == SHN_UNDEF || v->shstrndx >= v->shnum)
		return fail_elf(err, -ENOEXEC, "section name table index %u is out of range "
				"(%llu sections)", v->shstrndx, (unsigned long long)v->shnum);
	return 0;
}

static bool in_file(const struct elf_view *v, const struct shdr *sh)
{
	return sh->offset <= v->len && sh->size <= v->len - sh->offset;
}

static struct dwarf_sect *wanted(struct dwarf_sections *out, const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} table[] = {
		{ ".debug_line", offsetof(struct dwarf_sections, line) },
		{ ".debug_line_str", offsetof(struct dwarf_sections, line_str) },
		{ ".debug_str", offsetof(struct dwarf_sections, str) },
		{ ".debug_info", offsetof(struct dwarf_sections, info) },
		{ ".debug_abbrev", offsetof(struct dwarf_sections, abbrev) },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(name, table[i].name) == 0)
			return (struct dwarf_sect *)((char *)out + table[i].off);
	return NULL;
}

static int take(const struct elf_view *v, const struct shdr *sh, struct dwarf_sect *s,
		const char *name, const struct dwarf_err *err)
{
	if (s->present)
		return 0;	/* the first of two with one name counts */
	if (sh->flags & SHF_COMPRESSED)
		return fail_elf(err, -ENOEXEC, "%s is compressed (SHF_COMPRESSED), which gdbvm "
				"does not read: link without --compress-debug-sections", name);
	if (sh->type == SHT_NOBITS) {
		if (strcmp(name, ".debug_line") != 0)
			return 0;	/* an absent string section is reported where it is used */
		return fail_elf(err, -ENODATA, ".debug_line has no bytes in the file "
				"(SHT_NOBITS: the debug information was moved elsewhere)");
	}
	if (!in_file(v, sh))
		return fail_elf(err, -ENOEXEC, "section %s (offset 0x%llx, 0x%llx bytes) runs "
				"past the file's end (%zu bytes)", name,
				(unsigned long long)sh->offset, (unsigned long long)sh->size, v->len);
	s->data = v->file + sh->offset;
	s->size = (size_t)sh->size;
	s->present = true;
	return 0;
}

int dwarf_elf_sections(const uint8_t *file, size_t len, struct dwarf_sections *out,
		       const struct dwarf_err *err)
{
	struct elf_view v = { .file = file, .len = len };
	struct shdr strtab;
	bool symtab = false;
	int e;

	*out = (struct dwarf_sections){
		.line = { .name = ".debug_line" }, .line_str = { .name = ".debug_line_str" },
		.str = { .name = ".debug_str" }, .info = { .name = ".debug_info" },
		.abbrev = { .name = ".debug_abbrev" },
	};
	e = read_header(&v, err);
	if (!e)
		e = read_table(&v, err);
	if (e)
		return e;
	out->is64 = v.is64;
	read_shdr(file + v.shoff + (size_t)v.shstrndx * v.shentsize, v.is64, &strtab);
	if (strtab.type == SHT_NOBITS || !in_file(&v, &strtab))
		return fail_elf(err, -ENOEXEC, "the section name table (offset 0x%llx, 0x%llx "
				"bytes) is not inside the file (%zu bytes)",
				(unsigned long long)strtab.offset, (unsigned long long)strtab.size,
				len);
	for (uint64_t i = 1; i < v.shnum; i++) {
		struct shdr sh;
		const char *name;
		struct dwarf_sect *s;

		read_shdr(file + v.shoff + (size_t)i * v.shentsize, v.is64, &sh);
		if (sh.name >= strtab.size ||
		    !memchr(file + strtab.offset + sh.name, 0, strtab.size - sh.name))
			return fail_elf(err, -ENOEXEC, "section %llu's name (offset 0x%x) is not a "
					"string in the section name table", (unsigned long long)i,
					sh.name);
		name = (const char *)file + strtab.offset + sh.name;
		symtab |= sh.type == SHT_SYMTAB;
		s = wanted(out, name);
		if (s) {
			e = take(&v, &sh, s, name, err);
			if (e)
				return e;
		}
	}
	if (!out->line.present)
		return fail_elf(err, -ENODATA, "no .debug_line section%s: build it with -g "
				"(nasm: -g -F dwarf)", symtab ? "" : " (the file is stripped)");
	if (out->line.size == 0)
		return fail_elf(err, -ENODATA, "the .debug_line section is empty");
	return 0;
}
