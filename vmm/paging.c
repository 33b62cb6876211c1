/*
 * paging.c - guest page-table walks and reads through them (see paging.h).
 *
 * The bit layouts follow the Intel SDM volume 3, chapter 4 ("Paging") and
 * the AMD APM volume 2, chapter 5.  Two simplifications, both harmless for
 * a debugger's reads: accessed/dirty bits are never set, and PAE's four
 * PDPTEs are read from memory at CR3 rather than from the copies the CPU
 * loaded when CR3 was last written.  Access rights (R/W, U/S, NX) are not
 * checked: gdbvm reads as the supervisor would.
 */
#include "paging.h"

#include <stdbool.h>

#define PTE_P (UINT64_C(1) << 0)
#define PTE_PS (UINT64_C(1) << 7)
#define PAGE_SHIFT 12

/* Bits hi..lo set (hi >= lo, both < 64). */
static uint64_t bits(unsigned hi, unsigned lo)
{
	return (~UINT64_C(0) >> (63 - hi)) & (~UINT64_C(0) << lo);
}

static unsigned maxphyaddr(const struct paging_state *st)
{
	return st->maxphyaddr >= 32 && st->maxphyaddr <= 52 ? st->maxphyaddr : 52;
}

enum paging_mode paging_mode(const struct paging_state *st)
{
	if (!(st->cr0 & PAGING_CR0_PG))
		return PAGING_OFF;
	/* LMA is what the CPU sets; LME with PG implies it (hand-built states). */
	if (st->efer & (PAGING_EFER_LMA | PAGING_EFER_LME)) {
		if (!(st->cr4 & PAGING_CR4_PAE))
			return PAGING_INVALID;
		return (st->cr4 & PAGING_CR4_LA57) ? PAGING_5LEVEL : PAGING_4LEVEL;
	}
	return (st->cr4 & PAGING_CR4_PAE) ? PAGING_PAE : PAGING_32BIT;
}

const char *paging_mode_name(enum paging_mode mode)
{
	static const char *const names[] = {
		[PAGING_OFF] = "off",	      [PAGING_32BIT] = "32-bit", [PAGING_PAE] = "PAE",
		[PAGING_4LEVEL] = "4-level", [PAGING_5LEVEL] = "5-level", [PAGING_INVALID] = "invalid",
	};

	return (unsigned)mode < sizeof(names) / sizeof(names[0]) ? names[mode] : "invalid";
}

const char *paging_level_name(enum paging_mode mode, int level)
{
	static const char *const wide[] = { "", "PTE", "PDE", "PDPTE", "PML4E", "PML5E" };

	if (level < 1 || level > 5)
		return "entry";
	if (mode == PAGING_32BIT && level > 2)
		return "entry";
	return wide[level];
}

const char *paging_strerror(int err)
{
	switch (-err) {
	case 0:
		return "success";
	case PAGING_ERR_NOT_PRESENT:
		return "page not present";
	case PAGING_ERR_RESERVED:
		return "reserved bit set in a page-table entry";
	case PAGING_ERR_NON_CANONICAL:
		return "non-canonical address";
	case PAGING_ERR_TABLE_OUTSIDE_RAM:
		return "page table outside guest RAM";
	case PAGING_ERR_PAGE_OUTSIDE_RAM:
		return "page outside guest RAM";
	case PAGING_ERR_BAD_STATE:
		return "long mode without PAE";
	default:
		return "unknown paging error";
	}
}

/* Read one entry (4 or 8 bytes, little-endian like the guest) into walk. */
static int read_entry(const struct guest_mem *mem, uint64_t addr, unsigned size, int level,
		      struct paging_walk *walk)
{
	uint8_t b[8];
	uint64_t v = 0;

	walk->level = level;
	walk->entry_addr = addr;
	walk->entry = 0;
	if (mem_read(mem, addr, b, size) < 0)
		return -PAGING_ERR_TABLE_OUTSIDE_RAM;
	for (unsigned i = size; i-- > 0;)
		v = v << 8 | b[i];
	walk->entry = v;
	walk->path_entry[level] = v;
	walk->path_addr[level] = addr;
	return (v & PTE_P) ? 0 : -PAGING_ERR_NOT_PRESENT;
}

