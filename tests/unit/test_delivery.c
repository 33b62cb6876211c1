/* test_delivery.c - tests recognising an interrupted delivery (vmm/delivery.c) and the
 * location text in each mode (vmm/location.c). */
#include "delivery.h"
#include "location.h"
#include "memory.h"
#include "suites.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void decode_case(const char *what, const uint8_t *code, size_t n, bool long64,
			const struct kvm_regs *regs, enum guest_doing doing, int vector,
			const char *insn)
{
	struct guest_event ev;

	memset(&ev, 0xaa, sizeof(ev));
	delivery_decode(code, n, long64, regs, &ev);
	CHECK_INT(ev.doing, doing, "%s: recognised as kind %d", what, doing);
	if (vector >= 0)
		CHECK_HEX(ev.vector, vector, "%s: vector 0x%x", what, vector);
	if (insn)
		CHECK_STR(ev.insn, insn, "%s: named \"%s\"", what, insn);
}

static void test_decode(void)
{
	static const uint8_t int80[] = { 0xcd, 0x80 }, int3[] = { 0xcc }, into[] = { 0xce },
			     int1[] = { 0xf1 }, iret[] = { 0xcf }, iretq[] = { 0x48, 0xcf },
			     prefixed[] = { 0x66, 0x2e, 0xcd, 0x21 }, half[] = { 0xcd },
			     movcr0_eax[] = { 0x0f, 0x22, 0xc0 }, movcr0_r9[] = { 0x41, 0x0f, 0x22, 0xc1 },
			     movcr3[] = { 0x0f, 0x22, 0xd8 }, nop[] = { 0x90 },
			     prefixes[] = { 0x66, 0x66, 0x66 };
	struct kvm_regs regs;

	tap_suite("delivery: the instruction at the pc");
	memset(&regs, 0, sizeof(regs));
	regs.rax = 0x80000011;	/* PG and PE */
	regs.r9 = 0x80000011;
	decode_case("int 0x80", int80, 2, false, &regs, DOING_SOFT_INT, 0x80, "int 0x80");
	decode_case("int3", int3, 1, false, &regs, DOING_SOFT_INT, 3, "int3");
	decode_case("into", into, 1, false, &regs, DOING_SOFT_INT, 4, "into");
	decode_case("into in 64-bit code (invalid there)", into, 1, true, &regs, DOING_UNKNOWN, -1,
		    NULL);
	decode_case("int1", int1, 1, true, &regs, DOING_SOFT_INT, 1, "int1");
	decode_case("iret", iret, 1, false, &regs, DOING_IRET, -1, "iret");
	decode_case("iretq", iretq, 2, true, &regs, DOING_IRET, -1, "iretq");
	decode_case("0x48 is not REX outside 64-bit code", iretq, 2, false, &regs, DOING_UNKNOWN,
		    -1, NULL);
	decode_case("int 0x21 after prefixes", prefixed, 4, false, &regs, DOING_SOFT_INT, 0x21,
		    "int 0x21");
	decode_case("a truncated int n", half, 1, false, &regs, DOING_UNKNOWN, -1, NULL);
	decode_case("no bytes", int80, 0, false, &regs, DOING_UNKNOWN, -1, NULL);
	decode_case("prefixes only", prefixes, 3, false, &regs, DOING_UNKNOWN, -1, NULL);
	decode_case("mov cr0, eax with PG", movcr0_eax, 3, false, &regs, DOING_PAGING_ON, -1,
		    "mov cr0");
	decode_case("mov cr0, r9 with PG", movcr0_r9, 4, true, &regs, DOING_PAGING_ON, -1,
		    "mov cr0");
	decode_case("mov cr3, eax", movcr3, 3, false, &regs, DOING_UNKNOWN, -1, NULL);
	decode_case("nop", nop, 1, false, &regs, DOING_UNKNOWN, -1, NULL);
	decode_case("mov cr0 without registers", movcr0_eax, 3, false, NULL, DOING_UNKNOWN, -1,
		    NULL);
	regs.rax = 0x11;
	decode_case("mov cr0, eax without PG", movcr0_eax, 3, false, &regs, DOING_UNKNOWN, -1,
		    NULL);
}

