/* test_regnames.c - tests the --reg name table, NAME=VALUE parsing and field insertion. */
#include "regnames.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <stdint.h>

static void test_names(void)
{
	static const struct {
		const char *name;
		enum reg_id id;
		unsigned shift, width;
	} cases[] = {
		{ "eax", VREG_RAX, 0, 32 }, { "ax", VREG_RAX, 0, 16 },
		{ "al", VREG_RAX, 0, 8 }, { "ah", VREG_RAX, 8, 8 },
		{ "ebx", VREG_RBX, 0, 32 }, { "bx", VREG_RBX, 0, 16 },
		{ "bl", VREG_RBX, 0, 8 }, { "bh", VREG_RBX, 8, 8 },
		{ "ecx", VREG_RCX, 0, 32 }, { "cx", VREG_RCX, 0, 16 },
		{ "cl", VREG_RCX, 0, 8 }, { "ch", VREG_RCX, 8, 8 },
		{ "edx", VREG_RDX, 0, 32 }, { "dx", VREG_RDX, 0, 16 },
		{ "dl", VREG_RDX, 0, 8 }, { "dh", VREG_RDX, 8, 8 },
		{ "esi", VREG_RSI, 0, 32 }, { "si", VREG_RSI, 0, 16 },
		{ "edi", VREG_RDI, 0, 32 }, { "di", VREG_RDI, 0, 16 },
		{ "esp", VREG_RSP, 0, 32 }, { "sp", VREG_RSP, 0, 16 },
		{ "ebp", VREG_RBP, 0, 32 }, { "bp", VREG_RBP, 0, 16 },
		{ "eip", VREG_RIP, 0, 32 }, { "ip", VREG_RIP, 0, 16 },
		{ "eflags", VREG_RFLAGS, 0, 32 }, { "flags", VREG_RFLAGS, 0, 16 },
		{ "cs", VREG_CS, 0, 16 }, { "ds", VREG_DS, 0, 16 },
		{ "es", VREG_ES, 0, 16 }, { "ss", VREG_SS, 0, 16 },
		{ "fs", VREG_FS, 0, 16 }, { "gs", VREG_GS, 0, 16 },
		/* case-insensitive */
		{ "EAX", VREG_RAX, 0, 32 }, { "Ah", VREG_RAX, 8, 8 },
		{ "FLAGS", VREG_RFLAGS, 0, 16 }, { "Ds", VREG_DS, 0, 16 },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct reg_name *r = reg_name_find(cases[i].name);

		if (!CHECK(r != NULL, "reg_name_find(\"%s\") finds it", cases[i].name))
			continue;
		CHECK_INT(r->id, cases[i].id, "%s: register id", cases[i].name);
		CHECK_INT(r->shift, cases[i].shift, "%s: shift %u", cases[i].name,
			  cases[i].shift);
		CHECK_INT(r->width, cases[i].width, "%s: width %u", cases[i].name,
			  cases[i].width);
	}

	CHECK(reg_name_find("xx") == NULL, "reg_name_find(\"xx\") is NULL");
	CHECK(reg_name_find("r8") && reg_name_find("r8")->width == 64 &&
	      reg_name_long_only(reg_name_find("r8")), "r8 is a 64-bit, long-mode-only name");
	CHECK(reg_name_find("r15b") && reg_name_find("r15b")->width == 8 &&
	      reg_name_long_only(reg_name_find("r15b")), "r15b is r15's low byte, long mode only");
	CHECK(reg_name_find("r16") == NULL, "reg_name_find(\"r16\") is NULL");
	CHECK(!reg_name_long_only(reg_name_find("eax")) && !reg_name_long_only(reg_name_find("ah")),
	      "eax and ah exist outside long mode");
	CHECK(reg_name_is_segment(reg_name_find("gs")) && !reg_name_is_segment(reg_name_find("r8")),
	      "gs is a segment register, r8 is not");
	CHECK(reg_name_find("") == NULL, "reg_name_find(\"\") is NULL");
	CHECK(reg_name_find("RAX") == reg_name_find("rax") && reg_name_find("rax")->width == 64,
	      "RAX is found case-insensitively, 64 bits wide");
	CHECK(reg_name_find("eaxx") == NULL, "reg_name_find(\"eaxx\") is NULL");
}

