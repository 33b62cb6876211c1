/*
 * debug.c - breakpoints and watchpoints: inserting and removing them,
 * planting and adopting software breakpoints, and pushing the whole state
 * into KVM_SET_GUEST_DEBUG (see debug.h for the mechanisms and why they
 * were chosen).  The table is debug_table.c's, the memory slots and the
 * dirty log debug_slots.c's, the host probes debug_probe.c's, coverage's
 * traps debug_cov.c's.
 */
#include "debug.h"
#include "vcpu.h"
#include "debug_copies.h"
#include "debug_internal.h"
#include "debug_table.h"
#include "machine.h"
#include "vaddr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

void debug_init(struct debug_state *d, const char *kvm_device)
{
	memset(d, 0, sizeof(*d));
	d->nslots = 1;	/* kvm.c registers RAM as slot 0 */
	d->kvm_device = kvm_device;
}

void debug_free(struct debug_state *d)
{
	sw_table_free(&d->swt);
	d->nsw = 0;
	debug_dirty_free(d);
}

struct sw_breakpoint *debug_sw_at(struct debug_state *d, uint64_t addr)
{
	return sw_table_at_phys(&d->swt, addr);
}

struct sw_breakpoint *debug_sw_at_vaddr(struct debug_state *d, uint64_t vaddr)
{
	struct sw_breakpoint *bp = sw_table_at_vaddr(&d->swt, vaddr, false);

	return bp && (bp->owners & DEBUG_OWNER_GDB) ? bp : NULL;
}

bool debug_hw_is_sw(const struct debug_state *d, unsigned slot)
{
	return slot < DEBUG_NUM_HW && d->hw[slot].used && d->hw[slot].sw;
}

uint64_t debug_phys(const struct machine *m, const struct paging_state *st, uint64_t linear)
{
	uint64_t phys, room;

	if (!st || vaddr_translate(&m->mem, st, linear, &phys, &room, NULL) < 0)
		return linear;
	return phys;
}

bool debug_hw_exec_at(const struct debug_state *d, uint64_t addr)
{
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++)
		if (d->hw[i].used && d->hw[i].kind == DEBUG_HW_BP && d->hw[i].addr == addr)
			return true;
	return false;
}

void debug_lift(struct machine *m, struct sw_breakpoint *bp)
{
	mem_write(&m->mem, bp->addr, &bp->orig, 1);
	bp->lifted = true;
}

void debug_unplant(struct machine *m, struct sw_breakpoint *bp)
{
	debug_lift(m, bp);
	/* The instruction under the trap runs now: a line coverage sees. */
	debug_cov_note_step(m, bp->addr);
}

uint8_t debug_trap_opcode(const struct sw_breakpoint *bp)
{
	return bp->int3 ? INT3_OPCODE : HLT_OPCODE;
}

bool debug_any_int3(const struct debug_state *d)
{
	return d->swt.nint3 > 0;
}

void debug_replant(struct machine *m, struct sw_breakpoint *bp)
{
	uint8_t op = debug_trap_opcode(bp);

	if (!bp->owners) {	/* coverage let go of it while it was lifted */
		debug_drop_owner(m, bp, 0);
		return;
	}
	mem_write(&m->mem, bp->addr, &op, 1);
	bp->lifted = false;
}

static void set_pending(struct debug_state *d, struct sw_breakpoint *bp, bool pending)
{
	if (pending && !bp->pending)
		d->npending++;
	else if (!pending && bp->pending && d->npending)
		d->npending--;
	bp->pending = pending;
}

/*
 * The guest put byte over a planted breakpoint.  Copies of the old trap
 * may exist, so its context is kept among the retired ones; a HLT is
 * decided later (trap_pending_resolve), any other byte is the new original.
 */
static void adopt_byte(struct machine *m, struct sw_breakpoint *bp, uint8_t byte)
{
	struct debug_state *d = &m->debug;

	d->copy_gen++;
	/* Copies are recognised by their HLT only: an int3 trap has none. */
	if (!bp->pending && !bp->int3)
		trap_context_retire(d, &bp->ctx);	/* copy_gen moved above */
	bp->orig = byte;
	set_pending(d, bp, !bp->int3 && byte == HLT_OPCODE);
	if (!bp->pending)
		trap_context_take(&bp->ctx, d, &m->mem, bp->addr, byte);
	debug_replant(m, bp);
}

