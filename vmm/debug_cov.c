/*
 * debug_cov.c - coverage's traps in the breakpoint table: planting and
 * lifting them, and what a run does when one is hit or stepped over (the
 * hook told; lifted, or stepped over and planted again), with gdb never
 * the wiser (debug.h).
 */
#include "debug.h"
#include "debug_internal.h"
#include "debug_table.h"
#include "machine.h"
#include "vaddr.h"

#include <errno.h>

/* ---- coverage's traps ---- */

void debug_cov_set_hook(struct debug_state *d, debug_cov_hook hook, void *ctx)
{
	d->cov_hook = hook;
	d->cov_ctx = ctx;
}

/* Coverage wants a trap at vaddr (fixed: physical phys, never moved). */
static int cov_plant(struct machine *m, uint64_t vaddr, bool fixed, uint64_t phys, bool user)
{
	struct debug_state *d = &m->debug;
	struct sw_breakpoint *bp = sw_table_at_vaddr(&d->swt, vaddr, fixed);

	if (bp) {	/* gdb's, or coverage's already: one trap */
		sw_table_set_owners(&d->swt, bp, bp->owners | DEBUG_OWNER_COVERAGE);
		return 0;
	}
	if (!mem_range_ok(&m->mem, phys, 1))
		return -EFAULT;
	return debug_plant_new(m, vaddr, fixed, phys, user, DEBUG_OWNER_COVERAGE);
}

int debug_cov_plant(struct machine *m, const struct paging_state *st, uint64_t addr)
{
	struct paging_rights rights = { 1, 1, 0 };
	uint64_t phys = addr, room;

	if (st && vaddr_translate(&m->mem, st, addr, &phys, &room, &rights) < 0)
		return -EFAULT;
	return cov_plant(m, addr, false, phys, st && paging_mode(st) != PAGING_OFF && rights.user);
}

int debug_cov_plant_phys(struct machine *m, uint64_t phys)
{
	return cov_plant(m, phys, true, phys, false);
}

int debug_cov_lift(struct machine *m, uint64_t addr, bool fixed)
{
	struct sw_breakpoint *bp = sw_table_at_vaddr(&m->debug.swt, addr, fixed);

	if (!bp || !(bp->owners & DEBUG_OWNER_COVERAGE))
		return -ENOENT;
	debug_drop_owner(m, bp, DEBUG_OWNER_COVERAGE);
	return 0;
}

void debug_cov_lift_all(struct machine *m)
{
	struct sw_table *t = &m->debug.swt;
	struct sw_breakpoint *bp = sw_table_next(t, NULL);

	while (bp) {
		struct sw_breakpoint *next = sw_table_next(t, bp);

		/* The last removal frees the table: next is NULL then. */
		if (bp->owners & DEBUG_OWNER_COVERAGE)
			debug_drop_owner(m, bp, DEBUG_OWNER_COVERAGE);
		bp = t->count ? next : NULL;
	}
}

bool debug_cov_planted(struct debug_state *d, uint64_t addr, bool fixed)
{
	const struct sw_breakpoint *bp = sw_table_at_vaddr(&d->swt, addr, fixed);

	return bp && (bp->owners & DEBUG_OWNER_COVERAGE);
}

/* Tell the hook the instruction under bp runs: what it wants done. */
static enum debug_cov_action cov_tell(struct debug_state *d, const struct sw_breakpoint *bp)
{
	d->cov_hits++;
	return d->cov_hook ? d->cov_hook(d->cov_ctx, bp->vaddr, bp->fixed) : DEBUG_COV_LIFT;
}

bool debug_cov_hit(struct machine *m, uint64_t phys, bool int3)
{
	struct debug_state *d = &m->debug;
	struct sw_breakpoint *bp, *next;
	bool any = false, keep = false;
	int err;

	for (bp = debug_sw_at(d, phys); bp; bp = sw_table_next_at_phys(&d->swt, bp))
		if (!bp->lifted && bp->int3 == int3 && (bp->owners & DEBUG_OWNER_GDB))
			return false;	/* gdb's breakpoint: a stop */
	/* Another trap met while one is being stepped over: that step was
	 * lost (the guest ran on untrapped), so its trap goes back now, or
	 * this one would never be stepped over and would hit for ever. */
	if (d->cov_stepping && d->cov_step_phys != phys)
		debug_cov_step_done(m);
	for (bp = debug_sw_at(d, phys); bp; bp = next) {
		next = sw_table_next_at_phys(&d->swt, bp);
		if (bp->lifted || bp->int3 != int3 || !(bp->owners & DEBUG_OWNER_COVERAGE))
			continue;
		any = true;
		/* A kept trap on the guest's own HLT would be stepped over as a
		 * HLT, which single-step runs through on some hosts: one count. */
		if (cov_tell(d, bp) == DEBUG_COV_KEEP && bp->orig != HLT_OPCODE)
			keep = true;
		else
			debug_drop_owner(m, bp, DEBUG_OWNER_COVERAGE);
	}
	if (!any || !keep || d->cov_stepping)
		return any;
	/* Step over the kept trap: the guest's byte for one instruction. */
	for (bp = debug_sw_at(d, phys); bp; bp = sw_table_next_at_phys(&d->swt, bp))
		debug_lift(m, bp);
	d->cov_stepping = true;
	d->cov_step_phys = phys;
	d->single_step = true;
	d->step_over = true;
	err = debug_apply(m);
	if (err) {	/* no step: the trap goes, the guest must not stop here */
		debug_cov_step_done(m);
		for (bp = debug_sw_at(d, phys); bp; bp = next) {
			next = sw_table_next_at_phys(&d->swt, bp);
			if (bp->owners & DEBUG_OWNER_COVERAGE)
				debug_drop_owner(m, bp, DEBUG_OWNER_COVERAGE);
		}
	}
	return true;
}

bool debug_cov_step_done(struct machine *m)
{
	struct debug_state *d = &m->debug;

	if (!d->cov_stepping)
		return false;
	d->cov_stepping = false;
	for (struct sw_breakpoint *bp = debug_sw_at(d, d->cov_step_phys), *next; bp; bp = next) {
		next = sw_table_next_at_phys(&d->swt, bp);
		/* The stepped instruction may have stored over its own byte. */
		mem_read(&m->mem, bp->addr, &bp->orig, 1);
		debug_replant(m, bp);
	}
	d->single_step = false;
	d->step_over = false;
	debug_apply(m);
	return true;
}

void debug_cov_note_step(struct machine *m, uint64_t phys)
{
	struct debug_state *d = &m->debug;
	struct sw_breakpoint *bp, *next;

	for (bp = debug_sw_at(d, phys); bp; bp = next) {
		next = sw_table_next_at_phys(&d->swt, bp);
		if (!(bp->owners & DEBUG_OWNER_COVERAGE) || cov_tell(d, bp) == DEBUG_COV_KEEP)
			continue;
		if (bp->lifted) {
			/* The one being stepped over: it goes when the step
			 * puts it back (debug_replant). */
			sw_table_set_owners(&d->swt, bp, bp->owners & ~DEBUG_OWNER_COVERAGE);
			continue;
		}
		debug_drop_owner(m, bp, DEBUG_OWNER_COVERAGE);
	}
}
