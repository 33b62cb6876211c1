/*
 * test_modes.c - tests the start-up of protected- and long-mode guests
 * without KVM: the gdbvm area and memory map (vmm/layout.c), the initial
 * vCPU state per mode (vmm/cpu_modes.c), the CPUID filter (vmm/cpuid.c)
 * and the choice of mode and entry point (vmm/entry.c).
 */
#include "cpu_modes.h"
#include "cpuid.h"
#include "entry.h"
#include "layout.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t get64(const struct guest_mem *mem, uint64_t gpa)
{
	uint64_t v = 0;

	if (mem_read(mem, gpa, &v, sizeof(v)) < 0)
		CHECK(0, "read of 0x%llx inside RAM", (unsigned long long)gpa);
	return v;
}

static void test_area_place(void)
{
	CHECK_HEX(layout_area_base(UINT64_C(1) << 20), 0x8f000, "1M of RAM: the area at 0x8f000");
	CHECK_HEX(layout_area_base(UINT64_C(3) << 30), 0x8f000, "3G of RAM: the area at 0x8f000");
	CHECK_HEX(layout_area_base(0x9f000), 0x8f000, "RAM ending at 0x9f000: 0x8f000");
	CHECK_HEX(layout_area_base(0x40000), 0x30000, "256K of RAM: the top 64K (0x30000)");
	CHECK_HEX(layout_area_base(0x41800), 0x31000, "RAM not page-sized at the top: rounded down");
	CHECK_HEX(layout_area_base(LAYOUT_RAM_MIN), LAYOUT_AREA_SIZE, "the least RAM: area at 64K");
	CHECK_HEX(layout_area_base(LAYOUT_RAM_MIN - 0x1000), 0, "less RAM than that: no area");

	CHECK(layout_overlaps_area(0x8f000, 0x8f000, 1), "first byte overlaps");
	CHECK(layout_overlaps_area(0x8f000, 0x9efff, 1), "last byte overlaps");
	CHECK(!layout_overlaps_area(0x8f000, 0x9f000, 0x1000), "just above does not");
	CHECK(!layout_overlaps_area(0x8f000, 0x8e000, 0x1000), "just below does not");
	CHECK(layout_overlaps_area(0x8f000, 0x8e000, 0x1001), "one byte into it does");
	CHECK(layout_overlaps_area(0x8f000, 0x1000, 0x200000), "a range across it does");
	CHECK(!layout_overlaps_area(0x8f000, 0x1000, 0), "an empty range never does");
	CHECK(layout_overlaps_area(0x8f000, 0x1000, UINT64_MAX), "a wrapping length does");
	CHECK(!layout_overlaps_area(0x8f000, UINT64_MAX - 4, 16), "a wrapping range above does not");
}

static void expect_map(const char *what, const struct mem_region *map, unsigned n,
		       const uint64_t (*want)[3], unsigned nwant)
{
	CHECK_INT(n, nwant, "%s: %u regions", what, nwant);
	for (unsigned i = 0; i < n && i < nwant; i++)
		CHECK(map[i].base == want[i][0] && map[i].length == want[i][1] &&
		      map[i].type == want[i][2], "%s: region %u is 0x%llx+0x%llx type %llu", what,
		      i, (unsigned long long)want[i][0], (unsigned long long)want[i][1],
		      (unsigned long long)want[i][2]);
}

static void test_memory_map(void)
{
	static const uint64_t with_area[][3] = {
		{ 0, 0x8f000, 1 }, { 0x8f000, 0x11000, 2 }, { 0xa0000, 0x60000, 2 },
		{ 0x100000, 0x300000, 1 },
	};
	static const uint64_t bios[][3] = {
		{ 0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0xf0000, 0x10000, 2 },
		{ 0x100000, 0x100000, 1 },
	};
	static const uint64_t small[][3] = { { 0, 0x30000, 1 }, { 0x30000, 0x10000, 2 } };
	static const uint64_t plain_1m[][3] = { { 0, 0xa0000, 1 }, { 0xa0000, 0x60000, 2 } };
	struct mem_region map[LAYOUT_MAP_MAX];

	expect_map("4M, gdbvm area", map, layout_memory_map(4 << 20, 0x8f000, false, map),
		   with_area, 4);
	expect_map("2M, --boot", map, layout_memory_map(2 << 20, 0, true, map), bios, 4);
	expect_map("256K, gdbvm area", map, layout_memory_map(0x40000, 0x30000, false, map),
		   small, 2);
	expect_map("1M, no area", map, layout_memory_map(1 << 20, 0, false, map), plain_1m, 2);
}

