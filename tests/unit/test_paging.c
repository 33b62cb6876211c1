/* test_paging.c - tests the guest page-table walks (vmm/paging.c) on tables built by hand. */
#include "memory.h"
#include "paging.h"
#include "suites.h"
#include "tap.h"

#include <string.h>

#define RAM_SIZE (1024 * 1024)

#define P 0x1ull	/* present */
#define RW 0x2ull
#define PS 0x80ull	/* page size */
#define NX (1ull << 63)

#define CR0_PE_PG (PAGING_CR0_PE | PAGING_CR0_PG)

static struct guest_mem mem;

static void put32(uint64_t at, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		mem.host[at + i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint64_t at, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		mem.host[at + i] = (uint8_t)(v >> (8 * i));
}

static void wipe(void)
{
	memset(mem.host, 0, RAM_SIZE);
}

static struct paging_state state(uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer)
{
	return (struct paging_state){ .cr0 = cr0, .cr3 = cr3, .cr4 = cr4, .efer = efer };
}

static struct paging_state long_state(uint64_t cr3)
{
	return state(CR0_PE_PG, cr3, PAGING_CR4_PAE, PAGING_EFER_LME | PAGING_EFER_LMA);
}

/* Translate and check the physical address and page size. */
static void expect_ok(const struct paging_state *st, uint64_t linear, uint64_t phys,
		      uint64_t page_size, const char *what)
{
	struct paging_walk w;
	int err = paging_translate(&mem, st, linear, &w);

	CHECK_ERR(err, 0, "%s: 0x%llx translates", what, (unsigned long long)linear);
	CHECK_HEX(w.phys, phys, "%s: 0x%llx -> 0x%llx", what, (unsigned long long)linear,
		  (unsigned long long)phys);
	CHECK_HEX(w.page_size, page_size, "%s: page size 0x%llx", what,
		  (unsigned long long)page_size);
}

/* Translate and check the error and the level of the entry that stopped it. */
static void expect_err(const struct paging_state *st, uint64_t linear, int err, int level,
		       const char *what)
{
	struct paging_walk w;
	int got = paging_translate(&mem, st, linear, &w);

	CHECK_INT(got, -err, "%s: 0x%llx fails with \"%s\"", what, (unsigned long long)linear,
		  paging_strerror(-err));
	CHECK_INT(w.level, level, "%s: the walk stopped at level %d", what, level);
}

static void test_paging_modes(void)
{
	static const struct {
		uint64_t cr0, cr4, efer;
		enum paging_mode mode;
	} cases[] = {
		{ 0, 0, 0, PAGING_OFF },
		{ PAGING_CR0_PE, PAGING_CR4_PAE, PAGING_EFER_LME, PAGING_OFF },
		{ CR0_PE_PG, 0, 0, PAGING_32BIT },
		{ CR0_PE_PG, PAGING_CR4_PSE, 0, PAGING_32BIT },
		{ CR0_PE_PG, PAGING_CR4_PAE, 0, PAGING_PAE },
		{ CR0_PE_PG, PAGING_CR4_PAE, PAGING_EFER_LMA, PAGING_4LEVEL },
		{ CR0_PE_PG, PAGING_CR4_PAE, PAGING_EFER_LME, PAGING_4LEVEL },
		{ CR0_PE_PG, PAGING_CR4_PAE | PAGING_CR4_LA57, PAGING_EFER_LMA, PAGING_5LEVEL },
		{ CR0_PE_PG, 0, PAGING_EFER_LMA, PAGING_INVALID },
	};

	tap_suite("paging: modes");
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct paging_state st = state(cases[i].cr0, 0, cases[i].cr4, cases[i].efer);

		CHECK_STR(paging_mode_name(paging_mode(&st)), paging_mode_name(cases[i].mode),
			  "cr0=%llx cr4=%llx efer=%llx is paging %s",
			  (unsigned long long)cases[i].cr0, (unsigned long long)cases[i].cr4,
			  (unsigned long long)cases[i].efer, paging_mode_name(cases[i].mode));
	}
	CHECK_STR(paging_level_name(PAGING_4LEVEL, 4), "PML4E", "level 4 is a PML4E");
	CHECK_STR(paging_level_name(PAGING_32BIT, 2), "PDE", "32-bit level 2 is a PDE");
	CHECK_STR(paging_level_name(PAGING_PAE, 3), "PDPTE", "PAE level 3 is a PDPTE");
	/* Every error has its own text. */
	for (int a = PAGING_ERR_NOT_PRESENT; a <= PAGING_ERR_BAD_STATE; a++)
		for (int b = a + 1; b <= PAGING_ERR_BAD_STATE; b++)
			CHECK(strcmp(paging_strerror(-a), paging_strerror(-b)) != 0,
			      "errors %d and %d read differently", a, b);
}