/* The planted traps in [addr, addr+len) that the guest stored over. */
static void adopt_range(struct machine *m, uint64_t addr, uint64_t len)
{
	struct sw_range it;

	for (struct sw_breakpoint *bp = sw_range_first(&it, &m->debug.swt, addr, len); bp;
	     bp = sw_range_next(&it)) {
		uint8_t now;

		if (!bp->lifted && mem_read(&m->mem, bp->addr, &now, 1) == 0 &&
		    now != debug_trap_opcode(bp))
			adopt_byte(m, bp, now);
	}
}

void debug_adopt_guest_writes(struct machine *m)
{
	struct debug_state *d = &m->debug;
	uint64_t page;
	int err;

	if (d->nsw == 0)
		return;
	d->copy_gen++;	/* a stop: whatever the guest did, look again */
	/* The harvest also feeds the recorder (debug.h), which may have
	 * turned the log on before adoption did. */
	err = d->dirty_log == HOST_YES ? debug_dirty_harvest(m) : -EOPNOTSUPP;
	if (err) {
		/* No log of the guest's writes (yet): every trap is looked at.
		 * The log starts now, at the first adoption: a run with traps
		 * and nobody adopting (coverage alone) never pays for it. */
		adopt_range(m, 0, UINT64_MAX);
		trap_pending_resolve(d, &m->mem);
		debug_dirty_start(m);
		return;
	}
	/* Only pages the guest wrote can hold a trap it stored over, or
	 * bytes around one that changed. */
	for (bool more = debug_dirty_first(d, &page); more; more = debug_dirty_next(d, &page)) {
		adopt_range(m, page, DEBUG_PAGE_SIZE);
		trap_pending_resolve_range(d, &m->mem, page - TRAP_CONTEXT,
					   DEBUG_PAGE_SIZE + 2 * TRAP_CONTEXT);
	}
	debug_dirty_clear(d);
	if (d->npending)
		trap_pending_resolve(d, &m->mem);
}

void debug_loaded(struct machine *m, uint64_t addr, uint64_t len)
{
	struct sw_range it;

	m->debug.copy_gen++;
	for (struct sw_breakpoint *bp = sw_range_first(&it, &m->debug.swt, addr, len); bp;
	     bp = sw_range_next(&it))
		if (bp->owners && mem_read(&m->mem, bp->addr, &bp->orig, 1) == 0)
			debug_replant(m, bp);
}

void debug_guest_store(struct machine *m, uint64_t addr, const uint8_t *data, uint32_t len)
{
	struct debug_state *d = &m->debug;
	struct sw_range it;

	if (mem_write(&m->mem, addr, data, len) < 0)
		return;
	for (struct sw_breakpoint *bp = sw_range_first(&it, &d->swt, addr, len); bp;
	     bp = sw_range_next(&it))
		if (!bp->lifted)
			adopt_byte(m, bp, data[bp->addr - addr]);
}

/* Settle what the guest may have changed around [addr, addr+len): traps
 * it stored HLT over (all of them: few), and contexts near the range. */
static void resolve_near(struct debug_state *d, const struct guest_mem *mem, uint64_t addr,
			 uint64_t len)
{
	if (d->npending)
		trap_pending_resolve(d, mem);
	else
		trap_pending_resolve_range(d, mem, addr - TRAP_CONTEXT, len + 2 * TRAP_CONTEXT);
}

/*
 * Is addr the HLT last found to be the guest's own, with nothing changed
 * since (remember: make it so)?  Only while no trap is pending: those are
 * looked at on every exit.
 */
static bool same_guest_hlt(struct machine *m, uint64_t addr, bool remember)
{
	struct debug_state *d = &m->debug;
	uint8_t around[sizeof(d->guest_hlt_around)] = { 0 };
	uint64_t from = addr > TRAP_CONTEXT ? addr - TRAP_CONTEXT : 0;

	for (uint64_t a = from; a <= addr + TRAP_CONTEXT; a++)
		mem_read(&m->mem, a, &around[a - from], 1);	/* past RAM: 0 */
	if (remember) {
		d->guest_hlt_known = true;
		d->guest_hlt_addr = addr;
		d->guest_hlt_gen = d->copy_gen;
		memcpy(d->guest_hlt_around, around, sizeof(around));
		return true;
	}
	return d->guest_hlt_known && d->npending == 0 && d->guest_hlt_addr == addr &&
	       d->guest_hlt_gen == d->copy_gen &&
	       memcmp(d->guest_hlt_around, around, sizeof(around)) == 0;
}

