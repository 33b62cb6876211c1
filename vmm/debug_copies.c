/*
 * debug_copies.c - recognising planted breakpoints the guest copied
 * elsewhere, and putting the original byte back (see debug_copies.h).
 */
#include "debug_copies.h"
#include "debug_table.h"

#include <string.h>

/* The guest's own byte at addr: a planted breakpoint shows its original. */
static bool guest_byte(const struct debug_state *d, const struct guest_mem *mem, uint64_t addr,
		       uint8_t *out)
{
	if (mem_read(mem, addr, out, 1) < 0)
		return false;
	debug_unplant_copy(d, addr, out, 1);
	return true;
}

void trap_context_take(struct trap_context *ctx, const struct debug_state *d,
		       const struct guest_mem *mem, uint64_t addr, uint8_t orig)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->addr = addr;
	ctx->orig = orig;
	while (ctx->nbefore < TRAP_CONTEXT && addr > ctx->nbefore &&
	       guest_byte(d, mem, addr - 1 - ctx->nbefore, &ctx->before[ctx->nbefore]))
		ctx->nbefore++;
	while (ctx->nafter < TRAP_CONTEXT && addr + 1 + ctx->nafter > addr &&
	       guest_byte(d, mem, addr + 1 + ctx->nafter, &ctx->after[ctx->nafter]))
		ctx->nafter++;
}

void trap_context_retire(struct debug_state *d, const struct trap_context *ctx)
{
	unsigned i;

	/* One record per address: gdb removes and inserts the same
	 * breakpoints at every stop. */
	for (i = 0; i < d->nretired; i++)
		if (d->retired[i].addr == ctx->addr)
			break;
	if (i == d->nretired && d->nretired == DEBUG_MAX_RETIRED)
		i = 0;	/* full: the oldest goes */
	if (i < d->nretired)
		memmove(&d->retired[i], &d->retired[i + 1],
			(d->nretired - i - 1) * sizeof(d->retired[0]));
	else
		d->nretired++;
	d->retired[d->nretired - 1] = *ctx;
}

/*
 * Neighbours of a candidate copy that hold a trap of ours (planted, and
 * not stored over by the guest): bit i of before (after) for the byte
 * i + 1 before (after) it.  Those bytes are our HLTs, not the guest's
 * data, so they are no evidence of a copy: a guest HLT followed by lines
 * of one-byte instructions, each with a coverage trap, would otherwise
 * match every such trap's neighbours (HLT, HLT, HLT...).
 */
struct planted_near {
	uint16_t before, after;
};

static bool ours_at(const struct debug_state *d, const struct guest_mem *mem, uint64_t addr)
{
	const struct sw_breakpoint *bp = sw_table_at_phys(&d->swt, addr);
	uint8_t byte;

	return bp && !bp->pending && !bp->lifted && !bp->int3 &&
	       mem_read(mem, addr, &byte, 1) == 0 && byte == HLT_OPCODE;
}

static struct planted_near planted_near(const struct debug_state *d, const struct guest_mem *mem,
					uint64_t addr)
{
	struct planted_near near = { 0, 0 };

	for (unsigned i = 0; i < TRAP_CONTEXT; i++) {
		if (addr > i && ours_at(d, mem, addr - 1 - i))
			near.before |= (uint16_t)(1u << i);
		if (addr + 1 + i > addr && ours_at(d, mem, addr + 1 + i))
			near.after |= (uint16_t)(1u << i);
	}
	return near;
}

/*
 * Does the byte at copy + offset agree with the trap's context: the byte
 * recorded when it was planted, or (for a live breakpoint) the byte there
 * now, which covers neighbours planted or rewritten since.
 */
static bool same_byte(const struct guest_mem *mem, const struct trap_context *ctx, bool live,
		      uint64_t copy, int64_t offset, uint8_t recorded, uint8_t *seen)
{
	uint8_t here, there;

	if (mem_read(mem, copy + (uint64_t)offset, &here, 1) < 0)
		return false;
	if (here != recorded &&
	    !(live && mem_read(mem, ctx->addr + (uint64_t)offset, &there, 1) == 0 && here == there))
		return false;
	*seen |= here;
	return true;
}

