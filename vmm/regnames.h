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
};

struct reg_name {
	const char *name;
	enum reg_id id;
	unsigned shift;	/* bit position of the field in the 64-bit register */
	unsigned width;	/* field width in bits: 8, 16 or 32 */
};

/* An initial value for one register field, from --reg NAME=VALUE. */
struct reg_assign {
	const struct reg_name *reg;
	uint32_t value;
};

/* Look a name up, case-insensitively; NULL when unknown. */
const struct reg_name *reg_name_find(const char *name);

/*
 * Parse "NAME=VALUE".  Returns 0, -ENOENT for an unknown name, -EINVAL for a
 * malformed assignment or value, -ERANGE when the value does not fit.
 */
int reg_assign_parse(const char *s, struct reg_assign *out);

/* Insert a field value into a 64-bit register value. */
uint64_t reg_field_insert(uint64_t old, const struct reg_name *reg, uint32_t value);

#endif
