/*
 * dwarf_read.c - bounded reads of DWARF bytes and attribute forms (see
 * dwarf_read.h).
 */
#include "dwarf_read.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int dwarf_fail(const struct dwarf_err *err, const char *section, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err->why, err->whylen, "%s: %s: ", err->file, section);
	if (n >= 0 && (size_t)n < err->whylen) {
		va_start(ap, fmt);
		vsnprintf(err->why + n, err->whylen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -ENOEXEC;
}

bool dcur_uint(struct dcur *c, unsigned n, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0 || n > 8 || dcur_left(c) < n)
		return false;
	for (unsigned i = 0; i < n; i++)
		x |= (uint64_t)c->sect->data[c->pos + i] << (8 * i);
	c->pos += n;
	*v = x;
	return true;
}

bool dcur_u8(struct dcur *c, uint8_t *v)
{
	if (dcur_left(c) < 1)
		return false;
	*v = c->sect->data[c->pos++];
	return true;
}

bool dcur_u16(struct dcur *c, uint16_t *v)
{
	uint64_t x;

	if (!dcur_uint(c, 2, &x))
		return false;
	*v = (uint16_t)x;
	return true;
}

/* Bits past the 64th are dropped, as every reader of DWARF does. */
static bool leb(struct dcur *c, uint64_t *v, unsigned *shift_out)
{
	uint64_t x = 0;
	unsigned shift = 0;
	size_t p = c->pos;
	uint8_t b;

	do {
		if (p >= c->limit)
			return false;
		b = c->sect->data[p++];
		if (shift < 64)
			x |= (uint64_t)(b & 0x7f) << shift;
		if (shift < 64)
			shift += 7;
	} while (b & 0x80);
	c->pos = p;
	*v = x;
	*shift_out = (b & 0x40) ? shift : 0;
	return true;
}

bool dcur_uleb(struct dcur *c, uint64_t *v)
{
	unsigned shift;

	return leb(c, v, &shift);
}

bool dcur_sleb(struct dcur *c, int64_t *v)
{
	uint64_t x;
	unsigned sign_shift;

	if (!leb(c, &x, &sign_shift))
		return false;
	if (sign_shift && sign_shift < 64)
		x |= ~(uint64_t)0 << sign_shift;
	memcpy(v, &x, sizeof(*v));
	return true;
}

bool dcur_skip(struct dcur *c, uint64_t n)
{
	if (n > dcur_left(c))
		return false;
	c->pos += (size_t)n;
	return true;
}

bool dcur_str(struct dcur *c, const char **s)
{
	const uint8_t *start = c->sect->data + c->pos;
	const uint8_t *nul = memchr(start, 0, dcur_left(c));

	if (!nul)
		return false;
	*s = (const char *)start;
	c->pos += (size_t)(nul - start) + 1;
	return true;
}

bool dwarf_sect_str(const struct dwarf_sect *s, uint64_t off, const char **str)
{
	if (!s->present || off >= s->size || !memchr(s->data + off, 0, s->size - (size_t)off))
		return false;
	*str = (const char *)s->data + off;
	return true;
}

/* Bytes of a fixed-size form, 0 when the form has another shape. */
static unsigned fixed_size(uint64_t form, const struct dwarf_unit_env *env)
{
	switch (form) {
	case DW_FORM_flag_present: case DW_FORM_implicit_const:
		return 0;
	case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag: case DW_FORM_strx1:
	case DW_FORM_addrx1:
		return 1;
	case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2: case DW_FORM_addrx2:
		return 2;
	case DW_FORM_strx3: case DW_FORM_addrx3:
		return 3;
	case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_ref_sup4: case DW_FORM_strx4:
	case DW_FORM_addrx4:
		return 4;
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8:
		return 8;
	case DW_FORM_data16:
		return 16;
	case DW_FORM_addr:
		return env->addr_size;
	case DW_FORM_ref_addr:
		return env->version <= 2 ? env->addr_size : env->offset_size;
	case DW_FORM_strp: case DW_FORM_line_strp: case DW_FORM_sec_offset:
	case DW_FORM_strp_sup: case DW_FORM_GNU_ref_alt: case DW_FORM_GNU_strp_alt:
		return env->offset_size;
	default:
		return 0;
	}
}

static bool is_fixed(uint64_t form)
{
	switch (form) {
	case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag: case DW_FORM_strx1:
	case DW_FORM_addrx1: case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2:
	case DW_FORM_addrx2: case DW_FORM_strx3: case DW_FORM_addrx3: case DW_FORM_data4:
	case DW_FORM_ref4: case DW_FORM_ref_sup4: case DW_FORM_strx4: case DW_FORM_addrx4:
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8:
	case DW_FORM_data16: case DW_FORM_addr: case DW_FORM_ref_addr: case DW_FORM_strp:
	case DW_FORM_line_strp: case DW_FORM_sec_offset: case DW_FORM_strp_sup:
	case DW_FORM_GNU_ref_alt: case DW_FORM_GNU_strp_alt: case DW_FORM_flag_present:
	case DW_FORM_implicit_const:
		return true;
	default:
		return false;
	}
}