/* How many bytes next to copy, on both sides, agree with ctx, stopping at
 * a neighbour in near (NULL: none); *seen gets the OR of the bytes that
 * agree (0: they were all zeros). */
static unsigned context_match(const struct guest_mem *mem, const struct trap_context *ctx,
			      bool live, uint64_t copy, const struct planted_near *near,
			      uint8_t *seen)
{
	unsigned n = 0;

	*seen = 0;
	for (unsigned i = 0; i < ctx->nbefore && copy > i; i++, n++)
		if ((near && (near->before >> i & 1)) ||
		    !same_byte(mem, ctx, live, copy, -(int64_t)i - 1, ctx->before[i], seen))
			break;
	for (unsigned i = 0; i < ctx->nafter; i++, n++)
		if ((near && (near->after >> i & 1)) ||
		    !same_byte(mem, ctx, live, copy, (int64_t)i + 1, ctx->after[i], seen))
			break;
	return n;
}

/*
 * A breakpoint on the guest's own HLT: its copies are HLT too.  Zeros are
 * no evidence: a HLT of the guest's with zeros after it (the end of its
 * code, then padding) would otherwise match every trap that has zeros
 * after it, such as one planted on memory the guest has not loaded yet.
 */
static bool is_copy_of(const struct guest_mem *mem, const struct trap_context *ctx, bool live,
		       uint64_t addr, const struct planted_near *near)
{
	uint8_t seen;

	return ctx->addr != addr && ctx->orig != HLT_OPCODE &&
	       context_match(mem, ctx, live, addr, near, &seen) >= TRAP_MATCH_MIN && seen != 0;
}

bool trap_is_copy(const struct guest_mem *mem, const struct trap_context *ctx, uint64_t addr)
{
	return is_copy_of(mem, ctx, false, addr, NULL);
}

bool trap_copy_original(const struct debug_state *d, const struct guest_mem *mem,
			uint64_t addr, uint8_t *orig)
{
	struct planted_near near;
	uint8_t byte;

	if (mem_read(mem, addr, &byte, 1) < 0 || byte != HLT_OPCODE)
		return false;
	if (sw_table_at_phys(&d->swt, addr))
		return false;	/* planted here: a breakpoint, not a copy */
	/* A trap was planted here over a HLT of the guest's, and lifted (a
	 * coverage line that ran: the guest's HLT runs next): that HLT is the
	 * guest's, however much its neighbours look like another trap's (a run
	 * of one-byte lines such as inc ax, inc ax, ... before it). */
	for (unsigned i = 0; i < d->nretired; i++)
		if (d->retired[i].addr == addr && d->retired[i].orig == HLT_OPCODE)
			return false;
	near = planted_near(d, mem, addr);
	/* Every live trap's context: a walk over the table, but only for a
	 * HLT byte that no trap is planted on (the guest's own, or a copy). */
	for (const struct sw_breakpoint *bp = sw_table_next(&d->swt, NULL); bp;
	     bp = sw_table_next(&d->swt, bp)) {
		if (!bp->pending && !bp->int3 && is_copy_of(mem, &bp->ctx, true, addr, &near)) {
			*orig = bp->orig;
			return true;
		}
	}
	for (unsigned i = d->nretired; i-- > 0;) {
		if (is_copy_of(mem, &d->retired[i], false, addr, &near)) {
			*orig = d->retired[i].orig;
			return true;
		}
	}
	return false;
}