static void test_tables(void)
{
	struct guest_mem mem;
	uint64_t area = 0x8f000, pml4e, pdpte, pde;

	if (mem_alloc(&mem, 1 << 20) < 0) {
		CHECK(0, "1M of test RAM");
		return;
	}
	CHECK_INT(layout_write_tables(&mem, area, true), 0, "GDT and page tables written");
	CHECK_HEX(get64(&mem, area + GDT_SEL_CODE32), gdt_descriptors[1], "GDT 0x08: code32");
	CHECK_HEX(get64(&mem, area + GDT_SEL_CODE64), gdt_descriptors[3], "GDT 0x18: code64");
	/* Walk a few addresses by hand, the way the CPU would. */
	for (uint64_t va = 0; va < (UINT64_C(4) << 30); va += UINT64_C(0x3fe00000) + 0x1234) {
		pml4e = get64(&mem, area + LAYOUT_PML4_OFF + 8 * ((va >> 39) & 511));
		pdpte = get64(&mem, (pml4e & ~UINT64_C(0xfff)) + 8 * ((va >> 30) & 511));
		pde = get64(&mem, (pdpte & ~UINT64_C(0xfff)) + 8 * ((va >> 21) & 511));
		CHECK((pml4e & 3) == 3 && (pdpte & 3) == 3 && (pde & 0x83) == 0x83 &&
		      (pde & ~UINT64_C(0x1fffff) & ~UINT64_C(0xfff0000000000000)) +
		      (va & 0x1fffff) == va, "linear 0x%llx maps to itself through 2M pages",
		      (unsigned long long)va);
	}
	CHECK_HEX(get64(&mem, area + LAYOUT_PML4_OFF + 8), 0, "nothing above 512G is mapped");
	CHECK_HEX(get64(&mem, area + LAYOUT_PDPT_OFF + 8 * LAYOUT_PD_COUNT), 0,
		  "nothing above 4G is mapped");
	CHECK_ERR(layout_write_tables(&mem, (1 << 20) - 0x8000, true), -EFAULT,
		  "an area past the end of RAM is refused");
	mem_free(&mem);
}

static void test_mode_states(void)
{
	struct reg_assign a[2];
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct cpu_entry e = { .mode = CPU_MODE_PROTECTED, .rip = 0x100000, .gdt_base = 0x8f000,
			       .rax = 0x2badb002, .rbx = 0x97000 };

	memset(&sregs, 0, sizeof(sregs));
	CHECK(reg_assign_parse("ebx=7", &a[0]) == 0 && reg_assign_parse("esp=0x80000", &a[1]) == 0,
	      "two --reg assignments");
	cpu_entry_state(&regs, &sregs, &e, a, 2);
	CHECK_HEX(regs.rip, 0x100000, "protected: EIP is the entry point");
	CHECK_HEX(regs.rax, 0x2badb002, "protected: EAX preset");
	CHECK_HEX(regs.rbx, 7, "protected: --reg wins over the EBX preset");
	CHECK_HEX(regs.rsp, 0x80000, "protected: ESP from --reg");
	CHECK_HEX(regs.rflags, 2, "protected: interrupts off");
	CHECK(sregs.cs.selector == GDT_SEL_CODE32 && sregs.cs.db == 1 && sregs.cs.l == 0 &&
	      sregs.cs.base == 0 && sregs.cs.limit == 0xffffffff && sregs.cs.g == 1 &&
	      sregs.cs.type == 0xb && sregs.cs.s && sregs.cs.present, "protected: flat 32-bit CS");
	CHECK(sregs.ds.selector == GDT_SEL_DATA && sregs.ss.selector == GDT_SEL_DATA &&
	      sregs.gs.selector == GDT_SEL_DATA && sregs.ds.type == 3 && sregs.ss.db == 1,
	      "protected: flat data segments everywhere else");
	CHECK((sregs.cr0 & (CR0_PE | CR0_PG)) == CR0_PE && sregs.efer == 0 && sregs.cr4 == 0,
	      "protected: PE on, paging off");
	CHECK(sregs.gdt.base == 0x8f000 && sregs.gdt.limit == GDT_ENTRIES * 8 - 1,
	      "protected: GDTR points at gdbvm's GDT");
	CHECK(sregs.idt.limit == 0, "protected: no IDT until the guest loads one");
	CHECK_HEX(cpu_linear_pc(&regs, &sregs), 0x100000, "protected: linear PC");

	e = (struct cpu_entry){ .mode = CPU_MODE_LONG, .rip = 0x200000, .gdt_base = 0x8f000,
				.cr3 = 0x90000 };
	CHECK(reg_assign_parse("r15=0x123456789abcdef0", &a[0]) == 0, "--reg r15=...");
	cpu_entry_state(&regs, &sregs, &e, a, 1);
	CHECK_HEX(regs.r15, UINT64_C(0x123456789abcdef0), "long: R15 from --reg, all 64 bits");
	CHECK(sregs.cs.selector == GDT_SEL_CODE64 && sregs.cs.l == 1 && sregs.cs.db == 0,
	      "long: 64-bit CS");
	CHECK((sregs.cr0 & (CR0_PE | CR0_PG)) == (CR0_PE | CR0_PG) && (sregs.cr4 & CR4_PAE) &&
	      (sregs.efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA) &&
	      sregs.cr3 == 0x90000, "long: paging, PAE, LME and LMA, CR3 at the tables");
	CHECK(sregs.cr4 & CR4_OSFXSR, "long: SSE enabled");
	CHECK_HEX(cpu_linear_pc(&regs, &sregs), 0x200000, "long: linear PC is RIP");

	for (unsigned i = 1; i < GDT_ENTRIES; i++) {
		uint64_t d = gdt_descriptors[i];

		CHECK(((d >> 47) & 1) && ((d >> 40) & 1) && (d & 0xffff) == 0xffff &&
		      ((d >> 16) & 0xffffff) == 0 && (d >> 56) == 0,
		      "GDT entry %u: present, accessed, base 0, limit 0xFFFFF", i);
	}
}