static void test_events(void)
{
	struct kvm_vcpu_events ev;
	struct guest_event g;

	tap_suite("delivery: KVM's event state");
	memset(&ev, 0, sizeof(ev));
	ev.exception.nr = 13;	/* left over from an earlier exception: not an event */
	ev.exception.has_error_code = 1;
	CHECK(!delivery_from_events(&ev, 0, &g), "an exception neither injected nor pending");
	ev.exception.nr = 14;
	ev.exception.injected = 1;
	ev.exception.error_code = 2;
	CHECK(delivery_from_events(&ev, 0xdead000, &g), "an injected page fault");
	CHECK_INT(g.doing, DOING_EXCEPTION, "it is an exception");
	CHECK_HEX(g.vector, 14, "vector 14");
	CHECK(g.has_error_code && g.error_code == 2, "with its error code 2");
	CHECK(g.has_cr2 && g.cr2 == 0xdead000, "and CR2 from the register");
	ev.exception_has_payload = 1;
	ev.exception_payload = 0xbeef000;
	CHECK(delivery_from_events(&ev, 0xdead000, &g) && g.cr2 == 0xbeef000,
	      "a payload KVM kept is the CR2 to be");
	memset(&ev, 0, sizeof(ev));
	ev.exception.pending = 1;
	CHECK(delivery_from_events(&ev, 0, &g) && g.vector == 0 && !g.has_cr2 && !g.has_error_code,
	      "a pending #DE: no error code, no CR2");
	/* An interrupt gdbvm injected (KVM_INTERRUPT), still being delivered. */
	memset(&ev, 0, sizeof(ev));
	ev.interrupt.nr = 0x20;	/* left over, not injected: not an event */
	CHECK(!delivery_from_events(&ev, 0, &g), "an interrupt vector not injected");
	ev.interrupt.injected = 1;
	CHECK(delivery_from_events(&ev, 0, &g), "an injected device interrupt");
	CHECK_INT(g.doing, DOING_INTERRUPT, "it is a device interrupt");
	CHECK_HEX(g.vector, 0x20, "vector 0x20");
	CHECK(!g.has_error_code && !g.has_cr2, "no error code, no CR2");
	ev.interrupt.soft = 1;
	ev.interrupt.nr = 0x80;
	CHECK(delivery_from_events(&ev, 0, &g) && g.doing == DOING_SOFT_INT && g.vector == 0x80 &&
	      strcmp(g.insn, "int 0x80") == 0, "a soft one is an int n");
	ev.interrupt.soft = 0;
	ev.exception.injected = 1;
	ev.exception.nr = 13;
	CHECK(delivery_from_events(&ev, 0, &g) && g.doing == DOING_EXCEPTION && g.vector == 13,
	      "an exception comes before an injected interrupt");
	/* VT-x's IDT-vectoring information (KVM_INTERNAL_ERROR_DELIVERY_EV). */
	CHECK(!delivery_from_vectoring(0x0000030e, &g), "vectoring information without bit 31");
	CHECK(delivery_from_vectoring(0x80000b0e, &g) && g.doing == DOING_EXCEPTION &&
	      g.vector == 14, "vectoring: a hardware exception, #PF");
	CHECK(delivery_from_vectoring(0x80000480, &g) && g.doing == DOING_SOFT_INT &&
	      g.vector == 0x80 && strcmp(g.insn, "int n") == 0, "vectoring: a software interrupt");
	CHECK(delivery_from_vectoring(0x80000603, &g) && g.doing == DOING_SOFT_INT &&
	      strcmp(g.insn, "int3") == 0, "vectoring: a software exception, int3");
	CHECK(delivery_from_vectoring(0x80000020, &g) && g.vector == 0x20 &&
	      strcmp(g.insn, "an interrupt") == 0, "vectoring: an external interrupt");
	CHECK_STR(delivery_vector_name(14), "#PF", "vector 14 is #PF");
	CHECK_STR(delivery_vector_name(0), "#DE", "vector 0 is #DE");
	CHECK(delivery_vector_name(0x80) == NULL, "vector 0x80 has no exception name");
	CHECK(delivery_vector_name(15) == NULL, "vector 15 is reserved");
}

static void test_host(void)
{
	char root[] = "/tmp/gdbvm-sysfs.XXXXXX", path[128];

	tap_suite("delivery: the kind of host");
	if (!mkdtemp(root)) {
		CHECK(0, "mkdtemp for a fake sysfs");
		return;
	}
	CHECK(!delivery_host_is_pvm(root), "no module directory: not kvm_pvm");
	snprintf(path, sizeof(path), "%s/module", root);
	CHECK(mkdir(path, 0700) == 0, "mkdir module");
	snprintf(path, sizeof(path), "%s/module/kvm_pvm", root);
	CHECK(mkdir(path, 0700) == 0, "mkdir module/kvm_pvm");
	CHECK(delivery_host_is_pvm(root), "module/kvm_pvm: kvm_pvm");
	rmdir(path);
	snprintf(path, sizeof(path), "%s/module", root);
	rmdir(path);
	rmdir(root);
}

