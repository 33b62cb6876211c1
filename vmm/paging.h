/*
 * paging.h - the guest's address translation, done the way the CPU does it:
 * a linear address to a physical one through the guest's own page tables.
 *
 * Every table entry is read through memory.h (mem_read), so a hostile or
 * broken set of tables can never make gdbvm read outside guest RAM; a walk
 * has a fixed number of levels, so a loop of tables ends like any other.
 * The input is a plain struct (no KVM types): the unit tests build it by
 * hand, and report.c fills it from KVM_GET_SREGS.
 *
 * Formats: paging off (identity), 32-bit paging (4 KiB pages, 4 MiB pages
 * with CR4.PSE), PAE (4 KiB, 2 MiB), 4-level long-mode paging (4 KiB,
 * 2 MiB, 1 GiB) and 5-level paging with CR4.LA57.
 */
#ifndef GDBVM_PAGING_H
#define GDBVM_PAGING_H

#include <stddef.h>
#include <stdint.h>

#include "memory.h"

#define PAGING_CR0_PE (UINT64_C(1) << 0)
#define PAGING_CR0_PG (UINT64_C(1) << 31)
#define PAGING_CR4_PSE (UINT64_C(1) << 4)
#define PAGING_CR4_PAE (UINT64_C(1) << 5)
#define PAGING_CR4_LA57 (UINT64_C(1) << 12)
#define PAGING_EFER_LME (UINT64_C(1) << 8)
#define PAGING_EFER_LMA (UINT64_C(1) << 10)
#define PAGING_EFER_NXE (UINT64_C(1) << 11)

/* The registers that decide how a linear address translates. */
struct paging_state {
	uint64_t cr0, cr3, cr4, efer;
	/* Physical address width (CPUID 0x80000008 EAX[7:0]); 0 means 52,
	 * the architectural maximum, so only always-reserved bits count. */
	unsigned maxphyaddr;
};

enum paging_mode {
	PAGING_OFF,	/* CR0.PG clear: linear = physical */
	PAGING_32BIT,	/* 2 levels of 4-byte entries */
	PAGING_PAE,	/* 3 levels of 8-byte entries, 32-bit linear addresses */
	PAGING_4LEVEL,	/* long mode, 48-bit linear addresses */
	PAGING_5LEVEL,	/* long mode with CR4.LA57, 57-bit linear addresses */
	PAGING_INVALID,	/* a register combination no CPU runs (long mode without PAE) */
};

/* Why a translation failed: paging_translate returns the negative value. */
enum paging_error {
	PAGING_ERR_NOT_PRESENT = 1,	/* an entry of the walk has P = 0 */
	PAGING_ERR_RESERVED,		/* an entry sets a reserved bit */
	PAGING_ERR_NON_CANONICAL,	/* long mode: the address is in the hole */
	PAGING_ERR_TABLE_OUTSIDE_RAM,	/* a table (or CR3) points outside guest RAM */
	PAGING_ERR_PAGE_OUTSIDE_RAM,	/* paging_read: the page itself is not in RAM */
	PAGING_ERR_BAD_STATE,		/* PAGING_INVALID */
};

/* What a walk found: on success the page, on failure where it stopped. */
struct paging_walk {
	uint64_t phys;		/* the physical address (success only) */
	uint64_t page_size;	/* 4 KiB, 2/4 MiB or 1 GiB (success only) */
	int level;		/* level of the last entry read: 1 = PTE ... 5 = PML5E; 0 none */
	uint64_t entry_addr;	/* physical address of that entry */
	uint64_t entry;		/* its value */
	/* Every entry the walk read, by level (path_addr[level] = 0: none). */
	uint64_t path_entry[6], path_addr[6];
};

enum paging_mode paging_mode(const struct paging_state *st);
/* "off", "32-bit", "PAE", "4-level", "5-level", "invalid". */
const char *paging_mode_name(enum paging_mode mode);

/*
 * Translate linear to physical.  0 with walk->phys set, or -PAGING_ERR_*
 * with walk saying which entry stopped the walk.  walk may be NULL.  Outside
 * long mode the linear address is 32 bits wide (higher bits are dropped, as
 * the CPU wraps).  The physical address is not checked against RAM.
 */
int paging_translate(const struct guest_mem *mem, const struct paging_state *st,
		     uint64_t linear, struct paging_walk *walk);

/*
 * Copy len bytes at a linear address, page by page (an access may cross
 * into a page that maps elsewhere).  0, or -PAGING_ERR_* for the first page
 * that does not translate or does not lie in RAM.
 */
int paging_read(const struct guest_mem *mem, const struct paging_state *st, uint64_t linear,
		void *buf, size_t len);
/* The same, saying in *done how many bytes were copied before a failure. */
int paging_read_partial(const struct guest_mem *mem, const struct paging_state *st,
			uint64_t linear, void *buf, size_t len, size_t *done);

/*
 * The rights a successful walk grants, combined over its levels as the CPU
 * does: writable and user only if every level allows it, no-execute if any
 * level sets it (with EFER.NXE).  PAE's PDPTEs carry no rights.
 */
#define PAGING_PTE_W (UINT64_C(1) << 1)
#define PAGING_PTE_U (UINT64_C(1) << 2)
#define PAGING_PTE_NX (UINT64_C(1) << 63)
struct paging_rights {
	int writable, user, noexec;
};
struct paging_rights paging_walk_rights(const struct paging_state *st,
					const struct paging_walk *walk);

/* "page not present", "reserved bit set in a page-table entry", ... */
const char *paging_strerror(int err);
/* The name of an entry at a level of a mode: "PDE", "PML4E", ... */
const char *paging_level_name(enum paging_mode mode, int level);

#endif