enum hlt_meaning debug_hlt_meaning(struct machine *m, uint64_t addr)
{
	struct debug_state *d = &m->debug;
	uint8_t orig;
	bool coverage = false;

	if (d->nsw == 0 && d->nretired == 0)
		return HLT_GUEST;
	for (const struct sw_breakpoint *bp = debug_sw_at(d, addr); bp;
	     bp = sw_table_next_at_phys(&d->swt, bp)) {
		if (bp->int3)
			continue;
		if (bp->owners & DEBUG_OWNER_GDB)
			return HLT_BREAKPOINT;
		coverage |= !bp->lifted;
	}
	/* Only coverage's: counted, and the guest runs on without a stop. */
	if (coverage && debug_cov_hit(m, addr, false))
		return HLT_COVERAGE;
	if (same_guest_hlt(m, addr, false))
		return HLT_GUEST;
	resolve_near(d, &m->mem, addr, 1);
	if (trap_copy_original(d, &m->mem, addr, &orig) && mem_write(&m->mem, addr, &orig, 1) == 0)
		return HLT_COPIED_TRAP;
	same_guest_hlt(m, addr, true);
	return HLT_GUEST;
}

void debug_settle(struct machine *m, uint64_t addr, uint64_t len)
{
	struct debug_state *d = &m->debug;

	if (d->nsw == 0 && d->nretired == 0)
		return;
	resolve_near(d, &m->mem, addr, len);
	trap_copies_repair(d, &m->mem, addr, len);
}

void debug_unplant_copy(const struct debug_state *d, uint64_t addr, uint8_t *buf, uint64_t len)
{
	struct sw_range it;

	for (const struct sw_breakpoint *bp = sw_range_first(&it, &d->swt, addr, len); bp;
	     bp = sw_range_next(&it))
		buf[bp->addr - addr] = bp->orig;
}

bool debug_any_trap_in(const struct debug_state *d, uint64_t addr, uint64_t len)
{
	struct sw_range it;

	return sw_range_first(&it, &d->swt, addr, len) != NULL;
}

int debug_write_memory(struct machine *m, uint64_t addr, const uint8_t *buf, uint64_t len)
{
	struct debug_state *d = &m->debug;
	struct sw_range it;
	struct sw_breakpoint *bp;
	uint64_t lo;

	if (!mem_range_ok(&m->mem, addr, len))
		return -EFAULT;
	mem_write(&m->mem, addr, buf, (size_t)len);
	d->copy_gen++;
	for (bp = sw_range_first(&it, &d->swt, addr, len); bp; bp = sw_range_next(&it)) {
		bp->orig = buf[bp->addr - addr];
		set_pending(d, bp, false);
		debug_replant(m, bp);
	}
	/* With every original known, the contexts around the written range. */
	lo = addr > TRAP_CONTEXT ? addr - TRAP_CONTEXT : 0;
	for (bp = sw_range_first(&it, &d->swt, lo, addr - lo + len + TRAP_CONTEXT); bp;
	     bp = sw_range_next(&it))
		trap_context_take(&bp->ctx, d, &m->mem, bp->addr, bp->orig);
	return 0;
}

/* A breakpoint planted on zeros, with zeros around it: most likely memory
 * the guest has not written yet, where its code will be copied or loaded. */
static bool looks_unwritten(const struct sw_breakpoint *bp)
{
	uint8_t any = bp->orig;

	for (unsigned i = 0; i < bp->ctx.nbefore; i++)
		any |= bp->ctx.before[i];
	for (unsigned i = 0; i < bp->ctx.nafter; i++)
		any |= bp->ctx.after[i];
	return any == 0;
}

/*
 * Give the debug registers gdb does not use to software breakpoints
 * (debug.h says why and which), as execution breakpoints in dbg.  Only
 * gdb's: a backup that fires is reported to gdb, which must never hear of
 * a coverage trap (one the guest wiped out is a line not seen to run).
 * The candidates are gdb's newest DEBUG_BACKUP_WINDOW breakpoints, the
 * old table's size (so up to that many the choice is what it always
 * was): a debug_apply before every run costs a bounded walk, however many
 * breakpoints gdb has.
 */