static void test_cpuid_filter(void)
{
	struct kvm_cpuid_entry2 e[3] = {
		{ .function = 0, .eax = 0xd, .ebx = 0x756e6547 },
		{ .function = 1, .ebx = 0x05020800, .ecx = 0xffffffff, .edx = 0xffffffff },
		{ .function = 0x80000001, .edx = 1u << 29 },
	};

	cpuid_filter(e, 3);
	CHECK(e[0].eax == 0xd && e[0].ebx == 0x756e6547, "leaf 0 untouched");
	CHECK(!(e[1].edx & (1u << 9)), "leaf 1: no local APIC (no in-kernel irqchip)");
	CHECK(!(e[1].ecx & (1u << 21)) && !(e[1].ecx & (1u << 24)), "leaf 1: no x2APIC, no "
	      "TSC deadline");
	CHECK(e[1].ecx & (1u << 0) && e[1].edx & (1u << 25), "leaf 1: SSE3 and SSE kept");
	CHECK_HEX(e[1].ebx, 0x00020800, "leaf 1: initial APIC ID 0, the rest kept");
	CHECK(e[2].edx & (1u << 29), "leaf 0x80000001: long mode kept");
}

/* entry_prepare on a config made as options_parse would make it. */
static int prepare(struct config *cfg, struct guest_image *img, struct guest_mem *mem,
		   struct cpu_entry *e, char *err, size_t errlen)
{
	FILE *f = fmemopen(err, errlen, "w");
	int r;

	if (!f)
		return -ENOMEM;
	r = entry_prepare(cfg, img, mem, e, f);
	fclose(f);
	return r;
}