static void test_off(void)
{
	struct paging_state real = state(0, 0x5000, 0, 0);
	struct paging_state prot = state(PAGING_CR0_PE, 0, PAGING_CR4_PAE, 0);

	tap_suite("paging: off");
	wipe();
	expect_ok(&real, 0x7c00, 0x7c00, 0x1000, "real mode is identity");
	expect_ok(&real, 0x10ffef, 0x10ffef, 0x1000, "real mode above 1 MiB (A20)");
	expect_ok(&prot, 0xfffff000, 0xfffff000, 0x1000, "protected mode, no paging");
	expect_ok(&prot, 0x100001234ull, 0x1234, 0x1000, "the linear address wraps at 4 GiB");
}

static void test_32bit(void)
{
	struct paging_state st = state(CR0_PE_PG, 0x1000, 0, 0);
	struct paging_state pse = state(CR0_PE_PG, 0x1000, PAGING_CR4_PSE, 0);

	tap_suite("paging: 32-bit");
	wipe();
	put32(0x1000 + 1 * 4, 0x2000 | P | RW);		/* PDE 1 -> page table at 0x2000 */
	put32(0x2000 + 2 * 4, 0x5000 | P);		/* PTE 2 -> frame 0x5000 */
	put32(0x1000 + 3 * 4, 0x00400000 | (0x5 << 13) | PS | P); /* 4 MiB, PSE-36 bits 34,32 */
	put32(0x1000 + 4 * 4, 0x00800000 | (1 << 21) | PS | P);   /* bit 21 is reserved */
	put32(0x1000 + 5 * 4, 0x3000 | P);		/* a page table of absent entries */
	put32(0x1000 + 6 * 4, 0xfffff000 | P);		/* a page table beyond RAM */
	put32(0x1000 + 0x3ff * 4, 0x1000 | P);		/* the directory maps itself */

	expect_ok(&st, 0x00402abc, 0x5abc, 0x1000, "32-bit 4 KiB page");
	expect_ok(&pse, 0x00402abc, 0x5abc, 0x1000, "32-bit 4 KiB page with CR4.PSE");
	expect_ok(&pse, 0x00c12345, 0x500412345ull, 0x400000, "32-bit 4 MiB page (PSE-36)");
	pse.maxphyaddr = 34;	/* physical bit 34 (PDE bit 15) is now reserved */
	expect_err(&pse, 0x00c12345, PAGING_ERR_RESERVED, 2, "32-bit 4 MiB page above MAXPHYADDR");
	pse.maxphyaddr = 0;
	expect_err(&pse, 0x01000000, PAGING_ERR_RESERVED, 2, "32-bit 4 MiB page, bit 21");
	/* Without CR4.PSE the PS bit is ignored: the PDE points to a table at 0x400000. */
	expect_err(&st, 0x00c12345, PAGING_ERR_TABLE_OUTSIDE_RAM, 1,
		   "32-bit PS ignored without CR4.PSE");
	expect_err(&st, 0x00000000, PAGING_ERR_NOT_PRESENT, 2, "32-bit absent PDE");
	expect_err(&st, 0x01400000, PAGING_ERR_NOT_PRESENT, 1, "32-bit absent PTE");
	expect_err(&st, 0x01800000, PAGING_ERR_TABLE_OUTSIDE_RAM, 1, "32-bit table outside RAM");
	expect_ok(&st, 0xfffff000, 0x1000, 0x1000, "32-bit self-map: the directory as a page");
	expect_ok(&st, 0x100402abcull, 0x5abc, 0x1000, "32-bit linear addresses wrap at 4 GiB");

	st.cr3 = 0x200000;	/* the directory itself beyond RAM */
	expect_err(&st, 0x1000, PAGING_ERR_TABLE_OUTSIDE_RAM, 2, "32-bit CR3 outside RAM");
	st.cr3 = RAM_SIZE - 4096;	/* the last page: the walk stays in RAM */
	expect_err(&st, 0xffc00000, PAGING_ERR_NOT_PRESENT, 2, "32-bit directory at the end of RAM");
}

