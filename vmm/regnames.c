/*
 * regnames.c - the table of register names for --reg (see regnames.h).
 */
#include "regnames.h"
#include "parse.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#define GPR(base, id)							\
	{ "r" base "x", id, 0, 64 }, { "e" base "x", id, 0, 32 },	\
	{ base "x", id, 0, 16 }, { base "l", id, 0, 8 }, { base "h", id, 8, 8 }
#define IDX(name16, id)							\
	{ "r" name16, id, 0, 64 }, { "e" name16, id, 0, 32 }, { name16, id, 0, 16 }
/* r8..r15 and their low dword, word and byte (r8d, r8w, r8b). */
#define RN(num, id)							\
	{ "r" num, id, 0, 64 }, { "r" num "d", id, 0, 32 },		\
	{ "r" num "w", id, 0, 16 }, { "r" num "b", id, 0, 8 }

static const struct reg_name reg_names[] = {
	GPR("a", VREG_RAX), GPR("b", VREG_RBX), GPR("c", VREG_RCX), GPR("d", VREG_RDX),
	IDX("si", VREG_RSI), IDX("di", VREG_RDI), IDX("sp", VREG_RSP), IDX("bp", VREG_RBP),
	IDX("ip", VREG_RIP),
	{ "rflags", VREG_RFLAGS, 0, 64 }, { "eflags", VREG_RFLAGS, 0, 32 },
	{ "flags", VREG_RFLAGS, 0, 16 },
	RN("8", VREG_R8), RN("9", VREG_R9), RN("10", VREG_R10), RN("11", VREG_R11),
	RN("12", VREG_R12), RN("13", VREG_R13), RN("14", VREG_R14), RN("15", VREG_R15),
	{ "cs", VREG_CS, 0, 16 }, { "ds", VREG_DS, 0, 16 }, { "es", VREG_ES, 0, 16 },
	{ "ss", VREG_SS, 0, 16 }, { "fs", VREG_FS, 0, 16 }, { "gs", VREG_GS, 0, 16 },
};

const struct reg_name *reg_name_find(const char *name)
{
	for (size_t i = 0; i < sizeof(reg_names) / sizeof(reg_names[0]); i++)
		if (strcasecmp(reg_names[i].name, name) == 0)
			return &reg_names[i];
	return NULL;
}

int reg_assign_parse(const char *s, struct reg_assign *out)
{
	const char *eq = strchr(s, '=');
	char name[8];
	size_t len;
	uint64_t value;
	int err;

	if (!eq)
		return -EINVAL;
	len = (size_t)(eq - s);
	if (len == 0 || len >= sizeof(name))
		return len == 0 ? -EINVAL : -ENOENT;
	memcpy(name, s, len);
	name[len] = '\0';
	out->reg = reg_name_find(name);
	if (!out->reg)
		return -ENOENT;
	err = parse_u64(eq + 1, &value);
	if (err)
		return err;
	if (out->reg->width < 64 && value >> out->reg->width)
		return -ERANGE;
	out->value = value;
	return 0;
}

uint64_t reg_field_insert(uint64_t old, const struct reg_name *reg, uint64_t value)
{
	uint64_t mask = (reg->width >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << reg->width) - 1)
			<< reg->shift;

	return (old & ~mask) | (((uint64_t)value << reg->shift) & mask);
}
