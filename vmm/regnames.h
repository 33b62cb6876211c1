/*
 * regnames.h - the register names accepted by --reg and how each maps onto
 * the vCPU state: which register, which bits.
 */
#ifndef GDBVM_REGNAMES_H
#define GDBVM_REGNAMES_H

#include <stdint.h>

enum reg_id {
	VREG_RAX, VREG_RBX, VREG_RCX, VREG_RDX, VREG_RSI, VREG_RDI, VREG_RSP, VREG_RBP,
	VREG_RIP, VREG_RFLAGS,
	VREG_CS, VREG_DS, VREG_ES, VREG_SS, VREG_FS, VREG_GS,
	VREG_R8, VREG_R9, VREG_R10, VREG_R11, VREG_R12, VREG_R13, VREG_R14, VREG_R15,
};

struct reg_name {
	const char *name;
	enum reg_id id;
	unsigned shift;	/* bit position of the field in the 64-bit register */
	unsigned width;	/* field width in bits: 8, 16, 32 or 64 */
};

/* Names that exist only in 64-bit mode: the r-names and r8..r15's parts. */
static inline int reg_name_long_only(const struct reg_name *r)
{
	return r->width == 64 || r->id >= VREG_R8;
}

/* Segment registers: real-mode selectors, base = selector * 16. */
static inline int reg_name_is_segment(const struct reg_name *r)
{
	return r->id >= VREG_CS && r->id <= VREG_GS;
}

/* An initial value for one register field, from --reg NAME=VALUE. */
struct reg_assign {
	const struct reg_name *reg;
	uint64_t value;
};

/* Look a name up, case-insensitively; NULL when unknown. */
const struct reg_name *reg_name_find(const char *name);

/*
 * Parse "NAME=VALUE".  Returns 0, -ENOENT for an unknown name, -EINVAL for a
 * malformed assignment or value, -ERANGE when the value does not fit.
 */
int reg_assign_parse(const char *s, struct reg_assign *out);

/* Insert a field value into a 64-bit register value. */
uint64_t reg_field_insert(uint64_t old, const struct reg_name *reg, uint64_t value);

#endif