static void test_pae(void)
{
	struct paging_state st = state(CR0_PE_PG, 0x1020, PAGING_CR4_PAE, 0);
	struct paging_state nxe = state(CR0_PE_PG, 0x1020, PAGING_CR4_PAE, PAGING_EFER_NXE);

	tap_suite("paging: PAE");
	wipe();
	/* The PDPT is 32-byte aligned: CR3 = 0x1020 puts it in the middle of a page. */
	put64(0x1020 + 0 * 8, 0x2000 | P);		/* PDPTE 0 -> directory 0x2000 */
	put64(0x1020 + 1 * 8, 0x2000 | P | RW);		/* R/W is reserved in a PDPTE */
	put64(0x1020 + 3 * 8, 0x2000 | P);
	put64(0x2000 + 1 * 8, 0x3000 | P);		/* PDE 1 -> table 0x3000 */
	put64(0x3000 + 4 * 8, 0x7000 | P);		/* PTE 4 -> frame 0x7000 */
	put64(0x3000 + 5 * 8, 0x7000 | P | NX);		/* NX: reserved without EFER.NXE */
	put64(0x3000 + 6 * 8, 0x7000 | P | (1ull << 55)); /* bits 62:52 reserved in PAE */
	put64(0x2000 + 2 * 8, 0x12345ull << 21 | PS | P); /* 2 MiB page */
	put64(0x2000 + 3 * 8, 0x400000 | (1 << 13) | PS | P); /* bit 13 reserved in it */
	put64(0x2000 + 4 * 8, 0x300000000ull | P);	/* a table far beyond RAM */

	expect_ok(&st, 0x00204abc, 0x7abc, 0x1000, "PAE 4 KiB page");
	expect_ok(&st, 0xc0204abc, 0x7abc, 0x1000, "PAE PDPTE 3");
	expect_ok(&st, 0x004abcde, 0x2468aabcdeull, 0x200000, "PAE 2 MiB page");
	expect_err(&st, 0x40000000, PAGING_ERR_RESERVED, 3, "PAE PDPTE with R/W set");
	expect_err(&st, 0x80000000, PAGING_ERR_NOT_PRESENT, 3, "PAE absent PDPTE");
	expect_err(&st, 0x00000000, PAGING_ERR_NOT_PRESENT, 2, "PAE absent PDE");
	expect_err(&st, 0x00200000, PAGING_ERR_NOT_PRESENT, 1, "PAE absent PTE");
	expect_err(&st, 0x00205000, PAGING_ERR_RESERVED, 1, "PAE NX without EFER.NXE");
	expect_ok(&nxe, 0x00205000, 0x7000, 0x1000, "PAE NX with EFER.NXE");
	expect_err(&nxe, 0x00206000, PAGING_ERR_RESERVED, 1, "PAE bit 55 of a PTE");
	expect_err(&st, 0x00600000, PAGING_ERR_RESERVED, 2, "PAE 2 MiB page, bit 13");
	expect_err(&st, 0x00800000, PAGING_ERR_TABLE_OUTSIDE_RAM, 1, "PAE table outside RAM");
	st.maxphyaddr = 36;
	expect_err(&st, 0x004abcde, PAGING_ERR_RESERVED, 2, "PAE frame above MAXPHYADDR 36");
}

