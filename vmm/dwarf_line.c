/*
 * dwarf_line.c - decoding .debug_line into rows and the first
 * instruction of each line (see dwarf_line.h).
 *
 * One unit at a time: its header (the state machine's parameters, the
 * directory and file tables in the DWARF 2-4 or the DWARF 5 shape), then
 * its program run on the state machine of DWARF 5 section 6.2.  A file's
 * path is built the first time a row names it and is interned, so the
 * rows of every unit share one file list.
 */
#include "dwarf_line.h"
#include "dwarf_elf.h"
#include "dwarf_info.h"
#include "dwarf_read.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	DW_LNS_copy = 1, DW_LNS_advance_pc, DW_LNS_advance_line, DW_LNS_set_file,
	DW_LNS_set_column, DW_LNS_negate_stmt, DW_LNS_set_basic_block, DW_LNS_const_add_pc,
	DW_LNS_fixed_advance_pc, DW_LNS_set_prologue_end, DW_LNS_set_epilogue_begin,
	DW_LNS_set_isa,
};
enum { DW_LNE_end_sequence = 1, DW_LNE_set_address, DW_LNE_define_file,
       DW_LNE_set_discriminator };
enum { DW_LNCT_path = 1, DW_LNCT_directory_index };

/* A file table entry: strings point into the ELF file's bytes. */
struct fentry {
	const char *name;
	uint64_t dir;
	int64_t global;		/* index in the output's files, -1 until a row names it */
};

struct unit {
	size_t off, prog, end;		/* offsets in .debug_line */
	struct dwarf_unit_env env;
	uint8_t min_inst, max_ops, line_range, opcode_base;
	bool default_is_stmt;
	int8_t line_base;
	size_t std_lengths;		/* offset of standard_opcode_lengths */
	const char *cu_comp_dir;	/* from .debug_info, or NULL */
	const char **dirs;		/* DWARF 2-4: dirs[0] is the comp dir (may be NULL) */
	size_t ndirs;
	struct fentry *files;
	size_t nfiles, files_cap;
};

struct reader {
	const struct dwarf_sections *s;
	const struct dwarf_err *err;
	struct dwarf_lines *out;
	size_t rows_cap, files_cap, path_bytes;
	uint32_t *slots;		/* the interned files: index + 1, 0 when free */
	size_t nslots;
	const struct dwarf_cu_dir *cus;
	size_t ncus;
};

#define UNIT_FAIL(r, u, ...) unit_fail((r), (u), __VA_ARGS__)