static void test_location(void)
{
	struct guest_mem mem;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	char buf[160];

	tap_suite("location: the mode's form");
	if (mem_alloc(&mem, 1 << 20) != 0) {
		CHECK(0, "mem_alloc for the location tests");
		return;
	}
	memset(&regs, 0, sizeof(regs));
	memset(&sregs, 0, sizeof(sregs));
	sregs.cs.selector = 0x07c0;
	sregs.cs.base = 0x7c00;
	regs.rip = 0x10;
	CHECK_INT(guest_mode(&regs, &sregs), GUEST_REAL, "CR0.PE clear: real mode");
	guest_format_location(buf, sizeof(buf), &mem, &regs, &sregs);
	CHECK_STR(buf, "07c0:0010 (linear 0x7c10)", "real mode: CS:IP and the linear address");

	sregs.cr0 = PAGING_CR0_PE;
	sregs.cs.selector = 0x08;
	sregs.cs.base = 0;
	sregs.cs.db = 1;
	regs.rip = 0x101000;
	CHECK_INT(guest_mode(&regs, &sregs), GUEST_PROT32, "CS.D: 32-bit protected mode");
	CHECK_STR(guest_mode_name(GUEST_PROT32), "protected mode, 32-bit code", "its name");
	guest_format_location(buf, sizeof(buf), &mem, &regs, &sregs);
	CHECK_STR(buf, "0008:00101000 (linear 0x101000)", "protected mode: CS:EIP");
	sregs.cs.db = 0;
	regs.rip = 0x1234;
	CHECK_INT(guest_mode(&regs, &sregs), GUEST_PROT16, "no CS.D: 16-bit protected mode");
	guest_format_location(buf, sizeof(buf), &mem, &regs, &sregs);
	CHECK_STR(buf, "0008:1234 (linear 0x1234)", "16-bit protected mode: CS:IP");
	regs.rflags = 1 << 17;
	CHECK_INT(guest_mode(&regs, &sregs), GUEST_VM86, "EFLAGS.VM: virtual-8086 mode");
	regs.rflags = 2;

	/* 32-bit paging: 0x00400000 maps to 0x3000 through tables at 0x1000. */
	sregs.cs.db = 1;
	sregs.cr0 = PAGING_CR0_PE | PAGING_CR0_PG;
	sregs.cr3 = 0x1000;
	mem.host[0x1004] = 0x03;	/* PDE 1 -> page table 0x2000 */
	mem.host[0x1005] = 0x20;
	mem.host[0x2008] = 0x01;	/* PTE 2 -> frame 0x3000 */
	mem.host[0x2009] = 0x30;
	regs.rip = 0x402010;
	guest_format_location(buf, sizeof(buf), &mem, &regs, &sregs);
	CHECK_STR(buf, "0008:00402010 (linear 0x402010, physical 0x3010)",
		  "paging on: the physical address follows");
	regs.rip = 0x800000;
	guest_format_location(buf, sizeof(buf), &mem, &regs, &sregs);
	CHECK_STR(buf, "0008:00800000 (linear 0x800000, page not present)",
		  "paging on: an address that does not translate says why");

	/* Long mode, 64-bit code: RIP; compatibility mode: CS:EIP. */
	sregs.cr4 = PAGING_CR4_PAE;
	sregs.efer = PAGING_EFER_LME | PAGING_EFER_LMA;
	sregs.cr3 = 0x10000;		/* an empty PML4 */
	sregs.cs.l = 1;
	sregs.cs.db = 0;
	regs.rip = 0xffffffff80001000ull;
	CHECK_INT(guest_mode(&regs, &sregs), GUEST_LONG64, "EFER.LMA and CS.L: 64-bit mode");
	guest_format_location(buf, sizeof(buf), &mem, &regs, &sregs);
	CHECK_STR(buf, "rip 0xffffffff80001000 (page not present)", "64-bit mode: RIP");
	regs.rip = 0x0000900000000000ull;
	guest_format_location(buf, sizeof(buf), &mem, &regs, &sregs);
	CHECK_STR(buf, "rip 0x900000000000 (non-canonical address)",
		  "64-bit mode: a non-canonical RIP");
	sregs.cs.l = 0;
	sregs.cs.db = 1;
	sregs.cs.selector = 0x23;
	regs.rip = 0x401000;
	CHECK_INT(guest_mode(&regs, &sregs), GUEST_COMPAT, "EFER.LMA without CS.L: compatibility");
	guest_format_location(buf, sizeof(buf), &mem, &regs, &sregs);
	CHECK_STR(buf, "0023:00401000 (linear 0x401000, page not present)",
		  "compatibility mode: CS:EIP");
	guest_format_location(buf, 8, &mem, &regs, &sregs);
	CHECK_STR(buf, "0023:00", "a short buffer is cut and terminated");
	mem_free(&mem);
}

void test_delivery(void)
{
	test_decode();
	test_events();
	test_host();
	test_location();
}
