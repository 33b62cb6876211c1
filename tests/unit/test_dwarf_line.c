/* test_dwarf_line.c - tests the DWARF line-table reader (vmm/dwarf_line.c)
 * on hand-built ELF files: every opcode, the DWARF 2-5 header shapes and
 * forms, 64-bit DWARF, and truncated, corrupt and missing tables. */
#include "dwarf_line.h"
#include "helpers.h"
#include "suites.h"
#include "tap.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- byte buffers */

struct buf {
	uint8_t b[4096];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void u8(struct buf *b, unsigned v)
{
	b->b[b->n++] = (uint8_t)v;
}

static void uint_le(struct buf *b, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		u8(b, (uint8_t)(v >> (8 * i)));
}

static void uleb(struct buf *b, uint64_t v)
{
	do {
		u8(b, (v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
}

static void sleb(struct buf *b, int64_t v)
{
	bool more = true;

	while (more) {
		uint8_t byte = v & 0x7f;

		v >>= 7;
		more = !((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40)));
		u8(b, byte | (more ? 0x80 : 0));
	}
}

static void str(struct buf *b, const char *s)
{
	put(b, s, strlen(s) + 1);
}

/* ---- ELF files with the given sections */

struct sec {
	const char *name;
	const struct buf *data;
	uint32_t type;
	uint64_t flags;
};

/* Header, section bytes, the name table, then the section headers. */
static size_t make_elf(uint8_t *out, bool is64, uint16_t type, const struct sec *secs,
		       unsigned n)
{
	size_t off = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t data_off[8], name_off[8], shstr_off, shstr_len = 1, shoff;
	unsigned nsh = n + 2;

	memset(out, 0, 65536);
	for (unsigned i = 0; i < n; i++) {
		data_off[i] = off;
		if (secs[i].type != SHT_NOBITS) {
			memcpy(out + off, secs[i].data->b, secs[i].data->n);
			off += secs[i].data->n;
		}
	}
	shstr_off = off;
	out[off++] = 0;
	for (unsigned i = 0; i < n; i++) {
		name_off[i] = shstr_len;
		memcpy(out + off, secs[i].name, strlen(secs[i].name) + 1);
		off += strlen(secs[i].name) + 1;
		shstr_len += strlen(secs[i].name) + 1;
	}
	name_off[n] = shstr_len;
	memcpy(out + off, ".shstrtab", 10);
	off += 10;
	shstr_len += 10;
	shoff = (off + 7) & ~(size_t)7;
	for (unsigned i = 0; i <= n; i++) {
		uint32_t t = i < n ? secs[i].type : SHT_STRTAB;
		uint64_t fl = i < n ? secs[i].flags : 0;
		uint64_t so = i < n ? data_off[i] : shstr_off;
		uint64_t sz = i < n ? secs[i].data->n : shstr_len;

		if (is64) {
			Elf64_Shdr s = { .sh_name = (uint32_t)name_off[i], .sh_type = t, .sh_flags = fl,
					 .sh_offset = so, .sh_size = sz };

			memcpy(out + shoff + (i + 1) * sizeof(s), &s, sizeof(s));
		} else {
			Elf32_Shdr s = { .sh_name = (uint32_t)name_off[i], .sh_type = t,
					 .sh_flags = (uint32_t)fl, .sh_offset = (uint32_t)so,
					 .sh_size = (uint32_t)sz };

			memcpy(out + shoff + (i + 1) * sizeof(s), &s, sizeof(s));
		}
	}
	if (is64) {
		Elf64_Ehdr h = { .e_type = type, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
				 .e_shoff = shoff, .e_ehsize = sizeof(h),
				 .e_shentsize = sizeof(Elf64_Shdr), .e_shnum = (uint16_t)nsh,
				 .e_shstrndx = (uint16_t)(n + 1) };

		memcpy(h.e_ident, ELFMAG, SELFMAG);
		h.e_ident[EI_CLASS] = ELFCLASS64;
		h.e_ident[EI_DATA] = ELFDATA2LSB;
		h.e_ident[EI_VERSION] = EV_CURRENT;
		memcpy(out, &h, sizeof(h));
		return shoff + nsh * sizeof(Elf64_Shdr);
	} else {
		Elf32_Ehdr h = { .e_type = type, .e_machine = EM_386, .e_version = EV_CURRENT,
				 .e_shoff = (uint32_t)shoff, .e_ehsize = sizeof(h),
				 .e_shentsize = sizeof(Elf32_Shdr), .e_shnum = (uint16_t)nsh,
				 .e_shstrndx = (uint16_t)(n + 1) };

		memcpy(h.e_ident, ELFMAG, SELFMAG);
		h.e_ident[EI_CLASS] = ELFCLASS32;
		h.e_ident[EI_DATA] = ELFDATA2LSB;
		h.e_ident[EI_VERSION] = EV_CURRENT;
		memcpy(out, &h, sizeof(h));
		return shoff + nsh * sizeof(Elf32_Shdr);
	}
}

static uint8_t elf[65536];
static char why[512];

/* Read an ELF with just these sections (ELF32 unless is64). */
static int read_secs(bool is64, const struct sec *secs, unsigned n, struct dwarf_lines *l)
{
	size_t len = make_elf(elf, is64, ET_EXEC, secs, n);

	why[0] = 0;
	return dwarf_lines_read(elf, len, "t.elf", l, why, sizeof(why));
}

static int read_line(const struct buf *line, struct dwarf_lines *l)
{
	struct sec s = { ".debug_line", line, SHT_PROGBITS, 0 };

	return read_secs(false, &s, 1, l);
}

/* ---- line-number programs */

/* The standard opcode lengths for opcode_base 13 (DWARF 3 and later). */
static const uint8_t std_lengths[12] = { 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1 };

struct unit_mark {
	size_t len_at, hdr_at;
	bool dwarf64;
};

/* Unit length and version (and the DWARF 5 sizes); then header_length. */
static struct unit_mark begin_unit(struct buf *b, unsigned version, bool dwarf64)
{
	struct unit_mark m = { .dwarf64 = dwarf64 };

	if (dwarf64)
		uint_le(b, 0xffffffff, 4);
	m.len_at = b->n;
	uint_le(b, 0, dwarf64 ? 8 : 4);
	uint_le(b, version, 2);
	if (version >= 5) {
		u8(b, 4);	/* address size */
		u8(b, 0);	/* segment selector size */
	}
	m.hdr_at = b->n;
	uint_le(b, 0, dwarf64 ? 8 : 4);
	return m;
}

/* The fixed header fields after header_length (opcode_base 13, or 14 with
 * one more opcode of two operands). */
static void params(struct buf *b, unsigned version, unsigned opcode_base)
{
	u8(b, 1);			/* minimum_instruction_length */
	if (version >= 4)
		u8(b, 1);		/* maximum_operations_per_instruction */
	u8(b, 1);			/* default_is_stmt */
	u8(b, (uint8_t)-5);		/* line_base */
	u8(b, 14);			/* line_range */
	u8(b, opcode_base);
	put(b, std_lengths, opcode_base - 1 < 12 ? opcode_base - 1 : 12);
	if (opcode_base == 14)
		u8(b, 2);
}

static void end_header(struct buf *b, const struct unit_mark *m)
{
	unsigned w = m->dwarf64 ? 8 : 4;
	size_t hdr = b->n - (m->hdr_at + w);

	for (unsigned i = 0; i < w; i++)
		b->b[m->hdr_at + i] = (uint8_t)(hdr >> (8 * i));
}

static void end_unit(struct buf *b, const struct unit_mark *m)
{
	unsigned w = m->dwarf64 ? 8 : 4;
	size_t len = b->n - (m->len_at + w);

	for (unsigned i = 0; i < w; i++)
		b->b[m->len_at + i] = (uint8_t)(len >> (8 * i));
}

static void set_address(struct buf *b, uint64_t a, unsigned size)
{
	u8(b, 0);
	uleb(b, 1 + size);
	u8(b, 2);
	uint_le(b, a, size);
}

static void end_sequence(struct buf *b)
{
	u8(b, 0);
	uleb(b, 1);
	u8(b, 1);
}

/* A special opcode advancing the address by a and the line by dl. */
static void special(struct buf *b, unsigned a, int dl, unsigned opcode_base)
{
	u8(b, (uint8_t)((dl + 5) + 14 * (int)a + (int)opcode_base));
}

/* A DWARF 2-4 table: directory "inc", files a.c (dir 0) and b.h (dir 1). */
static void tables_v2(struct buf *b)
{
	str(b, "inc");
	u8(b, 0);
	str(b, "a.c");
	uleb(b, 0), uleb(b, 0), uleb(b, 0);
	str(b, "b.h");
	uleb(b, 1), uleb(b, 7), uleb(b, 99);
	u8(b, 0);
}

/*
 * Every standard opcode and every extended one, in a DWARF 2-4 unit with
 * opcode_base 14 (opcode 13 is one the reader does not know, with two
 * operands).  The rows it makes are listed in want_all[].
 */
static void program_all(struct buf *b, unsigned version)
{
	struct unit_mark m = begin_unit(b, version, false);

	params(b, version, 14);
	tables_v2(b);
	end_header(b, &m);
	set_address(b, 0x1000, 4);
	u8(b, 1);				/* copy: 0x1000 line 1 a.c */
	u8(b, 2), uleb(b, 4);			/* advance_pc 4 */
	u8(b, 3), sleb(b, 9);			/* advance_line 9: line 10 */
	u8(b, 1);				/* copy: 0x1004 line 10 */
	u8(b, 4), uleb(b, 2);			/* set_file b.h */
	special(b, 2, 1, 14);			/* 0x1006 line 11 b.h */
	u8(b, 6);				/* negate_stmt */
	u8(b, 8);				/* const_add_pc: (255 - 14) / 14 = 17 */
	u8(b, 9), uint_le(b, 0x10, 2);		/* fixed_advance_pc 0x10: 0x1027 */
	u8(b, 5), uleb(b, 3);			/* set_column */
	u8(b, 7), u8(b, 10), u8(b, 11);		/* basic_block, prologue_end, epilogue_begin */
	u8(b, 12), uleb(b, 1);			/* set_isa */
	u8(b, 13), uleb(b, 300), uleb(b, 5);	/* unknown, two operands */
	u8(b, 0), uleb(b, 3), u8(b, 4), uleb(b, 300);	/* set_discriminator 300 */
	u8(b, 0), uleb(b, 3), u8(b, 0x80), u8(b, 1), u8(b, 2);	/* vendor opcode: skipped */
	u8(b, 0), uleb(b, 8), u8(b, 3);		/* define_file c.s, dir 1 */
	str(b, "c.s"), uleb(b, 1), uleb(b, 0), uleb(b, 0);
	u8(b, 4), uleb(b, 3);			/* set_file c.s */
	u8(b, 3), sleb(b, -4);			/* line 7 */
	u8(b, 1);				/* copy: 0x1027 line 7 c.s, not stmt */
	special(b, 0, -2, 14);			/* 0x1027 line 5 */
	end_sequence(b);			/* 0x1027 end */
	set_address(b, 0x2000, 4);
	special(b, 1, 0, 14);			/* 0x2001 line 1 a.c (state was reset) */
	u8(b, 2), uleb(b, 3);
	end_sequence(b);			/* 0x2004 end */
	end_unit(b, &m);
}

struct want_row {
	uint64_t addr;
	uint32_t line;
	const char *path;
	bool stmt, end;
};

static const struct want_row want_all[] = {
	{ 0x1000, 1, "/src/a.c", true, false },
	{ 0x1004, 10, "/src/a.c", true, false },
	{ 0x1006, 11, "/src/inc/b.h", true, false },
	{ 0x1027, 7, "/src/inc/c.s", false, false },
	{ 0x1027, 5, "/src/inc/c.s", false, false },
	{ 0x1027, 0, "/src/inc/c.s", false, true },
	{ 0x2001, 1, "/src/a.c", true, false },
	{ 0x2004, 0, "/src/a.c", true, true },
};

static void check_rows(const struct dwarf_lines *l, const struct want_row *w, size_t n,
		       const char *what)
{
	bool same = l->nrows == n;

	for (size_t i = 0; same && i < n; i++) {
		const struct dwarf_row *r = &l->rows[i];

		same = r->addr == w[i].addr && r->end_sequence == w[i].end &&
		       strcmp(l->files[r->file].path, w[i].path) == 0 &&
		       (w[i].end || (r->line == w[i].line && r->is_stmt == w[i].stmt));
		if (!same)
			CHECK(false, "%s: row %zu is 0x%llx line %u %s stmt %d end %d, expected 0x%llx "
			      "line %u %s", what, i, (unsigned long long)r->addr, r->line,
			      l->files[r->file].path, r->is_stmt, r->end_sequence,
			      (unsigned long long)w[i].addr, w[i].line, w[i].path);
	}
	CHECK(same, "%s: %zu rows as expected (got %zu)", what, n, l->nrows);
}

/* A .debug_info unit (DWARF 4) naming comp_dir for the line table at stmt. */
static void info_unit(struct buf *info, struct buf *abbrev, const char *comp_dir,
		      uint32_t stmt)
{
	size_t len_at;

	abbrev->n = 0;
	uleb(abbrev, 1), uleb(abbrev, 0x11), u8(abbrev, 0);	/* compile_unit, no children */
	uleb(abbrev, 0x03), uleb(abbrev, 0x08);		/* name: string */
	uleb(abbrev, 0x13), uleb(abbrev, 0x0b);		/* language: data1 */
	uleb(abbrev, 0x10), uleb(abbrev, 0x17);		/* stmt_list: sec_offset */
	uleb(abbrev, 0x1b), uleb(abbrev, 0x08);		/* comp_dir: string */
	uleb(abbrev, 0), uleb(abbrev, 0);
	uleb(abbrev, 0);
	len_at = info->n;
	uint_le(info, 0, 4);
	uint_le(info, 4, 2);
	uint_le(info, 0, 4);		/* abbrev offset */
	u8(info, 4);			/* address size */
	uleb(info, 1);
	str(info, "a.c");
	u8(info, 0x0c);
	uint_le(info, stmt, 4);
	str(info, comp_dir);
	uleb(info, 0);
	info->b[len_at] = (uint8_t)(info->n - len_at - 4);
}

static int read_with_info(const struct buf *line, struct dwarf_lines *l)
{
	static struct buf info, abbrev;
	struct sec s[3] = {
		{ ".debug_line", line, SHT_PROGBITS, 0 },
		{ ".debug_info", &info, SHT_PROGBITS, 0 },
		{ ".debug_abbrev", &abbrev, SHT_PROGBITS, 0 },
	};

	info.n = 0;
	info_unit(&info, &abbrev, "/src", 0);
	return read_secs(true, s, 3, l);
}

static void test_all_opcodes(void)
{
	static struct buf b;
	struct dwarf_lines l;

	for (unsigned v = 2; v <= 4; v++) {
		b.n = 0;
		program_all(&b, v);
		CHECK_ERR(read_with_info(&b, &l), 0, "DWARF %u: every opcode decodes (%s)", v, why);
		check_rows(&l, want_all, sizeof(want_all) / sizeof(want_all[0]),
			   v == 2 ? "DWARF 2" : v == 3 ? "DWARF 3" : "DWARF 4");
		CHECK_INT(l.nunits, 1, "DWARF %u: one unit", v);
		CHECK(l.nrows == 8 && strcmp(l.files[l.rows[2].file].rel, "inc/b.h") == 0 &&
		      strcmp(l.files[l.rows[0].file].rel, "a.c") == 0,
		      "DWARF %u: the paths without the compilation directory", v);
		dwarf_lines_free(&l);
	}
	/* Without .debug_info the comp dir is unknown: paths stay relative. */
	b.n = 0;
	program_all(&b, 4);
	CHECK_ERR(read_line(&b, &l), 0, "without .debug_info the table still reads");
	CHECK(l.nrows > 2 && strcmp(l.files[l.rows[2].file].path, "inc/b.h") == 0 &&
	      strcmp(l.files[l.rows[2].file].name, "b.h") == 0,
	      "without a compilation directory a path is directory/name");
	dwarf_lines_free(&l);
}

/*
 * DWARF 5 tables: directories as line_strp or strp (4 or 8 bytes), files
 * as string with the directory index as udata, data1 or data2 and an MD5
 * (data16).  Files: 0 "a.c" in dir 0 "/comp", 1 "x.h" in dir 1 "sub".
 */
static void program_v5(struct buf *b, struct buf *line_str, struct buf *strs, bool dwarf64,
		       unsigned dir_form, unsigned index_form)
{
	struct unit_mark m = begin_unit(b, 5, dwarf64);
	unsigned w = dwarf64 ? 8 : 4;
	struct buf *pool = dir_form == 0x1f ? line_str : strs;
	size_t comp_at, sub_at;

	params(b, 5, 13);
	pool->n = 0;
	str(pool, "junk");
	comp_at = pool->n;
	str(pool, "/comp");
	sub_at = pool->n;
	str(pool, "sub");
	u8(b, 1), uleb(b, 1), uleb(b, dir_form);		/* directories: path */
	uleb(b, 2);
	uint_le(b, comp_at, w);
	uint_le(b, sub_at, w);
	u8(b, 3);						/* files: path, dir, MD5 */
	uleb(b, 1), uleb(b, 0x08);
	uleb(b, 2), uleb(b, index_form);
	uleb(b, 5), uleb(b, 0x1e);
	uleb(b, 2);
	for (unsigned i = 0; i < 2; i++) {
		str(b, i ? "x.h" : "a.c");
		if (index_form == 0x0f)
			uleb(b, i);
		else
			uint_le(b, i, index_form == 0x0b ? 1 : 2);
		for (unsigned k = 0; k < 16; k++)
			u8(b, 0xa0 + k);
	}
	end_header(b, &m);
	set_address(b, 0x7000, 4);
	u8(b, 1);				/* 0x7000 line 1 x.h (file register starts at 1) */
	u8(b, 4), uleb(b, 0);			/* set_file 0: a.c */
	special(b, 3, 2, 13);			/* 0x7003 line 3 a.c */
	u8(b, 2), uleb(b, 2);
	end_sequence(b);			/* 0x7005 end */
	end_unit(b, &m);
}

static const struct want_row want_v5[] = {
	{ 0x7000, 1, "/comp/sub/x.h", true, false },
	{ 0x7003, 3, "/comp/a.c", true, false },
	{ 0x7005, 0, "/comp/a.c", true, true },
};

static void test_v5(void)
{
	static struct buf b, line_str, strs;
	static const struct { unsigned dir_form, index_form; bool dwarf64, elf64; } cases[] = {
		{ 0x1f, 0x0f, false, false }, { 0x0e, 0x0b, false, true },
		{ 0x1f, 0x05, true, true }, { 0x0e, 0x0f, true, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dwarf_lines l;
		struct sec s[3] = {
			{ ".debug_line", &b, SHT_PROGBITS, 0 },
			{ ".debug_line_str", &line_str, SHT_PROGBITS, 0 },
			{ ".debug_str", &strs, SHT_PROGBITS, 0 },
		};
		char what[96];

		b.n = line_str.n = strs.n = 0;
		program_v5(&b, &line_str, &strs, cases[i].dwarf64, cases[i].dir_form,
			   cases[i].index_form);
		snprintf(what, sizeof(what), "DWARF 5 (%s dirs, index form 0x%x, %s DWARF, ELF%s)",
			 cases[i].dir_form == 0x1f ? "line_strp" : "strp", cases[i].index_form,
			 cases[i].dwarf64 ? "64-bit" : "32-bit", cases[i].elf64 ? "64" : "32");
		CHECK_ERR(read_secs(cases[i].elf64, s, 3, &l), 0, "%s reads (%s)", what, why);
		check_rows(&l, want_v5, sizeof(want_v5) / sizeof(want_v5[0]), what);
		CHECK(l.nrows == 3 && strcmp(l.files[l.rows[0].file].rel, "sub/x.h") == 0 &&
		      strcmp(l.files[l.rows[1].file].rel, "a.c") == 0,
		      "%s: the paths without directory 0", what);
		dwarf_lines_free(&l);
	}
}

/* Truncating .debug_line anywhere gives an error naming file and section. */
static void test_truncation(void)
{
	static struct buf b, cut, line_str, strs;
	bool all_refused = true, all_named = true;
	struct dwarf_lines l;

	b.n = 0;
	program_v5(&b, &line_str, &strs, false, 0x1f, 0x0f);
	for (size_t k = 1; k < b.n; k++) {
		struct sec s[3] = {
			{ ".debug_line", &cut, SHT_PROGBITS, 0 },
			{ ".debug_line_str", &line_str, SHT_PROGBITS, 0 },
			{ ".debug_str", &strs, SHT_PROGBITS, 0 },
		};
		int e;

		memcpy(cut.b, b.b, k);
		cut.n = k;
		e = read_secs(false, s, 3, &l);
		all_refused &= e == -ENOEXEC;
		all_named &= strncmp(why, "t.elf: .debug_line: unit at offset 0x0 ", 39) == 0;
		if (!e)
			dwarf_lines_free(&l);
	}
	CHECK(all_refused, "a unit cut at any of its %zu bytes is refused", b.n);
	CHECK(all_named, "each refusal names the file, the section and the unit (last: %s)", why);

	/* The same with each unit length made to fit the cut: the program or
	 * header ends early instead. */
	all_refused = true;
	for (size_t k = 12; k < b.n; k++) {
		struct sec s[3] = {
			{ ".debug_line", &cut, SHT_PROGBITS, 0 },
			{ ".debug_line_str", &line_str, SHT_PROGBITS, 0 },
			{ ".debug_str", &strs, SHT_PROGBITS, 0 },
		};
		int e;

		memcpy(cut.b, b.b, k);
		cut.n = k;
		cut.b[0] = (uint8_t)(k - 4), cut.b[1] = cut.b[2] = cut.b[3] = 0;
		e = read_secs(false, s, 3, &l);
		if (e == 0)
			dwarf_lines_free(&l);	/* a cut between whole opcodes reads */
		else
			all_refused &= e == -ENOEXEC && strncmp(why, "t.elf: .debug_line: ", 20) == 0;
	}
	CHECK(all_refused, "a unit whose length matches a cut is read or cleanly refused");

	/* The whole file cut anywhere. */
	all_refused = true;
	{
		struct sec s[3] = {
			{ ".debug_line", &b, SHT_PROGBITS, 0 },
			{ ".debug_line_str", &line_str, SHT_PROGBITS, 0 },
			{ ".debug_str", &strs, SHT_PROGBITS, 0 },
		};
		size_t len = make_elf(elf, false, ET_EXEC, s, 3);

		for (size_t k = 0; k < len; k++) {
			uint8_t *copy = malloc(k ? k : 1);
			int e;

			memcpy(copy, elf, k);
			e = dwarf_lines_read(copy, k, "t.elf", &l, why, sizeof(why));
			all_refused &= e != 0 && strncmp(why, "t.elf: ", 7) == 0;
			if (!e)
				dwarf_lines_free(&l);
			free(copy);
		}
		CHECK(all_refused, "the ELF file cut at any of its %zu bytes is refused", len);
	}
}

/* One corrupt unit: its bytes, and what the message must say. */
static void expect_refusal(const struct buf *line, const char *needle, const char *name)
{
	struct dwarf_lines l;
	int e = read_line(line, &l);

	if (e == 0)
		dwarf_lines_free(&l);
	CHECK_ERR(e, -ENOEXEC, "%s is refused", name);
	CHECK_CONTAINS(why, needle, "%s: the message says so", name);
}

/* A DWARF 4 unit with one row, header fields patched by the caller. */
static size_t small_unit(struct buf *b, unsigned version)
{
	struct unit_mark m = begin_unit(b, version, false);

	params(b, version, 13);
	tables_v2(b);
	end_header(b, &m);
	set_address(b, 0x1000, 4);
	u8(b, 1);
	end_sequence(b);
	end_unit(b, &m);
	return m.hdr_at + 4;	/* where the fixed fields start */
}

static void test_corrupt(void)
{
	static struct buf b;
	struct dwarf_lines l;
	size_t p;

	b.n = 0;
	uint_le(&b, 0x7ffffff0, 4);
	uint_le(&b, 4, 2);
	expect_refusal(&b, "unit at offset 0x0 runs past the section end", "a unit longer than "
		       "the section");
	b.n = 0;
	small_unit(&b, 4);
	b.b[0] = 0xf5, memset(b.b + 1, 0xff, 3);
	expect_refusal(&b, "reserved length 0xfffffff5", "a reserved unit length");
	b.n = 0;
	uint_le(&b, 0, 4);
	expect_refusal(&b, "unit at offset 0x0 is empty (length 0)", "a zero-length unit");
	b.n = 0;
	small_unit(&b, 4);
	b.b[4] = 6;
	expect_refusal(&b, "has version 6", "version 6");
	b.b[4] = 1;
	expect_refusal(&b, "has version 1", "version 1");
	b.n = 0;
	small_unit(&b, 4);
	b.b[6] = 0xff, b.b[7] = 0x7f;
	expect_refusal(&b, "has a header (0x7fff bytes) longer than the unit", "a header length "
		       "past the unit");
	b.n = 0;
	p = small_unit(&b, 4);
	b.b[p + 4] = 0;
	expect_refusal(&b, "line range of 0", "line_range 0");
	b.n = 0;
	p = small_unit(&b, 4);
	b.b[p + 5] = 0;
	expect_refusal(&b, "opcode base of 0", "opcode_base 0");
	b.n = 0;
	p = small_unit(&b, 4);
	b.b[p + 1] = 0;
	expect_refusal(&b, "0 maximum operations", "maximum_operations_per_instruction 0");
	b.n = 0;
	p = small_unit(&b, 4);
	b.b[p + 5] = 200;
	expect_refusal(&b, "standard opcode lengths that run past its header", "opcode_base "
		       "past the header");

	/* A row in a file the table does not have; a directory it does not have. */
	b.n = 0;
	{
		struct unit_mark m = begin_unit(&b, 3, false);

		params(&b, 3, 13);
		tables_v2(&b);
		end_header(&b, &m);
		u8(&b, 4), uleb(&b, 9);
		u8(&b, 1);
		end_unit(&b, &m);
	}
	expect_refusal(&b, "has a row at 0x0 in file 9, but 2 files", "a row in file 9 of 2");
	b.n = 0;
	{
		struct unit_mark m = begin_unit(&b, 3, false);

		params(&b, 3, 13);
		tables_v2(&b);
		end_header(&b, &m);
		u8(&b, 4), uleb(&b, 0);
		u8(&b, 1);
		end_unit(&b, &m);
	}
	expect_refusal(&b, "in file 0, but 2 files", "a DWARF 3 row in file 0");
	b.n = 0;
	{
		struct unit_mark m = begin_unit(&b, 3, false);

		params(&b, 3, 13);
		u8(&b, 0);
		str(&b, "a.c"), uleb(&b, 3), uleb(&b, 0), uleb(&b, 0);
		u8(&b, 0);
		end_header(&b, &m);
		end_unit(&b, &m);
	}
	expect_refusal(&b, "has file \"a.c\" in directory 3, but 0 directories", "a file in a "
		       "directory that does not exist");

	/* Extended opcodes: length 0, past the unit, a 9-byte address. */
	for (int k = 0; k < 3; k++) {
		struct unit_mark m;

		b.n = 0;
		m = begin_unit(&b, 4, false);
		params(&b, 4, 13);
		tables_v2(&b);
		end_header(&b, &m);
		u8(&b, 0);
		if (k == 0)
			uleb(&b, 0);
		else if (k == 1)
			uleb(&b, 1000), u8(&b, 2);
		else
			uleb(&b, 10), u8(&b, 2), uint_le(&b, 0, 8), u8(&b, 0);
		end_unit(&b, &m);
		expect_refusal(&b, k == 0 ? "extended opcode of length 0" :
			       k == 1 ? "extended opcode at 0x" : "sets a 9-byte address",
			       k == 0 ? "an extended opcode of length 0" :
			       k == 1 ? "an extended opcode longer than the unit" :
					"a 9-byte address");
	}
	/* An operand cut by the unit's end. */
	b.n = 0;
	{
		struct unit_mark m = begin_unit(&b, 4, false);

		params(&b, 4, 13);
		tables_v2(&b);
		end_header(&b, &m);
		u8(&b, 2), u8(&b, 0x80);
		end_unit(&b, &m);
	}
	expect_refusal(&b, "has opcode 2 at 0x", "an advance_pc operand cut by the unit's end");

	/* Two good units, then garbage after them: the garbage is refused. */
	b.n = 0;
	small_unit(&b, 2);
	small_unit(&b, 3);
	CHECK_ERR(read_line(&b, &l), 0, "two units in a row read (%s)", why);
	CHECK_INT(l.nunits, 2, "two units");
	CHECK_INT(l.nrows, 4, "each with a row and an end row");
	CHECK_INT(l.nfiles, 1, "one file (a.c) named by both");
	dwarf_lines_free(&l);
	u8(&b, 1);
	expect_refusal(&b, "unit at offset 0x", "one byte after the last unit");
}

/* DWARF 5 headers that are corrupt or need what the reader lacks. */
static void test_v5_corrupt(void)
{
	static struct buf b, line_str, strs;
	struct dwarf_lines l;
	static const struct { uint64_t dirs, files; unsigned dir_form; const char *needle; } cases[] = {
		{ 1ull << 62, 1, 0x08, "claims 4611686018427387904 directory entries" },
		{ 1, 1ull << 40, 0x08, "claims 1099511627776 file entries" },
		{ 0, 0, 0x08, "has no directory 0" },
		{ 1, 1, 0x1a, "whose path has form 0x1a, which is not a string" },
		{ 1, 1, 0x99, "has an unknown form" },
		{ 1, 1, 0x1f, "refers to a string section the file does not have" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct unit_mark m;

		b.n = 0;
		m = begin_unit(&b, 5, false);
		params(&b, 5, 13);
		u8(&b, 1), uleb(&b, 1), uleb(&b, cases[i].dir_form);
		uleb(&b, cases[i].dirs);
		if (cases[i].dirs == 1) {
			if (cases[i].dir_form == 0x08)
				str(&b, "/d");
			else
				uleb(&b, 0), uint_le(&b, 0, 4);
		}
		u8(&b, 1), uleb(&b, 1), uleb(&b, 0x08);
		uleb(&b, cases[i].files);
		str(&b, "f.c");
		end_header(&b, &m);
		end_unit(&b, &m);
		expect_refusal(&b, cases[i].needle, cases[i].needle);
	}
	/* A file format with no path. */
	b.n = 0;
	{
		struct unit_mark m = begin_unit(&b, 5, false);

		params(&b, 5, 13);
		u8(&b, 1), uleb(&b, 1), uleb(&b, 0x08), uleb(&b, 1), str(&b, "/d");
		u8(&b, 1), uleb(&b, 2), uleb(&b, 0x0b), uleb(&b, 1), u8(&b, 0);
		end_header(&b, &m);
		end_unit(&b, &m);
	}
	expect_refusal(&b, "has file entries without a path", "file entries without a path");
	/* line_strp past .debug_line_str's end. */
	b.n = 0;
	program_v5(&b, &line_str, &strs, false, 0x1f, 0x0f);
	line_str.n = 3;
	{
		struct sec s[2] = { { ".debug_line", &b, SHT_PROGBITS, 0 },
				    { ".debug_line_str", &line_str, SHT_PROGBITS, 0 } };
		int e = read_secs(false, s, 2, &l);

		CHECK_ERR(e, -ENOEXEC, "a line_strp offset past .debug_line_str is refused");
		CHECK_CONTAINS(why, "string offset outside its string section", "and says so");
	}
}

/* The file around the table: stripped, not built with -g, relocatable... */
static void test_elf_level(void)
{
	static struct buf b, empty, sym;
	struct dwarf_lines l;
	size_t len;
	int e;

	b.n = 0;
	small_unit(&b, 4);
	{
		struct sec s[1] = { { ".text", &b, SHT_PROGBITS, 0 } };

		CHECK_ERR(read_secs(false, s, 1, &l), -ENODATA, "no .debug_line: -ENODATA");
		CHECK_STR(why, "t.elf: no .debug_line section (the file is stripped): build it with "
			  "-g (nasm: -g -F dwarf)", "and the message says the file is stripped");
	}
	{
		struct sec s[2] = { { ".text", &b, SHT_PROGBITS, 0 },
				    { ".symtab", &sym, SHT_SYMTAB, 0 } };

		CHECK_ERR(read_secs(true, s, 2, &l), -ENODATA, "symbols but no .debug_line: -ENODATA");
		CHECK_STR(why, "t.elf: no .debug_line section: build it with -g (nasm: -g -F dwarf)",
			  "and the message says to build with -g");
	}
	{
		struct sec s[1] = { { ".debug_line", &empty, SHT_PROGBITS, 0 } };

		CHECK_ERR(read_secs(false, s, 1, &l), -ENODATA, "an empty .debug_line: -ENODATA");
	}
	{
		struct sec s[1] = { { ".debug_line", &b, SHT_NOBITS, 0 } };

		CHECK_ERR(read_secs(false, s, 1, &l), -ENODATA, "a NOBITS .debug_line: -ENODATA");
		CHECK_CONTAINS(why, "SHT_NOBITS", "and the message says why");
	}
	{
		struct sec s[1] = { { ".debug_line", &b, SHT_PROGBITS, SHF_COMPRESSED } };

		CHECK_ERR(read_secs(false, s, 1, &l), -ENOEXEC, "a compressed .debug_line is refused");
		CHECK_CONTAINS(why, "compressed", "and the message says why");
	}
	{
		struct sec s[1] = { { ".debug_line", &b, SHT_PROGBITS, 0 } };

		len = make_elf(elf, false, ET_REL, s, 1);
		e = dwarf_lines_read(elf, len, "t.o", &l, why, sizeof(why));
		CHECK_ERR(e, -ENOEXEC, "a relocatable object is refused");
		CHECK_CONTAINS(why, "t.o: a relocatable object file", "and the message says why");
		len = make_elf(elf, true, ET_EXEC, s, 1);
		memset(elf + offsetof(Elf64_Ehdr, e_shoff), 0, 8);
		e = dwarf_lines_read(elf, len, "t.elf", &l, why, sizeof(why));
		CHECK_ERR(e, -ENODATA, "no section headers: -ENODATA");
		CHECK_CONTAINS(why, "no section headers", "and the message says so");
		len = make_elf(elf, true, ET_EXEC, s, 1);
		elf[offsetof(Elf64_Ehdr, e_shstrndx)] = 40;
		e = dwarf_lines_read(elf, len, "t.elf", &l, why, sizeof(why));
		CHECK_ERR(e, -ENOEXEC, "a section name table index out of range is refused");
		len = make_elf(elf, false, ET_EXEC, s, 1);
		elf[offsetof(Elf32_Ehdr, e_shnum)] = 0xff;
		e = dwarf_lines_read(elf, len, "t.elf", &l, why, sizeof(why));
		CHECK_ERR(e, -ENOEXEC, "a section count past the file's end is refused");
		CHECK_CONTAINS(why, "run past the file's end", "and the message says so");
	}
}

static void test_stmts(void)
{
	static struct buf b;
	struct dwarf_lines l;
	struct dwarf_stmt *s;
	size_t n;
	struct dwarf_range keep = { 0x1000, 0x1100 };

	b.n = 0;
	program_all(&b, 4);
	CHECK_ERR(read_with_info(&b, &l), 0, "the all-opcodes unit reads");
	CHECK_ERR(dwarf_lines_stmts(&l, NULL, 0, &s, &n), 0, "first instructions of every line");
	CHECK_INT(n, 4, "four is_stmt rows, four first instructions");
	CHECK(n == 4 && s[0].addr == 0x1000 && s[0].line == 1 && s[1].addr == 0x1004 &&
	      s[1].line == 10 && s[2].addr == 0x1006 && s[2].line == 11 &&
	      strcmp(l.files[s[2].file].path, "/src/inc/b.h") == 0 && s[3].addr == 0x2001,
	      "sorted by address, with their lines and files");
	free(s);
	CHECK_ERR(dwarf_lines_stmts(&l, &keep, 1, &s, &n), 0, "only sequences inside 0x1000-0x1100");
	CHECK(n == 3 && s[2].addr == 0x1006, "the sequence at 0x2000 is left out");
	free(s);
	keep.hi = 0x1020;
	CHECK_ERR(dwarf_lines_stmts(&l, &keep, 1, &s, &n), 0, "a range that cuts a sequence");
	CHECK_INT(n, 0, "a sequence partly outside every range is left out");
	free(s);
	dwarf_lines_free(&l);
}

void test_dwarf_line(void)
{
	tap_suite("dwarf_line");
	test_all_opcodes();
	test_v5();
	test_truncation();
	test_corrupt();
	test_v5_corrupt();
	test_elf_level();
	test_stmts();
}
