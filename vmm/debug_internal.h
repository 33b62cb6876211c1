/*
 * debug_internal.h - what the debug*.c files share among themselves and
 * nobody else calls: DR7's fields, planting and lifting entries of the
 * table, and the memory slots.
 */
#ifndef GDBVM_DEBUG_INTERNAL_H
#define GDBVM_DEBUG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "debug.h"

#define DR7_LOCAL_ENABLE(i) (1ULL << ((i) * 2))
#define DR7_RW_SHIFT(i) (16 + (i) * 4)
#define DR7_LEN_SHIFT(i) (18 + (i) * 4)
#define DR7_RW_EXEC 0ULL
#define DR7_RW_WRITE 1ULL
#define DR7_RW_ACCESS 3ULL	/* read or write */

/* The guest's byte back under bp's trap (no one else told). */
void debug_lift(struct machine *m, struct sw_breakpoint *bp);
/* A new entry for owner at linear vaddr (fixed: physical), planted at
 * phys; int3 in a user page where the host reports it.  0 or -errno. */
int debug_plant_new(struct machine *m, uint64_t vaddr, bool fixed, uint64_t phys, bool user,
		    uint8_t owner);
/* owner lets go of bp; the entry and its trap go when nobody wants it. */
void debug_drop_owner(struct machine *m, struct sw_breakpoint *bp, uint8_t owner);

/* Make the slots match the write watchpoints (debug_slots.c). */
int debug_sync_slots(struct machine *m, bool stepping);
bool debug_host_readonly_mem(struct machine *m);
void debug_dirty_free(struct debug_state *d);

#endif