/* Long-mode tables: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000. */
static void build_long(void)
{
	wipe();
	put64(0x1000 + 0 * 8, 0x2000 | P | RW);
	put64(0x2000 + 0 * 8, 0x3000 | P | RW);
	put64(0x3000 + 0 * 8, 0x4000 | P | RW);
	put64(0x4000 + 0x12 * 8, 0x9000 | P | RW | NX);	/* 0x12000 -> 0x9000 */
	put64(0x4000 + 0x13 * 8, 0x6000 | P);		/* 0x13000 -> 0x6000 */
	put64(0x3000 + 1 * 8, 0x40000000 | PS | P);	/* 2 MiB at 0x200000 -> 1 GiB */
	put64(0x3000 + 2 * 8, 0x400000 | (1 << 20) | PS | P); /* bit 20 reserved */
	put64(0x3000 + 3 * 8, 0x8000 | P);		/* a table of absent entries */
	put64(0x3000 + 4 * 8, 0xfff000 | P);		/* a table beyond RAM */
	put64(0x2000 + 1 * 8, 0x80000000ull | PS | P);	/* 1 GiB at 1 GiB -> 2 GiB */
	put64(0x2000 + 2 * 8, 0xc0000000ull | (1 << 29) | PS | P); /* bit 29 reserved */
	put64(0x2000 + 4 * 8, 0x100000000ull | PS | P);	/* 1 GiB at 4 GiB -> 4 GiB */
	put64(0x1000 + 1 * 8, 0x2000 | PS | P);		/* PS is reserved in a PML4E */
	put64(0x1000 + 0x1ff * 8, 0x5000 | P);		/* the higher half */
	put64(0x5000 + 0x1fe * 8, 0x3000 | P);		/* 0xffffffff80000000 -> the same PD */
}

static void test_4level(void)
{
	struct paging_state st = long_state(0x1000);
	struct paging_state nxe = st;

	tap_suite("paging: 4-level");
	build_long();
	nxe.efer |= PAGING_EFER_NXE;
	expect_ok(&nxe, 0x12345, 0x9345, 0x1000, "4-level 4 KiB page");
	expect_err(&st, 0x12345, PAGING_ERR_RESERVED, 1, "4-level NX without EFER.NXE");
	expect_ok(&st, 0x13fff, 0x6fff, 0x1000, "4-level 4 KiB page, last byte");
	expect_ok(&st, 0x2abcde, 0x400abcde, 0x200000, "4-level 2 MiB page");
	expect_ok(&st, 0x4abcdef0, 0x8abcdef0, 0x40000000, "4-level 1 GiB page");
	expect_ok(&st, 0xffffffff80013008ull, 0x6008, 0x1000, "4-level higher half");
	expect_err(&st, 0x400000, PAGING_ERR_RESERVED, 2, "4-level 2 MiB page, bit 20");
	expect_err(&st, 0x80000000, PAGING_ERR_RESERVED, 3, "4-level 1 GiB page, bit 29");
	expect_err(&st, 0x8000000000ull, PAGING_ERR_RESERVED, 4, "4-level PS in a PML4E");
	expect_err(&st, 0x10000000000ull, PAGING_ERR_NOT_PRESENT, 4, "4-level absent PML4E");
	expect_err(&st, 0xc0000000, PAGING_ERR_NOT_PRESENT, 3, "4-level absent PDPTE");
	expect_err(&st, 0xa00000, PAGING_ERR_NOT_PRESENT, 2, "4-level absent PDE");
	expect_err(&st, 0x600000, PAGING_ERR_NOT_PRESENT, 1, "4-level absent PTE");
	expect_err(&st, 0x800000, PAGING_ERR_TABLE_OUTSIDE_RAM, 1, "4-level table outside RAM");
	expect_err(&st, 0x0000800000000000ull, PAGING_ERR_NON_CANONICAL, 0,
		   "4-level non-canonical (bit 47 not extended)");
	expect_err(&st, 0xff00000000000000ull, PAGING_ERR_NON_CANONICAL, 0,
		   "4-level non-canonical (high half)");
	st.maxphyaddr = 30;	/* not a real width: 32 is the least, 0 means 52 */
	expect_ok(&st, 0x10abcdef0ull, 0x10abcdef0ull, 0x40000000,
		  "4-level MAXPHYADDR below 32 ignored");
	st.maxphyaddr = 32;
	expect_err(&st, 0x10abcdef0ull, PAGING_ERR_RESERVED, 3, "4-level frame above MAXPHYADDR 32");
	st = long_state(0x800000);
	expect_err(&st, 0x1000, PAGING_ERR_TABLE_OUTSIDE_RAM, 4, "4-level CR3 outside RAM");
	st = long_state(RAM_SIZE - 4);	/* CR3's low bits are flags: the PML4 is the last page */
	expect_err(&st, 0, PAGING_ERR_NOT_PRESENT, 4, "4-level CR3 flags ignored");
}

