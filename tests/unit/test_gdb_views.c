/* test_gdb_views.c - tests the register views (vmm/gdb_views.c): which view
 * each CPU mode gets, that every view's location table covers it, and
 * reads and writes through the tables against a hand-made vCPU state. */
#include "gdb_views.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <string.h>

static const struct gdb_arch *const views[] = { &gdb_arch_i8086, &gdb_arch_i386, &gdb_arch_amd64 };

static uint64_t reg_value(const struct gdb_arch *v, const uint8_t *buf, const char *name)
{
	for (unsigned r = 0; r < v->num_regs; r++) {
		if (strcmp(v->regs[r].name, name) == 0) {
			uint64_t x = 0;

			for (unsigned i = 0; i < v->regs[r].size && i < 8; i++)
				x |= (uint64_t)buf[v->regs[r].offset + i] << (8 * i);
			return x;
		}
	}
	return UINT64_C(0xdeadbeefdeadbeef);
}

static int regno_of(const struct gdb_arch *v, const char *name)
{
	for (unsigned r = 0; r < v->num_regs; r++)
		if (strcmp(v->regs[r].name, name) == 0)
			return (int)r;
	return -1;
}

static void test_view_choice(void)
{
	struct kvm_sregs sr;

	memset(&sr, 0, sizeof(sr));
	CHECK(gdb_view_of(&sr) == &gdb_arch_i8086, "real mode: i8086");
	sr.cr0 = 1;
	CHECK(gdb_view_of(&sr) == &gdb_arch_i8086, "protected mode, 16-bit CS: i8086");
	sr.cs.db = 1;
	CHECK(gdb_view_of(&sr) == &gdb_arch_i386, "protected mode, 32-bit CS: i386");
	sr.cr0 |= 1u << 31;
	sr.efer = (1u << 8) | (1u << 10);
	CHECK(gdb_view_of(&sr) == &gdb_arch_i386, "compatibility mode, 32-bit CS: i386");
	sr.cs.db = 0;
	CHECK(gdb_view_of(&sr) == &gdb_arch_i8086, "compatibility mode, 16-bit CS: i8086");
	sr.cs.l = 1;
	CHECK(gdb_view_of(&sr) == &gdb_arch_amd64, "long mode, 64-bit CS: amd64");
}

static void test_tables(void)
{
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		CHECK_INT(gdb_view_table_len(views[i]), views[i]->num_regs,
			  "the %s table maps each of its registers", views[i]->name);
}