static void assign_backups(struct machine *m, struct kvm_guest_debug *dbg)
{
	struct debug_state *d = &m->debug;
	const struct sw_breakpoint *best[DEBUG_NUM_HW];
	bool best_unwritten[DEBUG_NUM_HW];
	unsigned nfree = 0, nbest = 0, looked = 0;

	if (d->swt.ngdb == 0 || debug_host_hw_exec(d) != HOST_YES)
		return;
	for (unsigned slot = 0; slot < DEBUG_NUM_HW; slot++)
		nfree += !d->hw[slot].used;
	for (const struct sw_breakpoint *bp = sw_table_gdb_older(&d->swt, NULL);
	     bp && nfree && looked < DEBUG_BACKUP_WINDOW; bp = sw_table_gdb_older(&d->swt, bp)) {
		bool unwritten;
		unsigned at;

		if (bp->lifted)
			continue;
		looked++;
		/* Newest first: an older one only wins by looking unwritten. */
		unwritten = looks_unwritten(bp);
		for (at = nbest; at > 0 && unwritten && !best_unwritten[at - 1]; at--)
			;
		if (at == nfree)
			continue;
		if (nbest < nfree)
			nbest++;
		memmove(&best[at + 1], &best[at], (nbest - 1 - at) * sizeof(best[0]));
		memmove(&best_unwritten[at + 1], &best_unwritten[at],
			(nbest - 1 - at) * sizeof(best_unwritten[0]));
		best[at] = bp;
		best_unwritten[at] = unwritten;
	}
	for (unsigned slot = 0, k = 0; slot < DEBUG_NUM_HW && k < nbest; slot++) {
		if (d->hw[slot].used)
			continue;
		d->backup[slot] = true;
		/* Debug registers compare linear addresses: gdb's. */
		d->backup_addr[slot] = best[k]->vaddr;
		dbg->arch.debugreg[slot] = best[k]->vaddr;
		dbg->arch.debugreg[7] |= DR7_LOCAL_ENABLE(slot) | DR7_RW_EXEC << DR7_RW_SHIFT(slot);
		dbg->control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
		k++;
	}
}

int debug_apply(struct machine *m)
{
	struct debug_state *d = &m->debug;
	struct kvm_guest_debug dbg = { 0 };
	bool any_hw = false;
	int err = debug_sync_slots(m, d->single_step);

	if (err)
		return err;
	memset(d->backup, 0, sizeof(d->backup));
	/* Stepping over an instruction lifts the execution breakpoints (the
	 * one at pc would fire first); data breakpoints stay, so a step, and a
	 * recorded continue made of steps, still meets them. */
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++) {
		const struct hw_slot *h = &d->hw[i];
		uint64_t rw, len;

		if (!h->used || (d->step_over && h->kind == DEBUG_HW_BP))
			continue;
		any_hw = true;
		rw = h->kind == DEBUG_HW_BP ? DR7_RW_EXEC :
		     h->kind == DEBUG_WATCH_WRITE ? DR7_RW_WRITE : DR7_RW_ACCESS;
		len = h->kind == DEBUG_HW_BP ? 0 : h->len == 8 ? 2 : h->len - 1;
		dbg.arch.debugreg[i] = h->addr;
		dbg.arch.debugreg[7] |= DR7_LOCAL_ENABLE(i) | rw << DR7_RW_SHIFT(i) |
					len << DR7_LEN_SHIFT(i);
	}
	if (!d->step_over)
		assign_backups(m, &dbg);
	if (any_hw)
		dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
	if (debug_any_int3(d))
		dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP;
	if (d->single_step)
		dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	/* KVM single-steps by setting TF in the guest's flags, and sets it
	 * only here (KVM_SET_GUEST_DEBUG, at the pc it sees then), never
	 * again by itself: a register write (KVM_SET_REGS: a breakpoint's
	 * rewind, a stepped HLT, an emulated INT, gdb's own) keeps TF only at
	 * that pc, and an IRET or POPF of the guest's loads flags without it.
	 * Either way the next step would run on to the next exit on VT-x and
	 * AMD-V hosts (measured in the nested VM: a stepi after a real-mode
	 * IRET ran the guest to its end).  So every step sets it again. */
	if (d->applied_valid && memcmp(&dbg, &d->applied, sizeof(dbg)) == 0 && !d->single_step)
		return 0;
	if (ioctl(m->kvm.vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg) < 0) {
		d->applied_valid = false;
		return -errno;
	}
	d->applied = dbg;
	d->applied_valid = true;
	return 0;
}