static void test_assign(void)
{
	static const struct {
		const char *s;
		int err;
		const char *name;	/* the register found, when err is 0 */
		uint64_t value;
	} cases[] = {
		{ "al=5", 0, "al", 5 },
		{ "al=255", 0, "al", 255 },
		{ "al=0xff", 0, "al", 0xff },
		{ "AH=0x12", 0, "ah", 0x12 },
		{ "ax=0xffff", 0, "ax", 0xffff },
		{ "eax=0xffffffff", 0, "eax", 0xffffffff },
		{ "flags=0", 0, "flags", 0 },
		{ "ds=0x1234", 0, "ds", 0x1234 },
		{ "ip=4096", 0, "ip", 4096 },
		{ "rax=0xffffffffffffffff", 0, "rax", UINT64_C(0xffffffffffffffff) },
		{ "rip=0x100000000", 0, "rip", UINT64_C(0x100000000) },
		{ "r12w=0xffff", 0, "r12w", 0xffff },
		{ "al=256", -ERANGE, NULL, 0 },
		{ "ax=0x10000", -ERANGE, NULL, 0 },
		{ "eax=0x100000000", -ERANGE, NULL, 0 },
		{ "cs=65536", -ERANGE, NULL, 0 },
		{ "eflags=18446744073709551616", -ERANGE, NULL, 0 },
		{ "xx=1", -ENOENT, NULL, 0 },
		{ "r8=1", 0, "r8", 1 },
		{ "r9d=0x100000000", -ERANGE, NULL, 0 },
		{ "r16=1", -ENOENT, NULL, 0 },
		{ "averylongname=1", -ENOENT, NULL, 0 },
		{ "al=", -EINVAL, NULL, 0 },
		{ "=5", -EINVAL, NULL, 0 },
		{ "al", -EINVAL, NULL, 0 },
		{ "", -EINVAL, NULL, 0 },
		{ "al=-1", -EINVAL, NULL, 0 },
		{ "al=1x", -EINVAL, NULL, 0 },
		{ "al= 1", -EINVAL, NULL, 0 },
		{ "al=1=2", -EINVAL, NULL, 0 },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct reg_assign a = { 0 };
		int e = reg_assign_parse(cases[i].s, &a);

		CHECK_ERR(e, cases[i].err, "reg_assign_parse(\"%s\") returns %d", cases[i].s,
			  cases[i].err);
		if (cases[i].err)
			continue;
		CHECK(a.reg == reg_name_find(cases[i].name), "reg_assign_parse(\"%s\") register %s",
		      cases[i].s, cases[i].name);
		CHECK_HEX(a.value, cases[i].value, "reg_assign_parse(\"%s\") value 0x%llx",
			  cases[i].s, (unsigned long long)cases[i].value);
	}
}

static void test_insert(void)
{
	const uint64_t old = UINT64_C(0x1122334455667788);

	CHECK_HEX(reg_field_insert(old, reg_name_find("ah"), 0xab), UINT64_C(0x112233445566ab88),
		  "reg_field_insert ah keeps every other bit");
	CHECK_HEX(reg_field_insert(old, reg_name_find("al"), 0xab), UINT64_C(0x11223344556677ab),
		  "reg_field_insert al keeps every other bit");
	CHECK_HEX(reg_field_insert(old, reg_name_find("ax"), 0xabcd),
		  UINT64_C(0x112233445566abcd), "reg_field_insert ax keeps the upper 48 bits");
	CHECK_HEX(reg_field_insert(old, reg_name_find("eax"), 0xabcdef01),
		  UINT64_C(0x11223344abcdef01), "reg_field_insert eax keeps the upper 32 bits");
	CHECK_HEX(reg_field_insert(old, reg_name_find("ah"), 0x1ff), UINT64_C(0x112233445566ff88),
		  "reg_field_insert ah masks a too-wide value to 8 bits");
	CHECK_HEX(reg_field_insert(0, reg_name_find("ah"), 0x12), 0x1200,
		  "reg_field_insert ah into 0");
	CHECK_HEX(reg_field_insert(old, reg_name_find("rax"), UINT64_C(0xfedcba9876543210)),
		  UINT64_C(0xfedcba9876543210), "reg_field_insert rax replaces all 64 bits");
	CHECK_HEX(reg_field_insert(old, reg_name_find("r8d"), 0xabcdef01),
		  UINT64_C(0x11223344abcdef01), "reg_field_insert r8d keeps the upper 32 bits");
}

void test_regnames(void)
{
	tap_suite("regnames");
	test_names();
	test_assign();
	test_insert();
}