static enum dwarf_form_status string_at(const struct dwarf_sect *s, uint64_t off,
					struct dwarf_value *v)
{
	if (!s->present)
		return DF_NO_STR_SECTION;
	if (!dwarf_sect_str(s, off, &v->str))
		return DF_BAD_STRING;
	v->kind = DV_STR;
	return DF_OK;
}

static enum dwarf_form_status read_fixed(struct dcur *c, uint64_t form, int64_t implicit,
					 const struct dwarf_unit_env *env,
					 struct dwarf_value *v)
{
	unsigned n = fixed_size(form, env);
	uint64_t x = 0;

	if (form == DW_FORM_implicit_const) {
		memcpy(&v->u, &implicit, sizeof(v->u));
		v->kind = DV_UINT;
		return DF_OK;
	}
	if (n > 8) {		/* data16: an MD5 sum, kept by nobody */
		return dcur_skip(c, n) ? DF_OK : DF_TRUNCATED;
	}
	if (n && !dcur_uint(c, n, &x))
		return DF_TRUNCATED;
	switch (form) {
	case DW_FORM_strp:
		return string_at(env->str, x, v);
	case DW_FORM_line_strp:
		return string_at(env->line_str, x, v);
	case DW_FORM_strx1: case DW_FORM_strx2: case DW_FORM_strx3: case DW_FORM_strx4:
		v->kind = DV_INDEXED_STR;
		v->u = x;
		return DF_OK;
	case DW_FORM_strp_sup: case DW_FORM_GNU_strp_alt:
		v->kind = DV_NONE;	/* a string in another file */
		return DF_OK;
	default:
		v->kind = DV_UINT;
		v->u = form == DW_FORM_flag_present ? 1 : x;
		return DF_OK;
	}
}

enum dwarf_form_status dwarf_read_form(struct dcur *c, uint64_t form, int64_t implicit,
				       const struct dwarf_unit_env *env, struct dwarf_value *v)
{
	uint64_t n;
	int64_t s;

	*v = (struct dwarf_value){ .kind = DV_NONE };
	/* DW_FORM_indirect names the form in the data; once is enough. */
	if (form == DW_FORM_indirect) {
		if (!dcur_uleb(c, &form))
			return DF_TRUNCATED;
		if (form == DW_FORM_indirect || form == DW_FORM_implicit_const)
			return DF_UNKNOWN;
	}
	if (is_fixed(form))
		return read_fixed(c, form, implicit, env, v);
	switch (form) {
	case DW_FORM_string:
		if (!dcur_str(c, &v->str))
			return DF_TRUNCATED;
		v->kind = DV_STR;
		return DF_OK;
	case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_addrx: case DW_FORM_loclistx:
	case DW_FORM_rnglistx: case DW_FORM_GNU_addr_index:
		if (!dcur_uleb(c, &v->u))
			return DF_TRUNCATED;
		v->kind = DV_UINT;
		return DF_OK;
	case DW_FORM_strx: case DW_FORM_GNU_str_index:
		if (!dcur_uleb(c, &v->u))
			return DF_TRUNCATED;
		v->kind = DV_INDEXED_STR;
		return DF_OK;
	case DW_FORM_sdata:
		if (!dcur_sleb(c, &s))
			return DF_TRUNCATED;
		memcpy(&v->u, &s, sizeof(v->u));
		v->kind = DV_UINT;
		return DF_OK;
	case DW_FORM_block1: case DW_FORM_block2: case DW_FORM_block4: case DW_FORM_block:
	case DW_FORM_exprloc:
		if (form == DW_FORM_block || form == DW_FORM_exprloc) {
			if (!dcur_uleb(c, &n))
				return DF_TRUNCATED;
		} else if (!dcur_uint(c, form == DW_FORM_block1 ? 1 : form == DW_FORM_block2 ? 2 : 4,
				      &n)) {
			return DF_TRUNCATED;
		}
		return dcur_skip(c, n) ? DF_OK : DF_TRUNCATED;
	default:
		return DF_UNKNOWN;
	}
}

const char *dwarf_form_problem(enum dwarf_form_status st)
{
	switch (st) {
	case DF_TRUNCATED:
		return "runs past its end";
	case DF_UNKNOWN:
		return "has an unknown form";
	case DF_BAD_STRING:
		return "has a string offset outside its string section, or an unterminated string";
	case DF_NO_STR_SECTION:
		return "refers to a string section the file does not have";
	default:
		return "is fine";
	}
}