int debug_inject_bp(struct machine *m)
{
	struct debug_state *d = &m->debug;
	struct kvm_guest_debug dbg;

	if (!d->applied_valid) {
		int err = debug_apply(m);

		if (err)
			return err;
	}
	/* The state KVM has, plus the one-off injection. */
	dbg = d->applied;
	dbg.control |= KVM_GUESTDBG_INJECT_BP;
	return ioctl(m->kvm.vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg) < 0 ? -errno : 0;
}

/* ---- insert and remove ---- */

/* Another entry planted at the same physical byte (two linear addresses
 * mapping one page, or gdb's and coverage's), other than skip. */
static struct sw_breakpoint *sharing(struct debug_state *d, uint64_t phys,
				     const struct sw_breakpoint *skip)
{
	for (struct sw_breakpoint *bp = debug_sw_at(d, phys); bp;
	     bp = sw_table_next_at_phys(&d->swt, bp))
		if (bp != skip)
			return bp;
	return NULL;
}

static void set_int3(struct debug_state *d, struct sw_breakpoint *bp, bool int3)
{
	if (int3 != bp->int3)
		d->swt.nint3 += int3 ? 1u : (uint32_t)-1;
	bp->int3 = int3;
}

/* Plant bp's HLT at phys (in RAM), keeping the guest's byte under it. */
static void plant_at(struct machine *m, struct sw_breakpoint *bp, uint64_t phys)
{
	struct debug_state *d = &m->debug;
	const struct sw_breakpoint *twin = sharing(d, phys, bp);

	/* A HLT copied here from another breakpoint is that one's byte (bp is
	 * not at phys yet, so it does not count as planted there). */
	if (!twin)
		trap_copies_repair(d, &m->mem, phys, 1);
	d->copy_gen++;
	sw_table_set_phys(&d->swt, bp, phys);
	set_pending(d, bp, false);
	bp->lifted = false;
	if (twin) {	/* its trap is there already: take the guest's byte from it */
		bp->orig = twin->orig;
		bp->ctx = twin->ctx;
		set_int3(d, bp, twin->int3);
		return;
	}
	mem_read(&m->mem, phys, &bp->orig, 1);
	trap_context_take(&bp->ctx, d, &m->mem, phys, bp->orig);
	debug_replant(m, bp);
}

/* Take bp's HLT out (unless another breakpoint still needs that byte). */
static void unplant_from(struct machine *m, struct sw_breakpoint *bp)
{
	struct debug_state *d = &m->debug;
	uint8_t now;

	if (sharing(d, bp->addr, bp))
		return;
	/* If the guest has overwritten the planted HLT, its new byte wins. */
	if (mem_read(&m->mem, bp->addr, &now, 1) == 0 && now == debug_trap_opcode(bp))
		debug_lift(m, bp);
	/* Copies of it made while it was planted are still recognised: the
	 * HLT last found to be the guest's may be one (not on the hot path of
	 * coverage, which lifts traps all the time: checked, not assumed). */
	if (!bp->pending && !bp->int3) {
		trap_context_retire(d, &bp->ctx);
		if (d->guest_hlt_known && trap_is_copy(&m->mem, &bp->ctx, d->guest_hlt_addr))
			d->copy_gen++;
	}
}

/* A new entry for vaddr, not planted yet (nowhere: no RAM is there). */
static struct sw_breakpoint *new_entry(struct debug_state *d, uint64_t vaddr, bool fixed,
				       uint8_t owners, bool int3, int *err)
{
	struct sw_breakpoint *bp = sw_table_add(&d->swt, vaddr, fixed, UINT64_MAX, err);

	if (!bp)
		return NULL;
	d->nsw = d->swt.count;
	sw_table_set_owners(&d->swt, bp, owners);
	set_int3(d, bp, int3);
	bp->seq = ++d->sw_seq;
	return bp;
}

