/* test_cpu.c - tests the initial real-mode register state and linear PC (vmm/cpu.c/.h). */
#include "cpu.h"
#include "regnames.h"
#include "suites.h"
#include "tap.h"

#include <string.h>

/* Parse "--reg" style strings into assignments; returns how many parsed. */
static unsigned assigns(struct reg_assign *out, const char *const *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (reg_assign_parse(s[i], &out[i]) != 0) {
			CHECK(0, "reg_assign_parse(\"%s\") for the cpu tests", s[i]);
			return i;
		}
	return n;
}

static void test_plain_entry(void)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	const struct kvm_segment *data_segs[] = { &sregs.ds, &sregs.es, &sregs.ss,
						  &sregs.fs, &sregs.gs };
	const char *names[] = { "ds", "es", "ss", "fs", "gs" };

	memset(&regs, 0xaa, sizeof(regs));
	memset(&sregs, 0, sizeof(sregs));
	sregs.cs.limit = 0xffff;
	sregs.ds.selector = 0x55;
	sregs.ds.base = 0x550;
	cpu_initial_state(&regs, &sregs, 0x07c0, 0x0010, NULL, 0);

	CHECK_HEX(sregs.cs.selector, 0x07c0, "CS selector is the entry segment");
	CHECK_HEX(sregs.cs.base, 0x7c00, "CS base is the entry segment * 16");
	CHECK_HEX(sregs.cs.limit, 0xffff, "CS limit is left as KVM gave it");
	for (unsigned i = 0; i < 5; i++) {
		CHECK_HEX(data_segs[i]->selector, 0, "%s selector is 0", names[i]);
		CHECK_HEX(data_segs[i]->base, 0, "%s base is 0", names[i]);
	}
	CHECK_HEX(regs.rip, 0x10, "RIP is the entry offset");
	CHECK_HEX(regs.rflags, 0x2, "RFLAGS is 2 (reserved bit 1)");
	CHECK(regs.rax == 0 && regs.rbx == 0 && regs.rcx == 0 && regs.rdx == 0 &&
	      regs.rsi == 0 && regs.rdi == 0 && regs.rsp == 0 && regs.rbp == 0 &&
	      regs.r8 == 0 && regs.r15 == 0, "all general registers start at 0");
	CHECK_HEX(cpu_linear_pc(&regs, &sregs), 0x7c10, "linear PC is 0x7c10");
}

static void test_assignments(void)
{
	static const char *const set[] = {
		"al=0x34", "ah=0x12", "ebx=0xdeadbeef", "bx=0x1111", "cl=1", "dh=0xff",
		"si=0x5678", "edi=0x9abcdef0", "sp=0xfffe", "bp=0x10", "ds=0x1234", "ss=0x9000",
		"es=1", "fs=0xffff", "gs=0x10", "flags=0",
	};
	struct reg_assign a[16];
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	unsigned n = assigns(a, set, 16);

	memset(&sregs, 0, sizeof(sregs));
	cpu_initial_state(&regs, &sregs, 0, 0x1000, a, n);
	CHECK_HEX(regs.rax, 0x1234, "al=0x34 then ah=0x12 give RAX 0x1234");
	CHECK_HEX(regs.rbx, 0xdead1111, "ebx then bx=0x1111 keep the upper half");
	CHECK_HEX(regs.rcx, 1, "cl=1");
	CHECK_HEX(regs.rdx, 0xff00, "dh=0xff");
	CHECK_HEX(regs.rsi, 0x5678, "si=0x5678");
	CHECK_HEX(regs.rdi, 0x9abcdef0, "edi=0x9abcdef0");
	CHECK_HEX(regs.rsp, 0xfffe, "sp=0xfffe");
	CHECK_HEX(regs.rbp, 0x10, "bp=0x10");
	CHECK(sregs.ds.selector == 0x1234 && sregs.ds.base == 0x12340,
	      "ds=0x1234 gives selector 0x1234, base 0x12340");
	CHECK(sregs.ss.selector == 0x9000 && sregs.ss.base == 0x90000, "ss=0x9000, base 0x90000");
	CHECK(sregs.es.selector == 1 && sregs.es.base == 0x10, "es=1, base 0x10");
	CHECK(sregs.fs.selector == 0xffff && sregs.fs.base == 0xffff0, "fs=0xffff, base 0xffff0");
	CHECK(sregs.gs.selector == 0x10 && sregs.gs.base == 0x100, "gs=0x10, base 0x100");
	CHECK_HEX(regs.rflags, 0x2, "flags=0 still leaves RFLAGS bit 1 set");
	CHECK(sregs.cs.selector == 0 && sregs.cs.base == 0, "CS stays at the entry segment 0");
	CHECK_HEX(regs.rip, 0x1000, "RIP stays at the entry offset");
}

static void test_overrides(void)
{
	static const char *const set[] = { "eflags=0x202", "cs=0x2000", "ip=0x20", "ax=0xffff",
					   "al=0" };
	struct reg_assign a[5];
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	unsigned n = assigns(a, set, 5);

	memset(&sregs, 0, sizeof(sregs));
	cpu_initial_state(&regs, &sregs, 0x100, 0x5, a, n);
	CHECK_HEX(regs.rflags, 0x202, "eflags=0x202 (IF) is kept");
	CHECK(sregs.cs.selector == 0x2000 && sregs.cs.base == 0x20000,
	      "--reg cs overrides the entry segment, base included");
	CHECK_HEX(regs.rip, 0x20, "--reg ip overrides the entry offset");
	CHECK_HEX(regs.rax, 0xff00, "assignments apply in order (ax then al)");
	CHECK_HEX(cpu_linear_pc(&regs, &sregs), 0x20020, "linear PC follows the overrides");
}

static void test_linear_pc(void)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	memset(&regs, 0, sizeof(regs));
	memset(&sregs, 0, sizeof(sregs));
	sregs.cs.base = 0x10000;
	regs.rip = 0x12345;
	CHECK_HEX(cpu_linear_pc(&regs, &sregs), 0x12345,
		  "real mode: IP is masked to 16 bits (0x10000 + 0x2345)");
	regs.rip = 0xffff;
	CHECK_HEX(cpu_linear_pc(&regs, &sregs), 0x1ffff, "real mode: IP 0xffff");
	sregs.cr0 = CR0_PE;
	regs.rip = 0x12345;
	CHECK_HEX(cpu_linear_pc(&regs, &sregs), 0x22345, "protected mode: the full RIP is used");
	sregs.cr0 = CR0_PE | 0x80000000;
	sregs.cs.base = 0;
	regs.rip = 0xc0001000;
	CHECK_HEX(cpu_linear_pc(&regs, &sregs), 0xc0001000, "protected mode: a 32-bit EIP");
	sregs.cr0 = 0x10;	/* ET only */
	CHECK_HEX(cpu_linear_pc(&regs, &sregs), 0x1000, "CR0 bits other than PE: still real mode");
}

void test_cpu(void)
{
	struct kvm_segment seg;

	tap_suite("cpu");
	memset(&seg, 0, sizeof(seg));
	seg.limit = 0xffff;
	cpu_real_mode_segment(&seg, 0xb800);
	CHECK(seg.selector == 0xb800 && seg.base == 0xb8000 && seg.limit == 0xffff,
	      "cpu_real_mode_segment(0xb800): base 0xb8000, limit untouched");
	test_plain_entry();
	test_assignments();
	test_overrides();
	test_linear_pc();
}