static void test_entry(void)
{
	struct guest_image elf64 = { .is_elf = true, .is64 = true, .entry = 0x100000, .nranges = 1,
				     .ranges = { { 0x100000, 0x2000 } } };
	struct guest_image flat = { .nranges = 1, .ranges = { { 0x1000, 0x200 } } };
	struct config cfg;
	struct cpu_entry e;
	struct guest_mem mem;
	char err[512];

	if (mem_alloc(&mem, 2 << 20) < 0) {
		CHECK(0, "2M of test RAM");
		return;
	}
	cfg = (struct config){ .mem_size = 2 << 20, .load_addr = 0x1000, .guest_path = "g" };
	CHECK_INT(prepare(&cfg, &elf64, &mem, &e, err, sizeof(err)), 0, "ELF64: accepted");
	CHECK(cfg.mode == CPU_MODE_LONG && e.mode == CPU_MODE_LONG && e.rip == 0x100000 &&
	      e.cr3 == 0x8f000 + LAYOUT_PML4_OFF && e.gdt_base == 0x8f000,
	      "ELF64 enters long mode at e_entry with gdbvm's tables");
	CHECK_HEX(get64(&mem, 0x8f000 + LAYOUT_PML4_OFF) & 1, 1, "the page tables were written");

	cfg = (struct config){ .mem_size = 2 << 20, .load_addr = 0x1000, .guest_path = "g",
			       .entry_off = 0x1000 };
	CHECK_INT(prepare(&cfg, &flat, &mem, &e, err, sizeof(err)), 0, "flat: accepted");
	CHECK(e.mode == CPU_MODE_REAL && e.real_cs == 0 && e.rip == 0x1000,
	      "a flat binary enters real mode at 0000:1000");

	cfg.mode_given = true;
	cfg.mode = CPU_MODE_PROTECTED;
	cfg.entry_given = cfg.entry_is_linear = true;
	cfg.entry_linear = 0x1010;
	CHECK_INT(prepare(&cfg, &flat, &mem, &e, err, sizeof(err)), 0, "--mode protected -e 0x1010");
	CHECK(e.mode == CPU_MODE_PROTECTED && e.rip == 0x1010 && e.cr3 == 0,
	      "protected mode at the linear entry, no page tables");

	cfg.entry_is_linear = false;
	CHECK_ERR(prepare(&cfg, &flat, &mem, &e, err, sizeof(err)), -EINVAL,
		  "protected mode with -e SEG:OFF is refused");
	CHECK_CONTAINS(err, "real-mode entry point", "... saying why");

	cfg = (struct config){ .mem_size = 2 << 20, .guest_path = "g", .mode_given = true,
			       .mode = CPU_MODE_LONG, .load_addr = 0x90000 };
	flat.ranges[0].start = 0x90000;
	CHECK_ERR(prepare(&cfg, &flat, &mem, &e, err, sizeof(err)), -ENOEXEC,
		  "an image across the gdbvm area is refused");
	CHECK_CONTAINS(err, "overlaps gdbvm's own structures at 0x8f000-0x9efff", "... naming it");

	cfg = (struct config){ .mem_size = 64 << 10, .guest_path = "g", .mode_given = true,
			       .mode = CPU_MODE_PROTECTED, .load_addr = 0x1000 };
	flat.ranges[0].start = 0x1000;
	CHECK_ERR(prepare(&cfg, &flat, &mem, &e, err, sizeof(err)), -ENOEXEC,
		  "64K of RAM has no room for the area");
	CHECK_CONTAINS(err, "needs at least 128K", "... saying how much");

	cfg = (struct config){ .mem_size = 2 << 20, .guest_path = "g", .load_addr = 0x1000,
			       .nregs = 1 };
	CHECK(reg_assign_parse("r8=1", &cfg.regs[0]) == 0, "--reg r8=1");
	CHECK_ERR(prepare(&cfg, &flat, &mem, &e, err, sizeof(err)), -EINVAL,
		  "r8 for a real-mode guest is refused");
	CHECK_CONTAINS(err, "r8 exists only in long mode", "... saying why");
	CHECK_INT(prepare(&cfg, &elf64, &mem, &e, err, sizeof(err)), 0,
		  "r8 for an ELF64 (long-mode) guest is accepted");
	CHECK(reg_assign_parse("ds=0x10", &cfg.regs[0]) == 0, "--reg ds=0x10");
	CHECK_ERR(prepare(&cfg, &elf64, &mem, &e, err, sizeof(err)), -EINVAL,
		  "a segment register outside real mode is refused");

	elf64.entry = UINT64_C(0xffffffff80100000);
	cfg.nregs = 0;
	CHECK_ERR(prepare(&cfg, &elf64, &mem, &e, err, sizeof(err)), -ENOEXEC,
		  "a higher-half ELF entry point is refused");
	CHECK_CONTAINS(err, "outside guest RAM", "... saying why");
	mem_free(&mem);
}

void test_modes(void)
{
	tap_suite("modes");
	test_area_place();
	test_memory_map();
	test_tables();
	test_mode_states();
	test_cpuid_filter();
	test_entry();
}