/* owner no longer wants bp: the trap goes when nobody does. */
void debug_drop_owner(struct machine *m, struct sw_breakpoint *bp, uint8_t owner)
{
	struct debug_state *d = &m->debug;

	sw_table_set_owners(&d->swt, bp, bp->owners & ~owner);
	if (bp->owners)
		return;
	unplant_from(m, bp);
	set_pending(d, bp, false);
	/* One trap fewer makes no HLT a copy, unless it sat on that HLT. */
	if (bp->addr == d->guest_hlt_addr)
		d->copy_gen++;
	sw_table_remove(&d->swt, bp);
	d->nsw = d->swt.count;
}

/* A Z0 in a user page: a debug register at the linear address. */
static int insert_sw_as_hw(struct machine *m, uint64_t vaddr)
{
	struct debug_state *d = &m->debug;
	int err;

	if (debug_host_hw_exec(d) != HOST_YES)
		return -EOPNOTSUPP;
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++) {
		if (d->hw[i].used)
			continue;
		d->hw[i] = (struct hw_slot){ .used = true, .kind = DEBUG_HW_BP, .addr = vaddr,
					     .len = 1, .sw = true };
		err = debug_apply(m);
		if (err)
			d->hw[i].used = false;
		return err;
	}
	return -ENOSPC;		/* no register free: HLT would fault at CPL 3 */
}

/* A trap wanted at linear vaddr (fixed: physical, never retranslated),
 * physical phys.  In a user page: int3 where the host reports it (the
 * caller tried a debug register first). */
int debug_plant_new(struct machine *m, uint64_t vaddr, bool fixed, uint64_t phys, bool user,
		     uint8_t owner)
{
	struct debug_state *d = &m->debug;
	struct sw_breakpoint *bp;
	int err;

	if (user && debug_host_int3(d) != HOST_YES)
		return -EOPNOTSUPP;
	bp = new_entry(d, vaddr, fixed, owner, user, &err);
	if (!bp)
		return err;
	plant_at(m, bp, phys);
	return 0;
}

static int insert_sw(struct machine *m, const struct paging_state *st, uint64_t vaddr)
{
	struct debug_state *d = &m->debug;
	struct paging_rights rights = { 1, 1, 0 };
	struct sw_breakpoint *bp = sw_table_at_vaddr(&d->swt, vaddr, false);
	uint64_t phys = vaddr, room;
	bool user = false;

	if (bp && (bp->owners & DEBUG_OWNER_GDB))
		return 0;	/* gdb may insert the same one twice */
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++)
		if (debug_hw_is_sw(d, i) && d->hw[i].addr == vaddr)
			return 0;
	if (bp) {	/* coverage's trap is there: gdb shares it */
		sw_table_set_owners(&d->swt, bp, bp->owners | DEBUG_OWNER_GDB);
		bp->seq = ++d->sw_seq;
		return 0;
	}
	if (st && vaddr_translate(&m->mem, st, vaddr, &phys, &room, &rights) < 0)
		return -EFAULT;
	if (!mem_range_ok(&m->mem, phys, 1))
		return -EFAULT;
	if (st && paging_mode(st) != PAGING_OFF && rights.user) {
		int err = insert_sw_as_hw(m, vaddr);

		if (err != -ENOSPC && err != -EOPNOTSUPP)
			return err;
		/* No debug register: int3, where the host reports it.  The
		 * next run's debug_apply turns KVM_GUESTDBG_USE_SW_BP on. */
		user = true;
	}
	return debug_plant_new(m, vaddr, false, phys, user, DEBUG_OWNER_GDB);
}

/* gdbvm's own HLT is gdb's for the table (a stop, dropped by a z0 or a
 * detach like gdb's): gdb's own at vaddr makes it needless; coverage's
 * is shared as a Z0 shares it. */
int debug_insert_hlt(struct machine *m, uint64_t vaddr, uint64_t phys)
{
	struct debug_state *d = &m->debug;
	struct sw_breakpoint *bp = sw_table_at_vaddr(&d->swt, vaddr, false);

	if (bp && (bp->owners & DEBUG_OWNER_GDB))
		return -EEXIST;
	if (!mem_range_ok(&m->mem, phys, 1))
		return -EFAULT;
	if (bp) {
		sw_table_set_owners(&d->swt, bp, bp->owners | DEBUG_OWNER_GDB);
		bp->seq = ++d->sw_seq;
		return 0;
	}
	return debug_plant_new(m, vaddr, false, phys, false, DEBUG_OWNER_GDB);
}