static int unit_fail(const struct reader *r, const struct unit *u, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int unit_fail(const struct reader *r, const struct unit *u, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dwarf_fail(r->err, ".debug_line", "unit at offset 0x%zx %s", u->off, msg);
}

/* ---- the interned file list */

static uint64_t hash_pair(const char *path, const char *name)
{
	uint64_t h = 1469598103934665603ull;

	for (const char *p = path; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	return h;
}

static int grow_slots(struct reader *r)
{
	size_t n = r->nslots ? r->nslots * 2 : 64;
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < r->out->nfiles; i++) {
		const struct dwarf_file *f = &r->out->files[i];
		size_t j = (size_t)hash_pair(f->path, f->name) & (n - 1);

		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = (uint32_t)(i + 1);
	}
	free(r->slots);
	r->slots = slots;
	r->nslots = n;
	return 0;
}

/* The index of (path, name) in the output, added when new; path and rel are taken. */
static int64_t intern(struct reader *r, char *path, char *rel, const char *name)
{
	struct dwarf_lines *o = r->out;
	size_t j;
	char *name_copy;

	if ((o->nfiles + 1) * 2 > r->nslots && grow_slots(r))
		goto nomem;
	j = (size_t)hash_pair(path, name) & (r->nslots - 1);
	for (; r->slots[j]; j = (j + 1) & (r->nslots - 1)) {
		const struct dwarf_file *f = &o->files[r->slots[j] - 1];

		if (strcmp(f->path, path) == 0 && strcmp(f->name, name) == 0) {
			free(path);
			free(rel);
			return r->slots[j] - 1;
		}
	}
	if (o->nfiles == r->files_cap) {
		size_t cap = r->files_cap ? r->files_cap * 2 : 16;
		struct dwarf_file *nf = realloc(o->files, cap * sizeof(*nf));

		if (!nf)
			goto nomem;
		o->files = nf;
		r->files_cap = cap;
	}
	name_copy = strdup(name);
	if (!name_copy)
		goto nomem;
	o->files[o->nfiles] = (struct dwarf_file){ path, rel, name_copy };
	r->slots[j] = (uint32_t)(o->nfiles + 1);
	return (int64_t)o->nfiles++;
nomem:
	free(path);
	free(rel);
	return -ENOMEM;
}

/* ---- paths */

static bool absolute(const char *p)
{
	return p && p[0] == '/';
}

/* Append s to buf (at *len, room DWARF_PATH_MAX) with one '/' before it
 * when buf is not empty; false when it does not fit. */
static bool append(char *buf, size_t *len, const char *s)
{
	size_t n;

	if (!s || !*s)
		return true;
	while (s[0] == '.' && s[1] == '/')
		s += 2;
	if (*len && buf[*len - 1] != '/') {
		if (*len + 1 >= DWARF_PATH_MAX)
			return false;
		buf[(*len)++] = '/';
		buf[*len] = 0;
	}
	n = strlen(s);
	if (n >= DWARF_PATH_MAX - *len)
		return false;
	memcpy(buf + *len, s, n + 1);
	*len += n;
	return true;
}

/* Drop "." components and repeated slashes ("a/./b//c" is "a/b/c"). */
static size_t tidy(char *p)
{
	size_t r = 0, w = 0;

	while (p[r]) {
		if (p[r] == '/' && w > 0 && p[w - 1] == '/') {
			r++;
		} else if (p[r] == '.' && (w == 0 || p[w - 1] == '/') &&
			   (p[r + 1] == '/' || p[r + 1] == 0) && (w > 0 || p[r + 1] == '/')) {
			r += p[r + 1] ? 2 : 1;
		} else {
			p[w++] = p[r++];
		}
	}
	if (w > 1 && p[w - 1] == '/')
		w--;
	p[w] = 0;
	return w;
}

/*
 * The paths of a file entry.  rel: its name when absolute, else under its
 * directory (none for directory 0).  path: rel, and in front of a relative
 * rel the compilation directory (DWARF 2-4: DW_AT_comp_dir; DWARF 5:
 * directory 0, itself under DW_AT_comp_dir when relative).
 */
static int build_path(struct reader *r, const struct unit *u, const struct fentry *f,
		      char **path, char **rel)
{
	char full[DWARF_PATH_MAX], part[DWARF_PATH_MAX];
	size_t flen = 0, plen = 0;
	const char *dir = f->dir && f->dir < u->ndirs ? u->dirs[f->dir] : NULL;
	const char *base = u->env.version >= 5 ? u->dirs[0] : u->cu_comp_dir;
	bool ok;

	full[0] = part[0] = 0;
	ok = (absolute(f->name) || append(part, &plen, dir)) && append(part, &plen, f->name);
	if (ok && !absolute(part)) {
		if (u->env.version >= 5 && !absolute(base))
			ok = append(full, &flen, u->cu_comp_dir);
		ok = ok && append(full, &flen, base);
	}
	ok = ok && append(full, &flen, part);
	if (!ok)
		return UNIT_FAIL(r, u, "has a file path longer than %d bytes", DWARF_PATH_MAX);
	flen = tidy(full);
	plen = tidy(part);
	if (flen + plen > DWARF_PATHS_MAX - r->path_bytes)
		return UNIT_FAIL(r, u, "names more than %u bytes of file paths", DWARF_PATHS_MAX);
	r->path_bytes += flen + plen;
	*path = strdup(full);
	*rel = strdup(part);
	if (*path && *rel)
		return 0;
	free(*path);
	free(*rel);
	return -ENOMEM;
}

/* ---- the header */

static int add_file(struct reader *r, struct unit *u, const char *name, uint64_t dir)
{
	if (dir >= u->ndirs)
		return UNIT_FAIL(r, u, "has file \"%s\" in directory %llu, but %zu directories",
				 name, (unsigned long long)dir,
				 u->env.version >= 5 ? u->ndirs : u->ndirs - 1);
	if (u->nfiles == u->files_cap) {
		size_t cap = u->files_cap ? u->files_cap * 2 : 16;
		struct fentry *nf = realloc(u->files, cap * sizeof(*nf));

		if (!nf)
			return -ENOMEM;
		u->files = nf;
		u->files_cap = cap;
	}
	u->files[u->nfiles++] = (struct fentry){ name, dir, -1 };
	return 0;
}

static int add_dir(struct unit *u, const char *dir, size_t cap)
{
	if (!u->dirs) {
		u->dirs = calloc(cap ? cap : 1, sizeof(*u->dirs));
		if (!u->dirs)
			return -ENOMEM;
	}
	u->dirs[u->ndirs++] = dir;
	return 0;
}

/* DWARF 2-4: NUL-terminated lists of directories and of files. */
static int read_tables_v2(struct reader *r, struct unit *u, struct dcur *c)
{
	size_t start = c->pos, count = 1;
	const char *s;
	int e;

	/* Count first: the array is sized once. */
	while (dcur_str(c, &s) && *s)
		count++;
	c->pos = start;
	e = add_dir(u, u->cu_comp_dir, count);
	while (!e) {
		if (!dcur_str(c, &s))
			return UNIT_FAIL(r, u, "has a directory table that runs past its header");
		if (!*s)
			break;
		e = add_dir(u, s, count);
	}
	while (!e) {
		uint64_t dir, mtime, size;

		if (!dcur_str(c, &s))
			return UNIT_FAIL(r, u, "has a file table that runs past its header");
		if (!*s)
			break;
		if (!dcur_uleb(c, &dir) || !dcur_uleb(c, &mtime) || !dcur_uleb(c, &size))
			return UNIT_FAIL(r, u, "has a file table that runs past its header");
		e = add_file(r, u, s, dir);
	}
	return e;
}

struct entry_format {
	uint64_t type[256], form[256];
	unsigned n;
	bool has_path;
};

static int read_format(struct reader *r, struct unit *u, struct dcur *c, const char *what,
		       struct entry_format *f)
{
	uint8_t n;

	f->has_path = false;
	if (!dcur_u8(c, &n))
		return UNIT_FAIL(r, u, "has a %s entry format that runs past its header", what);
	f->n = n;
	for (unsigned i = 0; i < n; i++) {
		if (!dcur_uleb(c, &f->type[i]) || !dcur_uleb(c, &f->form[i]))
			return UNIT_FAIL(r, u, "has a %s entry format that runs past its header",
					 what);
		f->has_path |= f->type[i] == DW_LNCT_path;
	}
	return 0;
}

/* One directory or file entry of a DWARF 5 table. */
static int read_entry(struct reader *r, struct unit *u, struct dcur *c, const char *what,
		      uint64_t idx, const struct entry_format *f, const char **path, uint64_t *dir)
{
	*path = NULL;
	*dir = 0;
	for (unsigned i = 0; i < f->n; i++) {
		struct dwarf_value v;
		enum dwarf_form_status st = dwarf_read_form(c, f->form[i], 0, &u->env, &v);

		if (st != DF_OK)
			return UNIT_FAIL(r, u, "has %s entry %llu whose field 0x%llx (form 0x%llx) %s",
					 what, (unsigned long long)idx, (unsigned long long)f->type[i],
					 (unsigned long long)f->form[i], dwarf_form_problem(st));
		if (f->type[i] == DW_LNCT_path) {
			if (v.kind != DV_STR)
				return UNIT_FAIL(r, u, "has %s entry %llu whose path has form 0x%llx, "
						 "which is not a string gdbvm can read", what,
						 (unsigned long long)idx,
						 (unsigned long long)f->form[i]);
			*path = v.str;
		} else if (f->type[i] == DW_LNCT_directory_index) {
			if (v.kind != DV_UINT)
				return UNIT_FAIL(r, u, "has %s entry %llu whose directory index has "
						 "form 0x%llx", what, (unsigned long long)idx,
						 (unsigned long long)f->form[i]);
			*dir = v.u;
		}
	}
	return 0;
}

/* DWARF 5: self-describing directory and file tables. */
static int read_tables_v5(struct reader *r, struct unit *u, struct dcur *c)
{
	static const char *const what[2] = { "directory", "file" };
	struct entry_format f;
	uint64_t count;
	int e;

	for (int t = 0; t < 2; t++) {
		e = read_format(r, u, c, what[t], &f);
		if (e)
			return e;
		if (!dcur_uleb(c, &count))
			return UNIT_FAIL(r, u, "has a %s count that runs past its header", what[t]);
		if (count && !f.has_path)
			return UNIT_FAIL(r, u, "has %s entries without a path (DW_LNCT_path)",
					 what[t]);
		/* Each entry holds a path of one byte at least. */
		if (count > dcur_left(c))
			return UNIT_FAIL(r, u, "claims %llu %s entries in a header of %zu more "
					 "bytes", (unsigned long long)count, what[t], dcur_left(c));
		if (t == 0 && !count)
			return UNIT_FAIL(r, u, "has no directory 0 (the compilation directory)");
		for (uint64_t i = 0; i < count; i++) {
			const char *path;
			uint64_t dir;

			e = read_entry(r, u, c, what[t], i, &f, &path, &dir);
			if (!e)
				e = t == 0 ? add_dir(u, path, (size_t)count)
					   : add_file(r, u, path, dir);
			if (e)
				return e;
		}
	}
	return 0;
}

static const char *comp_dir_of(const struct reader *r, size_t off)
{
	for (size_t i = 0; i < r->ncus; i++)
		if (r->cus[i].stmt_list == off)
			return r->cus[i].comp_dir;
	return NULL;
}

static int read_header(struct reader *r, struct unit *u, struct dcur *c)
{
	uint64_t len, header_len;
	uint16_t version;
	uint8_t b;
	int8_t lb;
	uint8_t addr_size = 0, seg_size = 0, is_stmt, max_ops = 1;

	u->off = c->pos;
	u->env = (struct dwarf_unit_env){ .offset_size = 4, .str = &r->s->str,
					  .line_str = &r->s->line_str };
	u->cu_comp_dir = comp_dir_of(r, u->off);
	if (!dcur_uint(c, 4, &len))
		return UNIT_FAIL(r, u, "runs past the section end (no room for its length)");
	if (len == 0xffffffff) {
		u->env.offset_size = 8;
		if (!dcur_uint(c, 8, &len))
			return UNIT_FAIL(r, u, "runs past the section end (no room for its length)");
	} else if (len >= 0xfffffff0) {
		return UNIT_FAIL(r, u, "has a reserved length 0x%llx", (unsigned long long)len);
	}
	if (len > dcur_left(c))
		return UNIT_FAIL(r, u, "runs past the section end (0x%llx bytes, 0x%zx left)",
				 (unsigned long long)len, dcur_left(c));
	if (len == 0)
		return UNIT_FAIL(r, u, "is empty (length 0)");
	u->end = c->pos + (size_t)len;
	c->limit = u->end;
	if (!dcur_u16(c, &version))
		return UNIT_FAIL(r, u, "is too short for its header");
	if (version < 2 || version > 5)
		return UNIT_FAIL(r, u, "has version %u (2 to 5 are read)", version);
	u->env.version = version;
	if (version >= 5 && (!dcur_u8(c, &addr_size) || !dcur_u8(c, &seg_size)))
		return UNIT_FAIL(r, u, "is too short for its header");
	if (version >= 5 && (addr_size < 1 || addr_size > 8))
		return UNIT_FAIL(r, u, "has an address size of %u bytes", addr_size);
	if (seg_size)
		return UNIT_FAIL(r, u, "has segment selectors (%u bytes), which gdbvm does not "
				 "read", seg_size);
	u->env.addr_size = version >= 5 ? addr_size : 8;
	if (!dcur_uint(c, u->env.offset_size, &header_len))
		return UNIT_FAIL(r, u, "is too short for its header");
	if (header_len > dcur_left(c))
		return UNIT_FAIL(r, u, "has a header (0x%llx bytes) longer than the unit",
				 (unsigned long long)header_len);
	u->prog = c->pos + (size_t)header_len;
	c->limit = u->prog;
	if (!dcur_u8(c, &u->min_inst) || (version >= 4 && !dcur_u8(c, &max_ops)) ||
	    !dcur_u8(c, &is_stmt) || !dcur_u8(c, &b) || !dcur_u8(c, &u->line_range) ||
	    !dcur_u8(c, &u->opcode_base))
		return UNIT_FAIL(r, u, "is too short for its header");
	memcpy(&lb, &b, 1);
	u->line_base = lb;
	u->max_ops = max_ops;
	u->default_is_stmt = is_stmt != 0;
	if (u->max_ops == 0)
		return UNIT_FAIL(r, u, "has 0 maximum operations per instruction");
	if (u->line_range == 0)
		return UNIT_FAIL(r, u, "has a line range of 0");
	if (u->opcode_base == 0)
		return UNIT_FAIL(r, u, "has an opcode base of 0");
	u->std_lengths = c->pos;
	if (!dcur_skip(c, u->opcode_base - 1u))
		return UNIT_FAIL(r, u, "has standard opcode lengths that run past its header");
	return version >= 5 ? read_tables_v5(r, u, c) : read_tables_v2(r, u, c);
}

/* ---- the program */

struct state {
	uint64_t addr;
	uint64_t file;
	uint32_t line;
	unsigned op_index;
	bool is_stmt;
};

static void reset(struct state *st, const struct unit *u)
{
	*st = (struct state){ .file = 1, .line = 1, .is_stmt = u->default_is_stmt };
}

static int emit(struct reader *r, struct unit *u, const struct state *st, bool end)
{
	struct dwarf_lines *o = r->out;
	uint64_t idx = u->env.version >= 5 ? st->file : st->file - 1;
	struct fentry *f;

	if (u->env.version < 5 && st->file == 0)
		idx = UINT64_MAX;
	if (idx >= u->nfiles)
		return UNIT_FAIL(r, u, "has a row at 0x%llx in file %llu, but %zu files",
				 (unsigned long long)st->addr, (unsigned long long)st->file,
				 u->nfiles);
	f = &u->files[idx];
	if (f->global < 0) {
		char *path, *rel;
		int e = build_path(r, u, f, &path, &rel);

		if (e)
			return e;
		f->global = intern(r, path, rel, f->name);
		if (f->global < 0)
			return (int)f->global;
	}
	if (o->nrows == r->rows_cap) {
		size_t cap = r->rows_cap ? r->rows_cap * 2 : 256;
		struct dwarf_row *nr = realloc(o->rows, cap * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		o->rows = nr;
		r->rows_cap = cap;
	}
	o->rows[o->nrows++] = (struct dwarf_row){ st->addr, st->line, (uint32_t)f->global,
						  (uint32_t)o->nunits, st->is_stmt, end };
	return 0;
}

/* Advance by op_adv operations (DWARF 5, 6.2.5.1); wraps like the target's addresses. */
static void advance(struct state *st, const struct unit *u, uint64_t op_adv)
{
	if (u->max_ops == 1) {
		st->addr += u->min_inst * op_adv;
	} else {
		uint64_t ops = st->op_index + op_adv;

		st->addr += u->min_inst * (ops / u->max_ops);
		st->op_index = (unsigned)(ops % u->max_ops);
	}
}

static int extended(struct reader *r, struct unit *u, struct dcur *c, struct state *st)
{
	uint64_t len, v;
	uint8_t op;
	size_t at = c->pos - 1;
	struct dcur x;
	const char *name;
	int e = 0;

	if (!dcur_uleb(c, &len) || len > dcur_left(c))
		return UNIT_FAIL(r, u, "has an extended opcode at 0x%zx that runs past the unit",
				 at);
	if (len == 0)
		return UNIT_FAIL(r, u, "has an extended opcode of length 0 at 0x%zx", at);
	x = (struct dcur){ c->sect, c->pos, c->pos + (size_t)len };
	c->pos += (size_t)len;
	dcur_u8(&x, &op);
	switch (op) {
	case DW_LNE_end_sequence:
		e = emit(r, u, st, true);
		reset(st, u);
		return e;
	case DW_LNE_set_address:
		if (dcur_left(&x) < 1 || dcur_left(&x) > 8)
			return UNIT_FAIL(r, u, "sets a %zu-byte address at 0x%zx", dcur_left(&x), at);
		dcur_uint(&x, (unsigned)dcur_left(&x), &st->addr);
		st->op_index = 0;
		return 0;
	case DW_LNE_define_file:
		if (!dcur_str(&x, &name) || !dcur_uleb(&x, &v))
			return UNIT_FAIL(r, u, "has a DW_LNE_define_file at 0x%zx that runs past its "
					 "length", at);
		return add_file(r, u, name, v);
	case DW_LNE_set_discriminator:
		if (!dcur_uleb(&x, &v))
			return UNIT_FAIL(r, u, "has a DW_LNE_set_discriminator at 0x%zx that runs "
					 "past its length", at);
		return 0;
	default:
		return 0;	/* vendor opcodes: skipped by their length */
	}
}

static int standard(struct reader *r, struct unit *u, struct dcur *c, uint8_t op,
		    struct state *st)
{
	uint64_t v;
	int64_t s;
	uint16_t h;
	size_t at = c->pos - 1;

	switch (op) {
	case DW_LNS_copy:
		return emit(r, u, st, false);
	case DW_LNS_advance_pc:
		if (!dcur_uleb(c, &v))
			break;
		advance(st, u, v);
		return 0;
	case DW_LNS_advance_line:
		if (!dcur_sleb(c, &s))
			break;
		st->line = (uint32_t)((uint64_t)st->line + (uint64_t)s);
		return 0;
	case DW_LNS_set_file:
		if (!dcur_uleb(c, &st->file))
			break;
		return 0;
	case DW_LNS_set_column: case DW_LNS_set_isa:
		if (!dcur_uleb(c, &v))
			break;
		return 0;
	case DW_LNS_negate_stmt:
		st->is_stmt = !st->is_stmt;
		return 0;
	case DW_LNS_const_add_pc:
		advance(st, u, (255u - u->opcode_base) / u->line_range);
		return 0;
	case DW_LNS_fixed_advance_pc:
		if (!dcur_u16(c, &h))
			break;
		st->addr += h;
		st->op_index = 0;
		return 0;
	case DW_LNS_set_basic_block: case DW_LNS_set_prologue_end:
	case DW_LNS_set_epilogue_begin:
		return 0;
	default: {
		/* An opcode newer than this reader: skip its ULEB128 operands. */
		uint8_t n = c->sect->data[u->std_lengths + op - 1u];

		for (unsigned i = 0; i < n; i++)
			if (!dcur_uleb(c, &v))
				return UNIT_FAIL(r, u, "has opcode %u at 0x%zx whose operands run past "
						 "the unit", op, at);
		return 0;
	}
	}
	return UNIT_FAIL(r, u, "has opcode %u at 0x%zx whose operand runs past the unit", op, at);
}

static int run_program(struct reader *r, struct unit *u)
{
	struct dcur c = { &r->s->line, u->prog, u->end };
	struct state st;
	int e = 0;

	reset(&st, u);
	while (!e && dcur_left(&c)) {
		uint8_t op;

		dcur_u8(&c, &op);
		if (op >= u->opcode_base) {
			unsigned adj = op - u->opcode_base;

			advance(&st, u, adj / u->line_range);
			st.line = (uint32_t)(st.line + (uint32_t)(int32_t)(u->line_base +
									   (int)(adj % u->line_range)));
			e = emit(r, u, &st, false);
		} else if (op == 0) {
			e = extended(r, u, &c, &st);
		} else {
			e = standard(r, u, &c, op, &st);
		}
	}
	return e;
}

static void free_unit(struct unit *u)
{
	free(u->dirs);
	free(u->files);
	*u = (struct unit){ 0 };
}

void dwarf_lines_free(struct dwarf_lines *l)
{
	for (size_t i = 0; i < l->nfiles; i++) {
		free(l->files[i].path);
		free(l->files[i].rel);
		free(l->files[i].name);
	}
	free(l->files);
	free(l->rows);
	*l = (struct dwarf_lines){ 0 };
}

int dwarf_lines_read(const uint8_t *file, size_t len, const char *name, struct dwarf_lines *out,
		     char *why, size_t whylen)
{
	struct dwarf_err err = { why, whylen, name };
	struct dwarf_sections s;
	struct reader r = { .s = &s, .err = &err, .out = out };
	struct dcur c;
	int e;

	*out = (struct dwarf_lines){ 0 };
	e = dwarf_elf_sections(file, len, &s, &err);
	if (!e) {
		struct dwarf_cu_dir *cus;

		e = dwarf_info_comp_dirs(&s, &cus, &r.ncus, &err);
		r.cus = cus;
	}
	c = (struct dcur){ &s.line, 0, s.line.size };
	while (!e && c.pos < s.line.size) {
		struct unit u = { 0 };

		c.limit = s.line.size;
		e = read_header(&r, &u, &c);
		if (!e)
			e = run_program(&r, &u);
		c.pos = u.end;
		free_unit(&u);
		out->nunits++;
	}
	free((void *)r.cus);
	free(r.slots);
	if (e == -ENOMEM)
		snprintf(why, whylen, "%s: out of memory reading the line table", name);
	if (e)
		dwarf_lines_free(out);
	return e;
}

/* ---- the first instructions */

static int cmp_stmt(const void *a, const void *b)
{
	const struct dwarf_stmt *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

static bool kept(uint64_t lo, uint64_t hi, const struct dwarf_range *keep, size_t nkeep)
{
	if (nkeep == 0)
		return true;
	for (size_t i = 0; i < nkeep; i++)
		if (lo >= keep[i].lo && hi <= keep[i].hi && lo <= hi)
			return true;
	return false;
}

int dwarf_lines_stmts(const struct dwarf_lines *l, const struct dwarf_range *keep, size_t nkeep,
		      struct dwarf_stmt **out, size_t *n)
{
	struct dwarf_stmt *v = NULL;
	size_t count = 0, start = 0;

	*out = NULL;
	*n = 0;
	if (l->nrows) {
		v = malloc(l->nrows * sizeof(*v));
		if (!v)
			return -ENOMEM;
	}
	for (size_t i = 0; i < l->nrows; i++) {
		uint64_t lo, hi;
		size_t last = i + 1;

		/* A sequence ends at its end row, or open at its unit's last row. */
		if (!l->rows[i].end_sequence &&
		    (i + 1 < l->nrows && l->rows[i + 1].unit == l->rows[i].unit))
			continue;
		if (l->rows[i].end_sequence)
			last = i;
		lo = hi = l->rows[i].addr;
		for (size_t j = start; j < last; j++) {
			lo = l->rows[j].addr < lo ? l->rows[j].addr : lo;
			hi = l->rows[j].addr > hi ? l->rows[j].addr : hi;
		}
		if (kept(lo, hi, keep, nkeep))
			for (size_t j = start; j < last; j++)
				if (l->rows[j].is_stmt)
					v[count++] = (struct dwarf_stmt){ l->rows[j].addr,
									  l->rows[j].file,
									  l->rows[j].line };
		start = i + 1;
	}
	if (count == 0) {
		free(v);
		return 0;
	}
	qsort(v, count, sizeof(*v), cmp_stmt);
	*n = 1;
	for (size_t i = 1; i < count; i++)
		if (cmp_stmt(&v[i], &v[*n - 1]) != 0)
			v[(*n)++] = v[i];
	*out = v;
	return 0;
}
