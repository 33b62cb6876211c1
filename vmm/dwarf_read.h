/*
 * dwarf_read.h - the bounded reader under the DWARF line-table module
 * (dwarf_line.c, dwarf_info.c): a cursor over one section's bytes, LEB128,
 * fixed-size fields, strings, attribute forms, and the one way an error is
 * worded ("FILE: SECTION: what is wrong").
 *
 * Nothing here reads a byte before checking it lies inside the cursor's
 * limit; a read that would not fit returns false and moves nothing.
 */
#ifndef GDBVM_DWARF_READ_H
#define GDBVM_DWARF_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where an error goes: the caller's buffer and the file's name for it. */
struct dwarf_err {
	char *why;
	size_t whylen;
	const char *file;
};

/* "FILE: SECTION: MESSAGE" into err->why; returns -ENOEXEC. */
int dwarf_fail(const struct dwarf_err *err, const char *section, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One section's bytes (data may be NULL when size is 0: the section is absent). */
struct dwarf_sect {
	const char *name;
	const uint8_t *data;
	size_t size;
	bool present;
};

/* A cursor: reads from sect->data[pos] up to (not including) limit. */
struct dcur {
	const struct dwarf_sect *sect;
	size_t pos, limit;
};

static inline size_t dcur_left(const struct dcur *c)
{
	return c->limit - c->pos;
}

bool dcur_u8(struct dcur *c, uint8_t *v);
bool dcur_u16(struct dcur *c, uint16_t *v);
/* n bytes (1 to 8), little-endian. */
bool dcur_uint(struct dcur *c, unsigned n, uint64_t *v);
bool dcur_uleb(struct dcur *c, uint64_t *v);
bool dcur_sleb(struct dcur *c, int64_t *v);
bool dcur_skip(struct dcur *c, uint64_t n);
/* A NUL-terminated string that ends before the limit. */
bool dcur_str(struct dcur *c, const char **s);

/* The string at offset off of a string section, NUL-terminated inside it. */
bool dwarf_sect_str(const struct dwarf_sect *s, uint64_t off, const char **str);

/* Attribute forms (DWARF 5, section 7.5.6), the ones the readers name. */
enum {
	DW_FORM_addr = 0x01, DW_FORM_block2 = 0x03, DW_FORM_block4 = 0x04,
	DW_FORM_data2 = 0x05, DW_FORM_data4 = 0x06, DW_FORM_data8 = 0x07,
	DW_FORM_string = 0x08, DW_FORM_block = 0x09, DW_FORM_block1 = 0x0a,
	DW_FORM_data1 = 0x0b, DW_FORM_flag = 0x0c, DW_FORM_sdata = 0x0d,
	DW_FORM_strp = 0x0e, DW_FORM_udata = 0x0f, DW_FORM_ref_addr = 0x10,
	DW_FORM_ref1 = 0x11, DW_FORM_ref2 = 0x12, DW_FORM_ref4 = 0x13,
	DW_FORM_ref8 = 0x14, DW_FORM_ref_udata = 0x15, DW_FORM_indirect = 0x16,
	DW_FORM_sec_offset = 0x17, DW_FORM_exprloc = 0x18, DW_FORM_flag_present = 0x19,
	DW_FORM_strx = 0x1a, DW_FORM_addrx = 0x1b, DW_FORM_ref_sup4 = 0x1c,
	DW_FORM_strp_sup = 0x1d, DW_FORM_data16 = 0x1e, DW_FORM_line_strp = 0x1f,
	DW_FORM_ref_sig8 = 0x20, DW_FORM_implicit_const = 0x21, DW_FORM_loclistx = 0x22,
	DW_FORM_rnglistx = 0x23, DW_FORM_ref_sup8 = 0x24, DW_FORM_strx1 = 0x25,
	DW_FORM_strx2 = 0x26, DW_FORM_strx3 = 0x27, DW_FORM_strx4 = 0x28,
	DW_FORM_addrx1 = 0x29, DW_FORM_addrx2 = 0x2a, DW_FORM_addrx3 = 0x2b,
	DW_FORM_addrx4 = 0x2c,
	DW_FORM_GNU_addr_index = 0x1f01, DW_FORM_GNU_str_index = 0x1f02,
	DW_FORM_GNU_ref_alt = 0x1f20, DW_FORM_GNU_strp_alt = 0x1f21,
};

/* What reading one attribute value gave. */
struct dwarf_value {
	enum { DV_NONE, DV_UINT, DV_STR, DV_INDEXED_STR } kind;
	uint64_t u;		/* DV_UINT: the number; DV_INDEXED_STR: the index */
	const char *str;	/* DV_STR */
};

/* The unit a value is read in: its sizes and the string sections. */
struct dwarf_unit_env {
	unsigned version;	/* 2 to 5 */
	unsigned offset_size;	/* 4 or 8 */
	unsigned addr_size;	/* 1 to 8 */
	const struct dwarf_sect *str, *line_str;
};

enum dwarf_form_status {
	DF_OK,
	DF_TRUNCATED,		/* the value runs past the limit */
	DF_UNKNOWN,		/* a form this reader does not know */
	DF_BAD_STRING,		/* a string offset outside its section or unterminated */
	DF_NO_STR_SECTION,	/* strp or line_strp with no .debug_str / .debug_line_str */
};

/* Read (or skip) one value of the given form.  implicit is the value an
 * abbreviation gave DW_FORM_implicit_const. */
enum dwarf_form_status dwarf_read_form(struct dcur *c, uint64_t form, int64_t implicit,
				       const struct dwarf_unit_env *env, struct dwarf_value *v);

/* A sentence for a status other than DF_OK. */
const char *dwarf_form_problem(enum dwarf_form_status st);

#endif