static int remove_sw(struct machine *m, uint64_t vaddr)
{
	struct debug_state *d = &m->debug;
	struct sw_breakpoint *bp = debug_sw_at_vaddr(d, vaddr);

	if (!bp) {
		for (unsigned i = 0; i < DEBUG_NUM_HW; i++)
			if (debug_hw_is_sw(d, i) && d->hw[i].addr == vaddr) {
				d->hw[i].used = false;
				return debug_apply(m);
			}
		return -ENOENT;
	}
	debug_drop_owner(m, bp, DEBUG_OWNER_GDB);
	return 0;
}

/*
 * Per resume with paging on: each linear page with traps is translated
 * once (the table groups them), and a page that maps where it did at the
 * last retranslation, with every trap on it planted there since, is
 * skipped: the work is one page walk per page, not a look at every trap.
 */
void debug_retranslate(struct machine *m, const struct paging_state *st)
{
	struct debug_state *d = &m->debug;

	if (!st || paging_mode(st) == PAGING_OFF)
		return;
	for (uint32_t i = 0; i < d->swt.nvg; i++) {
		struct sw_vgroup *g = &d->swt.vg[i];
		uint64_t base = 0, room;
		bool whole = vaddr_translate(&m->mem, st, g->vpage, &base, &room, NULL) == 0 &&
			     room >= DEBUG_PAGE_SIZE;
		bool all = whole;

		if (whole && g->settled && g->ppage == base)
			continue;
		for (struct sw_breakpoint *bp = sw_group_next(&d->swt, g, NULL); bp;
		     bp = sw_group_next(&d->swt, g, bp)) {
			uint64_t phys = base + (bp->vaddr - g->vpage);

			/* A page that does not map whole: trap by trap. */
			if (!whole && vaddr_translate(&m->mem, st, bp->vaddr, &phys, &room, NULL) < 0)
				continue;
			if (bp->lifted || !mem_range_ok(&m->mem, phys, 1)) {
				all = false;
				continue;
			}
			if (phys == bp->addr)
				continue;
			unplant_from(m, bp);
			plant_at(m, bp, phys);
		}
		/* After plant_at, which unsettles the group. */
		g->ppage = base;
		g->settled = all;
	}
}

static bool valid_data_len(uint64_t addr, uint64_t len)
{
	return (len == 1 || len == 2 || len == 4 || len == 8) && (addr & (len - 1)) == 0;
}

static int insert_hw(struct machine *m, enum debug_kind kind, uint64_t addr, uint64_t len)
{
	struct debug_state *d = &m->debug;
	enum host_support sup = kind == DEBUG_HW_BP ? debug_host_hw_exec(d)
						    : debug_host_hw_data(d);
	int err;

	if (sup != HOST_YES)
		return -EOPNOTSUPP;
	if (kind != DEBUG_HW_BP && !valid_data_len(addr, len))
		return -EINVAL;
	/* gdb inserts every breakpoint again after an exec stop (a mode
	 * switch) without removing it first: one slot each, still. */
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++)
		if (d->hw[i].used && d->hw[i].kind == kind && d->hw[i].addr == addr &&
		    (kind == DEBUG_HW_BP || d->hw[i].len == len))
			return 0;
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++) {
		if (d->hw[i].used)
			continue;
		d->hw[i] = (struct hw_slot){ .used = true, .kind = kind, .addr = addr,
					     .len = kind == DEBUG_HW_BP ? 1 : len };
		err = debug_apply(m);
		if (err)
			d->hw[i].used = false;
		return err;
	}
	return -ENOSPC;
}

static int remove_hw(struct machine *m, enum debug_kind kind, uint64_t addr, uint64_t len)
{
	struct debug_state *d = &m->debug;

	for (unsigned i = 0; i < DEBUG_NUM_HW; i++) {
		if (d->hw[i].used && !d->hw[i].sw && d->hw[i].kind == kind && d->hw[i].addr == addr &&
		    (kind == DEBUG_HW_BP || d->hw[i].len == len)) {
			d->hw[i].used = false;
			return debug_apply(m);
		}
	}
	return -ENOENT;
}

