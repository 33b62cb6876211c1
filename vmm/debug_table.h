/*
 * debug_table.h - the software-breakpoint table: where each planted trap
 * is, found in constant time by physical address, by linear address and
 * by page, for tens of thousands of traps (gdb's and coverage's).
 *
 * Entries live in chunks of SW_CHUNK that never move (a pointer to an
 * entry stays good until that entry is removed), allocated when the table
 * first needs them, up to DEBUG_MAX_SW_BP entries (a documented limit:
 * -ENOSPC beyond it; about 100 bytes per entry, so at most ~30 MB).  Three
 * hash tables of intrusive doubly-linked chains index them: by physical
 * address (several linear addresses may map one byte), by (linear address,
 * fixed) where fixed marks a coverage trap set at a physical address, and
 * by physical page (iterating the traps of one page, or of a range, costs
 * the traps there, never the table).  A fourth list holds gdb's entries in
 * insertion order (backup debug registers, detach), and groups gather the
 * entries of each linear page (retranslation works page by page).  Links are indices
 * plus one, so a zeroed table is a valid empty one; all memory is given
 * back when the last entry goes.
 *
 * The table knows nothing of guest memory or KVM: debug.c plants and lifts
 * the traps, this file only keeps where they are.
 */
#ifndef GDBVM_DEBUG_TABLE_H
#define GDBVM_DEBUG_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "debug.h"

/* A new entry (not yet planted) for vaddr, physical address phys:
 * NULL with *err -ENOSPC (DEBUG_MAX_SW_BP reached) or -ENOMEM. */
struct sw_breakpoint *sw_table_add(struct sw_table *t, uint64_t vaddr, bool fixed, uint64_t phys,
				   int *err);
void sw_table_remove(struct sw_table *t, struct sw_breakpoint *bp);
/* Drop every entry and give the memory back. */
void sw_table_free(struct sw_table *t);

/* Move bp to another physical address (its linear one stays). */
void sw_table_set_phys(struct sw_table *t, struct sw_breakpoint *bp, uint64_t phys);
/* Give bp to or take it from gdb (the gdb list follows). */
void sw_table_set_owners(struct sw_table *t, struct sw_breakpoint *bp, uint8_t owners);

/* The entry at linear address vaddr (fixed: a coverage trap set at a
 * physical address), or NULL. */
struct sw_breakpoint *sw_table_at_vaddr(const struct sw_table *t, uint64_t vaddr, bool fixed);

/* The entries at physical address phys: the first, then each next. */
struct sw_breakpoint *sw_table_at_phys(const struct sw_table *t, uint64_t phys);
struct sw_breakpoint *sw_table_next_at_phys(const struct sw_table *t,
					    const struct sw_breakpoint *bp);

/*
 * The entries with a physical address in [addr, addr+len), in no set
 * order: byte by byte through the physical index for a short range (a
 * page can hold a thousand traps), per page touched through the page
 * index, or a walk over the table when the range spans more pages than
 * the table has entries.
 * Entries must not be added during the walk, nor removed but the one
 * just returned.
 */
struct sw_range {
	const struct sw_table *t;
	uint64_t lo, hi;	/* [lo, hi], inclusive, no overflow */
	uint64_t page, last_page;
	bool scan;		/* walking every slot instead */
	bool bytes;		/* a short range: byte by byte, by physical address */
	uint64_t at;		/* bytes: the address being looked at */
	uint32_t next;		/* link (index + 1) or slot to look at next */
};
struct sw_breakpoint *sw_range_first(struct sw_range *it, const struct sw_table *t,
				     uint64_t addr, uint64_t len);
struct sw_breakpoint *sw_range_next(struct sw_range *it);

/* Every entry, in no set order: start with NULL. */
struct sw_breakpoint *sw_table_next(const struct sw_table *t, const struct sw_breakpoint *bp);

/* gdb's entries, newest first: start with NULL. */
struct sw_breakpoint *sw_table_gdb_older(const struct sw_table *t, const struct sw_breakpoint *bp);

/* The linear pages that entries (not fixed) are on: t->vg[0..t->nvg), and
 * the entries of one: start with NULL.  A group is settled again by its
 * walker; moving one of its entries unsettles it. */
struct sw_breakpoint *sw_group_next(const struct sw_table *t, const struct sw_vgroup *g,
				    const struct sw_breakpoint *bp);

#endif