static void test_amd64(void)
{
	const struct gdb_arch *v = &gdb_arch_amd64;
	static struct cpu_state s;
	uint8_t buf[GDB_REGS_MAX], val[16];

	memset(&s, 0, sizeof(s));
	s.regs.rip = UINT64_C(0xffffffff8000121d);
	s.regs.rax = UINT64_C(0x1122334455667788);
	s.regs.r15 = 15;
	s.regs.rflags = 0x202;
	s.sregs.cs.selector = 0x18;
	s.sregs.cs.base = 0x1000;	/* ignored in 64-bit code */
	s.sregs.cs.l = 1;
	s.sregs.cr0 = 0x80000011;
	s.sregs.cr3 = 0x2000;
	s.sregs.efer = 0x500;
	s.sregs.fs.base = UINT64_C(0xffff800000000000);
	s.fpu.xmm[3][0] = 0xab;
	s.fpu.mxcsr = 0x1f80;
	gdb_view_read(v, &s, buf);
	CHECK_HEX(reg_value(v, buf, "rip"), UINT64_C(0xffffffff8000121d), "rip is RIP, all 64 bits");
	CHECK_HEX(reg_value(v, buf, "rax"), UINT64_C(0x1122334455667788), "rax all 64 bits");
	CHECK_HEX(reg_value(v, buf, "r15"), 15, "r15");
	CHECK_HEX(reg_value(v, buf, "eflags"), 0x202, "eflags");
	CHECK_HEX(reg_value(v, buf, "cs"), 0x18, "cs is the selector");
	CHECK_HEX(reg_value(v, buf, "cr3"), 0x2000, "cr3");
	CHECK_HEX(reg_value(v, buf, "efer"), 0x500, "efer");
	CHECK_HEX(reg_value(v, buf, "fs_base"), UINT64_C(0xffff800000000000), "fs_base");
	CHECK_HEX(reg_value(v, buf, "mxcsr"), 0x1f80, "mxcsr");
	CHECK_INT(buf[v->regs[regno_of(v, "xmm3")].offset], 0xab, "xmm3's first byte");

	memset(val, 0, sizeof(val));
	val[0] = 0x34; val[1] = 0x12; val[7] = 0xff;
	CHECK_ERR(gdb_view_write(v, &s, (unsigned)regno_of(v, "rip"), val), 0, "rip written");
	CHECK_HEX(s.regs.rip, UINT64_C(0xff00000000001234), "rip takes all 64 bits");
	CHECK_ERR(gdb_view_set_pc(v, &s, UINT64_C(0xffffffff80001000)), 0, "set_pc above 4 GiB");
	CHECK_HEX(s.regs.rip, UINT64_C(0xffffffff80001000), "set_pc wrote rip");
	memset(val, 0, sizeof(val));
	val[0] = 0x10;
	CHECK_ERR(gdb_view_write(v, &s, (unsigned)regno_of(v, "cr3"), val), -EPERM,
		  "cr3 cannot be changed");
	CHECK_HEX(s.sregs.cr3, 0x2000, "cr3 unchanged");
	val[0] = 0x00; val[1] = 0x20;
	CHECK_ERR(gdb_view_write(v, &s, (unsigned)regno_of(v, "cr3"), val), 0,
		  "cr3 written with its own value (a G packet) is fine");
	val[0] = 0x78; val[1] = 0x56;
	CHECK_ERR(gdb_view_write(v, &s, (unsigned)regno_of(v, "cr2"), val), 0, "cr2 is writable");
	CHECK_HEX(s.sregs.cr2, 0x5678, "cr2 written");
	CHECK_ERR(gdb_view_write(v, &s, v->num_regs, val), -ENOENT, "a number past the view");
}

static void test_i386(void)
{
	const struct gdb_arch *v = &gdb_arch_i386;
	static struct cpu_state s;
	uint8_t buf[GDB_REGS_MAX], val[8] = { 0 };

	memset(&s, 0, sizeof(s));
	s.regs.rip = 0x100;
	s.regs.rax = UINT64_C(0xaaaaaaaa00000001);	/* compatibility mode keeps the top */
	s.sregs.cr0 = 1;
	s.sregs.cs.db = 1;
	s.sregs.cs.base = 0x10000;
	gdb_view_read(v, &s, buf);
	CHECK_HEX(reg_value(v, buf, "eip"), 0x10100, "eip is linear: CS.base + EIP");
	CHECK_HEX(reg_value(v, buf, "eax"), 1, "eax is the low half");
	CHECK_HEX(reg_value(v, buf, "cs_base"), 0x10000, "cs_base");
	val[0] = 2;
	CHECK_ERR(gdb_view_write(v, &s, GDB_REG_EAX, val), 0, "eax written");
	CHECK_HEX(s.regs.rax, UINT64_C(0xaaaaaaaa00000002), "writing eax keeps rax's upper half");
	CHECK_ERR(gdb_view_set_pc(v, &s, 0x10200), 0, "set_pc to a linear address");
	CHECK_HEX(s.regs.rip, 0x200, "EIP = linear - CS.base");
	CHECK_ERR(gdb_view_set_pc(v, &s, 0x100), -ERANGE, "a pc below CS.base is refused");
	CHECK_ERR(gdb_view_set_pc(v, &s, UINT64_C(0x100000000)), -ERANGE,
		  "a pc above 4 GiB is refused in 32-bit code");
}

void test_gdb_views(void)
{
	tap_suite("register views per CPU mode (vmm/gdb_views.c)");
	test_view_choice();
	test_tables();
	test_amd64();
	test_i386();
}