static void test_hostile(void)
{
	struct paging_state st = long_state(0x1000);
	struct paging_state st32 = state(CR0_PE_PG, 0x1000, 0, 0);
	struct paging_state bad = state(CR0_PE_PG, 0x1000, 0, PAGING_EFER_LMA);

	tap_suite("paging: hostile tables");
	wipe();
	/* A loop: the PML4's entry 0 points at the PML4 itself.  Each level
	 * reads the same page; the walk still ends after four reads. */
	put64(0x1000, 0x1000 | P | RW);
	expect_ok(&st, 0x0, 0x1000, 0x1000, "a loop of tables ends at the PML4 as a page");
	expect_ok(&st, 0x8, 0x1008, 0x1000, "the loop maps the PML4's own bytes");
	CHECK_ERR(paging_translate(&mem, &st, 0, NULL), 0, "the walk record is optional");
	/* A two-table loop: 0x1000 -> 0x2000 -> 0x1000 ... */
	put64(0x1000 + 8, 0x2000 | P);
	put64(0x2000 + 8, 0x1000 | P);
	expect_ok(&st, (1ull << 39) | (1ull << 30) | (1ull << 21) | (1ull << 12) | 0x10,
		  0x1010, 0x1000, "a two-table loop ends after four levels");
	/* An entry whose table lies across the end of RAM. */
	put64(0x1000 + 3 * 8, (RAM_SIZE - 0x1000) | P);
	put64(RAM_SIZE - 0x1000 + 0x1ff * 8, 0xfffffffff000ull | P);
	expect_err(&st, (3ull << 39) | (0x1ffull << 30), PAGING_ERR_TABLE_OUTSIDE_RAM, 2,
		   "an entry pointing to the top of the physical space");
	/* Every bit set: reserved bits are refused before the frame is used. */
	put64(0x1000 + 4 * 8, ~0ull);
	expect_err(&st, 4ull << 39, PAGING_ERR_RESERVED, 4, "an entry of all ones");
	put32(0x1000, 0xffffffff);
	expect_err(&st32, 0x0, PAGING_ERR_TABLE_OUTSIDE_RAM, 1,
		   "32-bit entry of all ones (no PSE): its table is outside RAM");
	expect_err(&bad, 0x0, PAGING_ERR_BAD_STATE, 0, "long mode without PAE");
}

static void test_5level(void)
{
	struct paging_state st = long_state(0x1000);

	tap_suite("paging: 5-level");
	wipe();
	st.cr4 |= PAGING_CR4_LA57;
	put64(0x1000 + 0xff * 8, 0x2000 | P);		/* PML5E 0xff */
	put64(0x2000 + 0x1ff * 8, 0x3000 | P);		/* PML4E 0x1ff */
	put64(0x3000 + 0x1ff * 8, 0x7000000000ull | PS | P); /* 1 GiB page */
	put64(0x1000 + 0x1ff * 8, 0x2000 | PS | P);	/* PS reserved in a PML5E */
	expect_ok(&st, 0x00ffffffc0001234ull, 0x7000001234ull, 0x40000000, "5-level 1 GiB page");
	expect_err(&st, 0x0001000000000000ull, PAGING_ERR_NOT_PRESENT, 5, "5-level absent PML5E");
	expect_err(&st, 0xffff000000000000ull, PAGING_ERR_RESERVED, 5, "5-level PS in a PML5E");
	expect_err(&st, 0x0100000000000000ull, PAGING_ERR_NON_CANONICAL, 0,
		   "5-level non-canonical (bit 56 not extended)");
	st.cr4 &= ~PAGING_CR4_LA57;
	expect_err(&st, 0x00ffffffc0001234ull, PAGING_ERR_NON_CANONICAL, 0,
		   "the same address is non-canonical with 4 levels");
}