struct watch_pieces {
	struct debug_state *d;
	uint64_t vaddr, vlen;
};

/* One page's part of a write watchpoint, as its own physical range. */
static int add_watch_piece(void *ctx, uint64_t phys, size_t off, size_t n)
{
	struct watch_pieces *w = ctx;
	struct debug_state *d = w->d;

	if (d->nww == DEBUG_MAX_WATCH)
		return -ENOSPC;
	d->ww[d->nww++] = (struct write_watch){ .addr = phys, .len = n,
						.linear = w->vaddr + off,
						.vaddr = w->vaddr, .vlen = w->vlen };
	return 0;
}

static void drop_watch(struct debug_state *d, uint64_t vaddr, uint64_t vlen)
{
	for (unsigned i = 0; i < d->nww;) {
		if (d->ww[i].vaddr == vaddr && d->ww[i].vlen == vlen)
			d->ww[i] = d->ww[--d->nww];
		else
			i++;
	}
}

static int insert_write_watch(struct machine *m, const struct paging_state *st, uint64_t addr,
			      uint64_t len)
{
	static const struct paging_state flat = { 0 };
	struct debug_state *d = &m->debug;
	struct watch_pieces w = { d, addr, len };
	unsigned before = d->nww;
	int err;

	if (!debug_host_readonly_mem(m))
		return -EOPNOTSUPP;
	if (len == 0 || len > m->mem.size)
		return -EFAULT;
	for (unsigned i = 0; i < d->nww; i++)
		if (d->ww[i].vaddr == addr && d->ww[i].vlen == len)
			return 0;	/* gdb may insert the same one twice */
	vaddr_for_each(&m->mem, st ? st : &flat, addr, (size_t)len, add_watch_piece, &w, &err);
	for (unsigned i = before; !err && i < d->nww; i++)
		if (!mem_range_ok(&m->mem, d->ww[i].addr, d->ww[i].len))
			err = -EFAULT;
	if (err) {
		d->nww = before;
		return err;
	}
	/* Now, not at the next run: a watchpoint the slots cannot hold is
	 * refused here. */
	d->ro_dirty = true;
	err = debug_sync_slots(m, false);
	if (err) {
		d->nww = before;
		d->ro_dirty = true;
		debug_sync_slots(m, false);
	}
	return err;
}

static int remove_write_watch(struct machine *m, uint64_t addr, uint64_t len)
{
	struct debug_state *d = &m->debug;
	unsigned before = d->nww;

	drop_watch(d, addr, len);
	if (d->nww == before)
		return -ENOENT;
	d->ro_dirty = true;	/* made at the next run */
	return 0;
}

int debug_insert(struct machine *m, const struct paging_state *st, enum debug_kind kind,
		 uint64_t addr, uint64_t len)
{
	switch (kind) {
	case DEBUG_SW_BP:
		return insert_sw(m, st, addr);
	case DEBUG_HW_BP:
	case DEBUG_WATCH_READ:
	case DEBUG_WATCH_ACCESS:
		return insert_hw(m, kind, addr, len);
	case DEBUG_WATCH_WRITE:
		return insert_write_watch(m, st, addr, len);
	}
	return -EINVAL;
}

int debug_remove(struct machine *m, enum debug_kind kind, uint64_t addr, uint64_t len)
{
	switch (kind) {
	case DEBUG_SW_BP:
		return remove_sw(m, addr);
	case DEBUG_HW_BP:
	case DEBUG_WATCH_READ:
	case DEBUG_WATCH_ACCESS:
		return remove_hw(m, kind, addr, len);
	case DEBUG_WATCH_WRITE:
		return remove_write_watch(m, addr, len);
	}
	return -EINVAL;
}

void debug_remove_all(struct machine *m)
{
	struct debug_state *d = &m->debug;
	struct sw_breakpoint *bp;

	/* gdb's only: coverage's traps stay. */
	while ((bp = sw_table_gdb_older(&d->swt, NULL)))
		debug_drop_owner(m, bp, DEBUG_OWNER_GDB);
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++)
		d->hw[i].used = false;
	d->nww = 0;
	d->ro_dirty = true;
	d->single_step = false;
	d->step_over = false;
	debug_apply(m);
}