unsigned trap_copies_repair(const struct debug_state *d, struct guest_mem *mem, uint64_t addr,
			    uint64_t len)
{
	const uint8_t *p = mem_ptr(mem, addr, len);
	unsigned repaired = 0;

	if (!p || (d->nsw == 0 && d->nretired == 0))
		return 0;
	for (const uint8_t *at = memchr(p, HLT_OPCODE, len); at;
	     at = memchr(at + 1, HLT_OPCODE, len - (uint64_t)(at + 1 - p))) {
		uint64_t gpa = addr + (uint64_t)(at - p);
		uint8_t orig;

		if (trap_copy_original(d, mem, gpa, &orig)) {
			mem_write(mem, gpa, &orig, 1);
			repaired++;
		}
	}
	return repaired;
}

/* The original byte of the trap the bytes around addr are a copy of. */
static bool copied_from(const struct debug_state *d, const struct guest_mem *mem,
			const struct sw_breakpoint *self, uint64_t addr, uint8_t *orig)
{
	for (const struct sw_breakpoint *bp = sw_table_next(&d->swt, NULL); bp;
	     bp = sw_table_next(&d->swt, bp)) {
		if (bp != self && !bp->pending && !bp->int3 &&
		    is_copy_of(mem, &bp->ctx, true, addr, NULL)) {
			*orig = bp->orig;
			return true;
		}
	}
	for (unsigned j = d->nretired; j-- > 0;) {
		if (is_copy_of(mem, &d->retired[j], false, addr, NULL)) {
			*orig = d->retired[j].orig;
			return true;
		}
	}
	return false;
}

/*
 * Are the guest's bytes around the breakpoint still the ones it recorded?
 * The guest's: a neighbour planted since (traps a line apart) is no change,
 * and taking it for one would send every trap through copied_from, a walk
 * over all of them.
 */
static bool context_unchanged(const struct debug_state *d, const struct guest_mem *mem,
			      const struct trap_context *ctx)
{
	uint8_t b;

	for (unsigned i = 0; i < ctx->nbefore; i++)
		if (!guest_byte(d, mem, ctx->addr - 1 - i, &b) || b != ctx->before[i])
			return false;
	for (unsigned i = 0; i < ctx->nafter; i++)
		if (!guest_byte(d, mem, ctx->addr + 1 + i, &b) || b != ctx->after[i])
			return false;
	return true;
}

static void resolve_one(struct debug_state *d, const struct guest_mem *mem,
			struct sw_breakpoint *bp)
{
	uint8_t byte, orig;

	/* An int3 trap (a user page) is never taken for a copied HLT. */
	if (bp->lifted || bp->int3 || mem_read(mem, bp->addr, &byte, 1) < 0 || byte != HLT_OPCODE)
		return;
	if (!bp->pending && context_unchanged(d, mem, &bp->ctx))
		return;
	/* The guest rewrote the bytes around a planted HLT (or stored a HLT
	 * over it): code copied here from another breakpoint carries that
	 * one's trap, and its byte. */
	d->copy_gen++;
	if (copied_from(d, mem, bp, bp->addr, &orig)) {
		bp->orig = orig;
		if (bp->pending && d->npending)
			d->npending--;
		bp->pending = false;
	}
	if (!bp->pending)
		trap_context_take(&bp->ctx, d, mem, bp->addr, bp->orig);
}

void trap_pending_resolve(struct debug_state *d, const struct guest_mem *mem)
{
	for (struct sw_breakpoint *bp = sw_table_next(&d->swt, NULL); bp;
	     bp = sw_table_next(&d->swt, bp))
		resolve_one(d, mem, bp);
}

void trap_pending_resolve_range(struct debug_state *d, const struct guest_mem *mem,
				uint64_t addr, uint64_t len)
{
	struct sw_range it;

	/* addr may have wrapped below 0 (a range widened by the context). */
	if (addr > UINT64_MAX - TRAP_CONTEXT * 4) {
		len -= -addr < len ? -addr : len;
		addr = 0;
	}
	for (struct sw_breakpoint *bp = sw_range_first(&it, &d->swt, addr, len); bp;
	     bp = sw_range_next(&it))
		resolve_one(d, mem, bp);
}