static void test_read(void)
{
	struct paging_state st = long_state(0x1000);
	uint8_t buf[32], want[32];
	size_t done = 99;
	int err;

	tap_suite("paging: reads across pages");
	build_long();
	/* 0x12000 -> 0x9000 (with NXE), 0x13000 -> 0x6000: not contiguous. */
	st.efer |= PAGING_EFER_NXE;
	for (unsigned i = 0; i < 16; i++) {
		mem.host[0x9ff0 + i] = (uint8_t)(0xa0 + i);
		mem.host[0x6000 + i] = (uint8_t)(0xb0 + i);
		want[i] = (uint8_t)(0xa0 + i);
		want[16 + i] = (uint8_t)(0xb0 + i);
	}
	memset(buf, 0, sizeof(buf));
	err = paging_read_partial(&mem, &st, 0x12ff0, buf, 32, &done);
	CHECK_ERR(err, 0, "a read across a page boundary succeeds");
	CHECK_INT(done, 32, "it copies every byte");
	CHECK_MEM(buf, want, 32, "the second page comes from its own frame");
	err = paging_read_partial(&mem, &st, 0x13ff0, buf, 32, &done);
	CHECK_ERR(err, -PAGING_ERR_NOT_PRESENT, "a read into an absent page fails");
	CHECK_INT(done, 16, "after the bytes before the absent page");
	CHECK_ERR(paging_read(&mem, &st, 0x13000, buf, 0), 0, "a read of 0 bytes succeeds");
	/* 0x200000 maps (2 MiB) to 1 GiB: outside this 1 MiB RAM. */
	err = paging_read_partial(&mem, &st, 0x200000, buf, 4, &done);
	CHECK_ERR(err, -PAGING_ERR_PAGE_OUTSIDE_RAM, "a page outside RAM is refused");
	CHECK_INT(done, 0, "and nothing is copied");
	/* A 2 MiB page at physical 0 runs past the end of this 1 MiB RAM:
	 * the bytes inside RAM come back, then the read fails. */
	put64(0x3000 + 5 * 8, 0x0 | PS | P);		/* 0xa00000 -> 0 */
	mem.host[RAM_SIZE - 1] = 0x5a;
	err = paging_read_partial(&mem, &st, 0xa00000 + RAM_SIZE - 2, buf, 4, &done);
	CHECK_ERR(err, -PAGING_ERR_PAGE_OUTSIDE_RAM, "a read across the end of RAM fails");
	CHECK_INT(done, 2, "after the two bytes inside RAM");
	CHECK_HEX(buf[1], 0x5a, "the last byte of RAM is read");
	/* Paging off: a read that wraps at 4 GiB. */
	st = state(PAGING_CR0_PE, 0, 0, 0);
	mem.host[0] = 0x11;
	mem.host[0xffff] = 0x22;
	err = paging_read_partial(&mem, &st, 0xffff, buf, 1, &done);
	CHECK(err == 0 && buf[0] == 0x22, "paging off: a plain read");
	err = paging_read_partial(&mem, &st, 0xffffffffull, buf, 2, &done);
	CHECK_ERR(err, -PAGING_ERR_PAGE_OUTSIDE_RAM, "paging off: 4 GiB - 1 is outside RAM");
	CHECK_INT(done, 0, "paging off: nothing read there");
}

void test_paging(void)
{
	if (mem_alloc(&mem, RAM_SIZE) != 0) {
		CHECK(0, "mem_alloc for the paging tests");
		return;
	}
	test_paging_modes();
	test_off();
	test_32bit();
	test_pae();
	test_4level();
	test_hostile();
	test_5level();
	test_read();
	mem_free(&mem);
}