static int found(struct paging_walk *walk, uint64_t frame, uint64_t linear, unsigned shift)
{
	uint64_t size = UINT64_C(1) << shift;

	walk->page_size = size;
	walk->phys = (frame & ~(size - 1)) | (linear & (size - 1));
	return 0;
}

/* 32-bit paging: a page directory and page tables of 1024 4-byte entries. */
static int walk_32bit(const struct guest_mem *mem, const struct paging_state *st,
		      uint64_t linear, struct paging_walk *walk)
{
	uint64_t pd = st->cr3 & bits(31, 12), pde, pt;
	unsigned m = maxphyaddr(st);
	int err;

	err = read_entry(mem, pd + ((linear >> 22) & 0x3ff) * 4, 4, 2, walk);
	if (err)
		return err;
	pde = walk->entry;
	if ((pde & PTE_PS) && (st->cr4 & PAGING_CR4_PSE)) {
		/* 4 MiB page: bits 20:13 hold physical bits 39:32 (PSE-36/40),
		 * bit 21 is reserved, and so are those beyond MAXPHYADDR. */
		uint64_t rsvd = bits(21, 21);

		if (m < 40)
			rsvd |= bits(20, 13 + (m - 32));
		if (pde & rsvd)
			return -PAGING_ERR_RESERVED;
		return found(walk, (pde & bits(31, 22)) | ((pde >> 13) & 0xff) << 32, linear, 22);
	}
	pt = pde & bits(31, 12);
	err = read_entry(mem, pt + ((linear >> 12) & 0x3ff) * 4, 4, 1, walk);
	if (err)
		return err;
	return found(walk, walk->entry & bits(31, 12), linear, PAGE_SHIFT);
}

/*
 * PAE, 4-level and 5-level paging: 8-byte entries, 9 index bits per level
 * (2 for PAE's page-directory-pointer table).  Large pages at level 2
 * (2 MiB) and, in long mode, level 3 (1 GiB); PS is reserved above that.
 */
static int walk_wide(const struct guest_mem *mem, const struct paging_state *st,
		     enum paging_mode mode, uint64_t linear, struct paging_walk *walk)
{
	unsigned m = maxphyaddr(st);
	uint64_t addr_mask = bits(m - 1, PAGE_SHIFT);
	uint64_t rsvd_common, table;
	int top = mode == PAGING_5LEVEL ? 5 : mode == PAGING_4LEVEL ? 4 : 3;

	/* PAE reserves bits 62:M; long mode only 51:M (it ignores 62:52).
	 * Bit 63 is execute-disable with EFER.NXE, else reserved. */
	if (mode == PAGING_PAE)
		rsvd_common = m < 63 ? bits(62, m) : 0;
	else
		rsvd_common = m < 52 ? bits(51, m) : 0;
	if (!(st->efer & PAGING_EFER_NXE))
		rsvd_common |= bits(63, 63);
	table = mode == PAGING_PAE ? st->cr3 & bits(31, 5) : st->cr3 & addr_mask;

	for (int level = top; level >= 1; level--) {
		unsigned shift = PAGE_SHIFT + 9 * (unsigned)(level - 1);
		bool pdpt_pae = mode == PAGING_PAE && level == 3;
		uint64_t index = (linear >> shift) & (pdpt_pae ? 0x3 : 0x1ff);
		uint64_t rsvd = rsvd_common, e;
		bool large;
		int err = read_entry(mem, table + index * 8, 8, level, walk);

		if (err)
			return err;
		e = walk->entry;
		if (pdpt_pae)	/* bits 2:1 and 8:5 reserved, and no NX bit here */
			rsvd = bits(63, m) | bits(2, 1) | bits(8, 5);
		else if (level >= 4)
			rsvd |= PTE_PS;
		large = (level == 2 || (level == 3 && !pdpt_pae)) && (e & PTE_PS);
		if (large)	/* bit 12 is PAT; 13 up to the frame are reserved */
			rsvd |= bits(shift - 1, 13);
		if (e & rsvd)
			return -PAGING_ERR_RESERVED;
		if (large || level == 1)
			return found(walk, e & addr_mask, linear, shift);
		table = e & addr_mask;
	}
	return -PAGING_ERR_BAD_STATE;	/* not reached: level 1 always ends the walk */
}

