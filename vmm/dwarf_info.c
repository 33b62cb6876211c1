/*
 * dwarf_info.c - DW_AT_comp_dir and DW_AT_stmt_list of each compilation
 * unit (see dwarf_info.h).  Only the first DIE of each unit is read: its
 * abbreviation is looked up in .debug_abbrev and its attributes read in
 * turn, every form skipped by its size.
 */
#include "dwarf_info.h"

#include <errno.h>
#include <stdlib.h>

#define DW_AT_stmt_list 0x10
#define DW_AT_comp_dir 0x1b
#define DW_UT_type 0x02
#define DW_UT_skeleton 0x04
#define DW_UT_split_compile 0x05
#define DW_UT_split_type 0x06

struct cu_header {
	size_t off, end;		/* the unit's bytes in .debug_info */
	struct dwarf_unit_env env;
	uint64_t abbrev_off;
	bool skip;			/* a type unit: no line table of its own to name */
};

static int read_cu_header(const struct dwarf_sections *s, struct dcur *c, struct cu_header *h,
			  const struct dwarf_err *err)
{
	uint64_t len, x;
	uint16_t version;
	uint8_t unit_type = 1, addr_size = 0;

	h->off = c->pos;
	h->skip = false;
	h->env = (struct dwarf_unit_env){ .offset_size = 4, .str = &s->str,
					  .line_str = &s->line_str };
	if (!dcur_uint(c, 4, &len))
		return dwarf_fail(err, ".debug_info", "unit at offset 0x%zx runs past the section "
				  "end", h->off);
	if (len == 0xffffffff) {
		h->env.offset_size = 8;
		if (!dcur_uint(c, 8, &len))
			return dwarf_fail(err, ".debug_info", "unit at offset 0x%zx runs past the "
					  "section end", h->off);
	} else if (len >= 0xfffffff0) {
		return dwarf_fail(err, ".debug_info", "unit at offset 0x%zx has a reserved length "
				  "0x%llx", h->off, (unsigned long long)len);
	}
	if (len > dcur_left(c))
		return dwarf_fail(err, ".debug_info", "unit at offset 0x%zx runs past the section "
				  "end", h->off);
	h->end = c->pos + (size_t)len;
	c->limit = h->end;
	if (!dcur_u16(c, &version))
		return dwarf_fail(err, ".debug_info", "unit at offset 0x%zx is too short for its "
				  "header", h->off);
	if (version < 2 || version > 5)
		return dwarf_fail(err, ".debug_info", "unit at offset 0x%zx has version %u (2 to 5 "
				  "are read)", h->off, version);
	h->env.version = version;
	if (version == 5 && (!dcur_u8(c, &unit_type) || !dcur_u8(c, &addr_size)))
		return dwarf_fail(err, ".debug_info", "unit at offset 0x%zx is too short for its "
				  "header", h->off);
	if (!dcur_uint(c, h->env.offset_size, &h->abbrev_off) ||
	    (version < 5 && !dcur_u8(c, &addr_size)))
		return dwarf_fail(err, ".debug_info", "unit at offset 0x%zx is too short for its "
				  "header", h->off);
	if (addr_size < 1 || addr_size > 8)
		return dwarf_fail(err, ".debug_info", "unit at offset 0x%zx has an address size of "
				  "%u bytes", h->off, addr_size);
	h->env.addr_size = addr_size;
	if (version == 5 && (unit_type == DW_UT_skeleton || unit_type == DW_UT_split_compile) &&
	    !dcur_uint(c, 8, &x))
		return dwarf_fail(err, ".debug_info", "unit at offset 0x%zx is too short for its "
				  "header", h->off);
	h->skip = version == 5 && (unit_type == DW_UT_type || unit_type == DW_UT_split_type);
	return 0;
}