static bool canonical(uint64_t linear, unsigned width)
{
	unsigned s = 64 - width;

	return (uint64_t)((int64_t)(linear << s) >> s) == linear;
}

int paging_translate(const struct guest_mem *mem, const struct paging_state *st,
		     uint64_t linear, struct paging_walk *walk)
{
	struct paging_walk scratch;
	enum paging_mode mode = paging_mode(st);

	if (!walk)
		walk = &scratch;
	*walk = (struct paging_walk){ 0 };
	switch (mode) {
	case PAGING_OFF:
		return found(walk, linear & 0xffffffff, linear, PAGE_SHIFT);
	case PAGING_32BIT:
		return walk_32bit(mem, st, linear & 0xffffffff, walk);
	case PAGING_PAE:
		return walk_wide(mem, st, mode, linear & 0xffffffff, walk);
	case PAGING_4LEVEL:
	case PAGING_5LEVEL:
		if (!canonical(linear, mode == PAGING_5LEVEL ? 57 : 48))
			return -PAGING_ERR_NON_CANONICAL;
		return walk_wide(mem, st, mode, linear, walk);
	case PAGING_INVALID:
		break;
	}
	return -PAGING_ERR_BAD_STATE;
}

struct paging_rights paging_walk_rights(const struct paging_state *st,
					const struct paging_walk *walk)
{
	struct paging_rights r = { 1, 1, 0 };
	enum paging_mode mode = paging_mode(st);

	if (mode == PAGING_OFF)
		return r;
	for (int level = 1; level <= 5; level++) {
		uint64_t e = walk->path_entry[level];

		if (!walk->path_addr[level] && !e)
			continue;
		if (mode == PAGING_PAE && level == 3)
			continue;	/* PDPTEs: no R/W, U/S or NX bits */
		if (!(e & PAGING_PTE_W))
			r.writable = 0;
		if (!(e & PAGING_PTE_U))
			r.user = 0;
		if ((st->efer & PAGING_EFER_NXE) && (e & PAGING_PTE_NX) && mode != PAGING_32BIT)
			r.noexec = 1;
	}
	return r;
}

int paging_read_partial(const struct guest_mem *mem, const struct paging_state *st,
			uint64_t linear, void *buf, size_t len, size_t *done)
{
	uint8_t *out = buf;
	size_t n = 0;
	int err = 0;

	while (n < len) {
		struct paging_walk walk;
		uint64_t at = linear + n, room;
		size_t chunk;

		err = paging_translate(mem, st, at, &walk);
		if (err)
			break;
		/* Up to the end of this page (4 KiB at most when paging is off,
		 * where the 4 GiB wrap happens at a page boundary too). */
		room = walk.page_size - (walk.phys & (walk.page_size - 1));
		chunk = room < len - n ? (size_t)room : len - n;
		if (mem_read(mem, walk.phys, out + n, chunk) < 0) {
			/* The page runs past the end of RAM: keep what lies in it. */
			if (walk.phys < mem->size && mem->size - walk.phys < chunk &&
			    mem_read(mem, walk.phys, out + n, mem->size - walk.phys) == 0)
				n += mem->size - walk.phys;
			err = -PAGING_ERR_PAGE_OUTSIDE_RAM;
			break;
		}
		n += chunk;
	}
	if (done)
		*done = n;
	return err;
}

int paging_read(const struct guest_mem *mem, const struct paging_state *st, uint64_t linear,
		void *buf, size_t len)
{
	return paging_read_partial(mem, st, linear, buf, len, NULL);
}