/* Leave a on the attribute list of abbreviation code in the table at off. */
static int find_abbrev(const struct dwarf_sections *s, uint64_t off, uint64_t code,
		       struct dcur *a, const struct dwarf_err *err)
{
	if (off >= s->abbrev.size)
		return dwarf_fail(err, ".debug_abbrev", "table offset 0x%llx is past the section "
				  "end%s", (unsigned long long)off,
				  s->abbrev.present ? "" : " (the file has no .debug_abbrev)");
	*a = (struct dcur){ &s->abbrev, (size_t)off, s->abbrev.size };
	for (;;) {
		uint64_t c, tag, attr, form;
		uint8_t children;
		int64_t implicit;

		if (!dcur_uleb(a, &c))
			goto truncated;
		if (c == 0)
			return dwarf_fail(err, ".debug_abbrev", "no abbreviation %llu in the table at "
					  "offset 0x%llx", (unsigned long long)code,
					  (unsigned long long)off);
		if (!dcur_uleb(a, &tag) || !dcur_u8(a, &children))
			goto truncated;
		if (c == code)
			return 0;
		do {
			if (!dcur_uleb(a, &attr) || !dcur_uleb(a, &form))
				goto truncated;
			if (form == DW_FORM_implicit_const && !dcur_sleb(a, &implicit))
				goto truncated;
		} while (attr != 0 || form != 0);
	}
truncated:
	return dwarf_fail(err, ".debug_abbrev", "the table at offset 0x%llx runs past the section "
			  "end", (unsigned long long)off);
}

/* Read the first DIE's attributes; set *has_stmt and d. */
static int read_cu_die(const struct dwarf_sections *s, struct dcur *c, const struct cu_header *h,
		       struct dwarf_cu_dir *d, bool *has_stmt, const struct dwarf_err *err)
{
	struct dcur a;
	uint64_t code, attr, form;
	int64_t implicit = 0;
	int e;

	*has_stmt = false;
	d->comp_dir = NULL;
	if (!dcur_uleb(c, &code))
		return dwarf_fail(err, ".debug_info", "unit at offset 0x%zx ends before its first "
				  "entry", h->off);
	if (code == 0)
		return 0;
	e = find_abbrev(s, h->abbrev_off, code, &a, err);
	if (e)
		return e;
	for (;;) {
		struct dwarf_value v;
		enum dwarf_form_status st;

		if (!dcur_uleb(&a, &attr) || !dcur_uleb(&a, &form) ||
		    (form == DW_FORM_implicit_const && !dcur_sleb(&a, &implicit)))
			return dwarf_fail(err, ".debug_abbrev", "the table at offset 0x%llx runs past "
					  "the section end", (unsigned long long)h->abbrev_off);
		if (attr == 0 && form == 0)
			return 0;
		st = dwarf_read_form(c, form, implicit, &h->env, &v);
		/* A comp dir in another file or behind an index stays unknown. */
		if (st != DF_OK)
			return dwarf_fail(err, ".debug_info", "attribute 0x%llx (form 0x%llx) of the "
					  "unit at offset 0x%zx %s", (unsigned long long)attr,
					  (unsigned long long)form, h->off, dwarf_form_problem(st));
		if (attr == DW_AT_stmt_list && v.kind == DV_UINT) {
			d->stmt_list = v.u;
			*has_stmt = true;
		} else if (attr == DW_AT_comp_dir && v.kind == DV_STR) {
			d->comp_dir = v.str;
		}
	}
}

int dwarf_info_comp_dirs(const struct dwarf_sections *s, struct dwarf_cu_dir **out,
			 size_t *n, const struct dwarf_err *err)
{
	struct dcur c = { &s->info, 0, s->info.size };
	struct dwarf_cu_dir *v = NULL;
	size_t cap = 0, count = 0;

	*out = NULL;
	*n = 0;
	while (s->info.present && c.pos < s->info.size) {
		struct cu_header h;
		struct dwarf_cu_dir d;
		bool has_stmt = false;
		int e;

		c.limit = s->info.size;
		e = read_cu_header(s, &c, &h, err);
		if (!e && !h.skip)
			e = read_cu_die(s, &c, &h, &d, &has_stmt, err);
		if (e) {
			free(v);
			return e;
		}
		if (has_stmt) {
			if (count == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				struct dwarf_cu_dir *nv = realloc(v, ncap * sizeof(*v));

				if (!nv) {
					free(v);
					return -ENOMEM;
				}
				v = nv;
				cap = ncap;
			}
			v[count++] = d;
		}
		c.pos = h.end;
	}
	*out = v;
	*n = count;
	return 0;
}
