/*
 * debug.c - breakpoints, watchpoints and the host features behind them
 * (see debug.h for the mechanisms and why they were chosen).
 */
#include "debug.h"
#include "debug_copies.h"
#include "debug_table.h"
#include "cpu.h"
#include "cpu_modes.h"
#include "kvm.h"
#include "machine.h"
#include "vaddr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define PAGE_SIZE_4K 4096ULL
#define DR7_LOCAL_ENABLE(i) (1ULL << ((i) * 2))
#define DR7_RW_SHIFT(i) (16 + (i) * 4)
#define DR7_LEN_SHIFT(i) (18 + (i) * 4)
#define DR7_RW_EXEC 0ULL
#define DR7_RW_WRITE 1ULL
#define DR7_RW_ACCESS 3ULL	/* read or write */

void debug_init(struct debug_state *d, const char *kvm_device)
{
	memset(d, 0, sizeof(*d));
	d->nslots = 1;	/* kvm.c registers RAM as slot 0 */
	d->kvm_device = kvm_device;
}

static void dirty_free(struct debug_state *d);
static void drop_owner(struct machine *m, struct sw_breakpoint *bp, uint8_t owner);

void debug_free(struct debug_state *d)
{
	sw_table_free(&d->swt);
	d->nsw = 0;
	dirty_free(d);
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

static void lift(struct machine *m, struct sw_breakpoint *bp)
{
	mem_write(&m->mem, bp->addr, &bp->orig, 1);
	bp->lifted = true;
}

void debug_unplant(struct machine *m, struct sw_breakpoint *bp)
{
	lift(m, bp);
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
		drop_owner(m, bp, 0);
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
		trap_context_retire(d, &bp->ctx);
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
	err = debug_dirty_harvest(m);
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
		if (bp->int3 || bp->lifted)
			continue;
		if (bp->owners & DEBUG_OWNER_GDB)
			return HLT_BREAKPOINT;
		coverage = true;
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

static int sync_slots(struct machine *m, bool stepping);

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
	int err = sync_slots(m, d->single_step);

	if (err)
		return err;
	memset(d->backup, 0, sizeof(d->backup));
	if (!d->step_over) {
		for (unsigned i = 0; i < DEBUG_NUM_HW; i++) {
			const struct hw_slot *h = &d->hw[i];
			uint64_t rw, len;

			if (!h->used)
				continue;
			any_hw = true;
			rw = h->kind == DEBUG_HW_BP ? DR7_RW_EXEC :
			     h->kind == DEBUG_WATCH_WRITE ? DR7_RW_WRITE : DR7_RW_ACCESS;
			len = h->kind == DEBUG_HW_BP ? 0 : h->len == 8 ? 2 : h->len - 1;
			dbg.arch.debugreg[i] = h->addr;
			dbg.arch.debugreg[7] |= DR7_LOCAL_ENABLE(i) | rw << DR7_RW_SHIFT(i) |
						len << DR7_LEN_SHIFT(i);
		}
		assign_backups(m, &dbg);
	}
	if (any_hw)
		dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
	if (debug_any_int3(d))
		dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP;
	if (d->single_step)
		dbg.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	if (d->applied_valid && memcmp(&dbg, &d->applied, sizeof(dbg)) == 0)
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

/* ---- read-only memory slots: write watchpoints and planted breakpoints ---- */

static int set_slot(struct machine *m, unsigned slot, uint64_t gpa, uint64_t size, bool ro)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = ro ? KVM_MEM_READONLY :
			 m->debug.dirty_log == HOST_YES ? KVM_MEM_LOG_DIRTY_PAGES : 0,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)(m->mem.host + gpa),
	};

	return ioctl(m->kvm.vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -errno : 0;
}

static bool host_readonly_mem(struct machine *m)
{
	struct debug_state *d = &m->debug;

	if (d->readonly_mem == HOST_UNKNOWN) {
		int slots = ioctl(m->kvm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);

		d->readonly_mem = ioctl(m->kvm.kvm_fd, KVM_CHECK_EXTENSION,
					KVM_CAP_READONLY_MEM) > 0 ? HOST_YES : HOST_NO;
		d->max_slots = slots > 0 && slots < DEBUG_MAX_SLOTS ? (unsigned)slots
								    : DEBUG_MAX_SLOTS;
	}
	return d->readonly_mem == HOST_YES;
}

bool debug_in_protected_page(const struct debug_state *d, uint64_t addr, uint64_t len)
{
	uint64_t last = addr + (len ? len - 1 : 0);

	for (unsigned i = 0; i < d->nro; i++)
		if (addr < d->ro[i].end && last >= d->ro[i].first)
			return true;
	return false;
}

const struct write_watch *debug_write_hit(const struct debug_state *d, uint64_t addr,
					  uint64_t len)
{
	for (unsigned i = 0; i < d->nww; i++)
		if (addr < d->ww[i].addr + d->ww[i].len && d->ww[i].addr < addr + len)
			return &d->ww[i];
	return NULL;
}

static int range_order(const void *a, const void *b)
{
	const struct page_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/*
 * The pages that should be read-only, sorted and merged: every page a
 * write watchpoint touches.  The count, or -ENOSPC when the slots cannot
 * make it.
 */
static int wanted_ranges(const struct debug_state *d, const struct guest_mem *mem,
			 struct page_range *out)
{
	struct page_range all[DEBUG_MAX_WATCH];
	unsigned n = 0, merged = 0;

	for (unsigned i = 0; i < d->nww; i++)
		all[n++] = (struct page_range){
			.first = d->ww[i].addr & ~(PAGE_SIZE_4K - 1),
			.end = ((d->ww[i].addr + d->ww[i].len - 1) | (PAGE_SIZE_4K - 1)) + 1,
		};
	qsort(all, n, sizeof(all[0]), range_order);
	for (unsigned i = 0; i < n; i++) {
		if (all[i].end > mem->size)
			all[i].end = mem->size;
		if (merged && all[i].first <= out[merged - 1].end) {
			if (all[i].end > out[merged - 1].end)
				out[merged - 1].end = all[i].end;
			continue;
		}
		/* Each read-only range costs a slot, and so may the gap after it. */
		if (2 * (merged + 1) + 1 > d->max_slots)
			return -ENOSPC;
		out[merged++] = all[i];
	}
	return (int)merged;
}

/* Register guest RAM as slots: read-only over ro[0..n), read-write between. */
static int register_slots(struct machine *m, const struct page_range *ro, unsigned n)
{
	struct debug_state *d = &m->debug;
	uint64_t at = 0;
	unsigned slot = 0;
	int err = 0;

	/* Deleting a slot loses its dirty log: gather it first. */
	if (d->dirty_log == HOST_YES)
		debug_dirty_harvest(m);
	/* A slot's read-only flag cannot be changed in place: delete all, then
	 * create the new layout. */
	for (unsigned i = 0; i < d->nslots; i++)
		set_slot(m, i, 0, 0, false);
	d->nslots = 0;
	d->nro = 0;
	for (unsigned i = 0; i <= n && !err; i++) {
		uint64_t gap_end = i < n ? ro[i].first : m->mem.size;

		if (gap_end > at)
			err = set_slot(m, slot++, at, gap_end - at, false);
		if (!err && i < n) {
			err = set_slot(m, slot++, ro[i].first, ro[i].end - ro[i].first, true);
			at = ro[i].end;
		}
		d->nslots = slot;
	}
	if (err) {	/* fall back to plain RAM so the guest can go on */
		for (unsigned i = 0; i < d->nslots; i++)
			set_slot(m, i, 0, 0, false);
		d->nslots = set_slot(m, 0, 0, m->mem.size, false) == 0 ? 1 : 0;
		return err;
	}
	memcpy(d->ro, ro, n * sizeof(ro[0]));
	d->nro = n;
	return 0;
}

static bool same_ranges(const struct page_range *a, unsigned na, const struct page_range *b,
			unsigned nb)
{
	return na == nb && memcmp(a, b, na * sizeof(a[0])) == 0;
}

/* Is every range of a inside the ranges of b? */
static bool ranges_within(const struct page_range *a, unsigned na, const struct page_range *b,
			  unsigned nb)
{
	for (unsigned i = 0; i < na; i++) {
		bool inside = false;

		for (unsigned j = 0; j < nb && !inside; j++)
			inside = a[i].first >= b[j].first && a[i].end <= b[j].end;
		if (!inside)
			return false;
	}
	return true;
}

/*
 * Make the slots match the write watchpoints.  While single-stepping, pages
 * that are read-only but no longer need to be stay so: gdb lifts its
 * watchpoints for every stop and sets them again to continue, and
 * rebuilding the slots twice per hit would cost more than the step.
 */
static int sync_slots(struct machine *m, bool stepping)
{
	struct debug_state *d = &m->debug;
	struct page_range want[DEBUG_MAX_SLOTS];
	int n;

	if (!d->ro_dirty)
		return 0;
	if (!host_readonly_mem(m)) {
		d->ro_dirty = false;
		return d->nww ? -EOPNOTSUPP : 0;
	}
	n = wanted_ranges(d, &m->mem, want);
	if (n < 0)
		return n;
	if (!same_ranges(want, (unsigned)n, d->ro, d->nro) &&
	    !(stepping && ranges_within(want, (unsigned)n, d->ro, d->nro))) {
		int err = register_slots(m, want, (unsigned)n);

		if (err)
			return err;
	}
	if (!stepping || same_ranges(want, (unsigned)n, d->ro, d->nro))
		d->ro_dirty = false;
	return 0;
}

/* ---- which pages the guest wrote: KVM's dirty log ---- */

/*
 * The slots register_slots makes for read-only ranges ro[0..n): a
 * read-write slot before each range (when there is a gap) and after the
 * last, the range itself read-only.  Calls fn for each read-write one.
 */
static int each_rw_slot(struct machine *m, int (*fn)(struct machine *, unsigned slot,
						     uint64_t gpa, uint64_t size))
{
	const struct debug_state *d = &m->debug;
	uint64_t at = 0;
	unsigned slot = 0;
	int err = 0;

	for (unsigned i = 0; i <= d->nro && !err; i++) {
		uint64_t gap_end = i < d->nro ? d->ro[i].first : m->mem.size;

		if (gap_end > at)
			err = fn(m, slot++, at, gap_end - at);
		if (i < d->nro) {
			slot++;
			at = d->ro[i].end;
		}
	}
	return err;
}

static int log_slot(struct machine *m, unsigned slot, uint64_t gpa, uint64_t size)
{
	return set_slot(m, slot, gpa, size, false);
}

static void dirty_free(struct debug_state *d)
{
	free(d->dirty);
	free(d->dirty_scratch);
	d->dirty = d->dirty_scratch = NULL;
	d->dirty_pages = 0;
}

void debug_dirty_start(struct machine *m)
{
	struct debug_state *d = &m->debug;
	uint64_t words;

	if (d->dirty_log != HOST_UNKNOWN)
		return;
	d->dirty_pages = (m->mem.size + DEBUG_PAGE_SIZE - 1) / DEBUG_PAGE_SIZE;
	words = (d->dirty_pages + 63) / 64;
	d->dirty = calloc(words ? words : 1, sizeof(uint64_t));
	d->dirty_scratch = calloc(words ? words : 1, sizeof(uint64_t));
	d->dirty_log = HOST_YES;	/* what set_slot asks for */
	if (!d->dirty || !d->dirty_scratch || each_rw_slot(m, log_slot) < 0) {
		/* Back to plain slots (any that changed), and a full look at
		 * every trap after each run. */
		d->dirty_log = HOST_NO;
		each_rw_slot(m, log_slot);
		dirty_free(d);
	}
}

/* OR the slot's log (pages from gpa on) into the set. */
static int harvest_slot(struct machine *m, unsigned slot, uint64_t gpa, uint64_t size)
{
	struct debug_state *d = &m->debug;
	uint64_t npages = (size + DEBUG_PAGE_SIZE - 1) / DEBUG_PAGE_SIZE;
	uint64_t first = gpa / DEBUG_PAGE_SIZE;
	struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = d->dirty_scratch };

	memset(d->dirty_scratch, 0, (npages + 63) / 64 * sizeof(uint64_t));
	if (ioctl(m->kvm.vm_fd, KVM_GET_DIRTY_LOG, &log) < 0)
		return -errno;
	for (uint64_t w = 0; w < (npages + 63) / 64; w++) {
		for (uint64_t bits = d->dirty_scratch[w]; bits; bits &= bits - 1) {
			uint64_t page = first + w * 64 + (uint64_t)__builtin_ctzll(bits);

			if (page < d->dirty_pages)
				d->dirty[page / 64] |= 1ULL << (page % 64);
		}
	}
	return 0;
}

int debug_dirty_harvest(struct machine *m)
{
	if (m->debug.dirty_log != HOST_YES)
		return -EOPNOTSUPP;
	return each_rw_slot(m, harvest_slot);
}

/* The first page in the set at or after page *at (as an address). */
static bool dirty_from(const struct debug_state *d, uint64_t page, uint64_t *out)
{
	for (uint64_t w = page / 64; w < (d->dirty_pages + 63) / 64; w++) {
		uint64_t bits = d->dirty[w];

		if (w == page / 64)
			bits &= ~0ULL << (page % 64);
		if (bits) {
			*out = (w * 64 + (uint64_t)__builtin_ctzll(bits)) * DEBUG_PAGE_SIZE;
			return true;
		}
	}
	return false;
}

bool debug_dirty_first(const struct debug_state *d, uint64_t *page)
{
	return d->dirty && dirty_from(d, 0, page);
}

bool debug_dirty_next(const struct debug_state *d, uint64_t *page)
{
	return d->dirty && dirty_from(d, *page / DEBUG_PAGE_SIZE + 1, page);
}

void debug_dirty_clear(struct debug_state *d)
{
	if (d->dirty)
		memset(d->dirty, 0, (d->dirty_pages + 63) / 64 * sizeof(uint64_t));
}

/* ---- host probes: does this KVM deliver debug-register exits? ---- */

/*
 * Run real-mode code at 0x1000 in a scratch VM under guest debug state dbg
 * and report whether KVM_EXIT_DEBUG arrives (rather than the final HLT),
 * with what it said in *exit.  Vector 3 of the IVT leads to a HLT at
 * 0x1100, so an int3 the guest takes itself ends the probe too.
 */
static enum host_support probe_run(const char *device, const uint8_t *code, size_t len,
				   const struct kvm_guest_debug *dbg,
				   struct kvm_debug_exit_arch *exit)
{
	static const uint8_t ivt3[4] = { 0x00, 0x11, 0x00, 0x00 };	/* 0000:1100 */
	static const uint8_t hlt = HLT_OPCODE;
	struct guest_mem mem = { 0 };
	struct kvm_vm vm;
	char errbuf[KVM_ERRBUF_SIZE];
	const char *failed;
	enum host_support result = HOST_NO;
	const struct cpu_entry probe_entry = { .mode = CPU_MODE_REAL, .rip = 0x1000 };

	kvm_vm_init(&vm);
	if (mem_alloc(&mem, 64 * 1024) < 0)
		return HOST_UNKNOWN;
	mem_write(&mem, 0x1000, code, len);
	mem_write(&mem, 3 * 4, ivt3, sizeof(ivt3));
	mem_write(&mem, 0x1100, &hlt, 1);
	if (kvm_vm_create(&vm, device, &mem, errbuf) < 0 ||
	    cpu_setup(vm.vcpu_fd, &probe_entry, NULL, 0, &failed) < 0) {
		result = HOST_UNKNOWN;
		goto out;
	}
	if (ioctl(vm.vcpu_fd, KVM_SET_GUEST_DEBUG, dbg) < 0) {
		result = HOST_NO;
		goto out;
	}
	for (int i = 0; i < 16; i++) {
		if (ioctl(vm.vcpu_fd, KVM_RUN, 0) < 0)
			break;
		if (vm.run->exit_reason == KVM_EXIT_DEBUG) {
			*exit = vm.run->debug.arch;
			result = HOST_YES;
			break;
		}
		if (vm.run->exit_reason != KVM_EXIT_IO && vm.run->exit_reason != KVM_EXIT_MMIO)
			break;
	}
out:
	kvm_vm_destroy(&vm);
	mem_free(&mem);
	return result;
}

/* One debug register armed: does it fire (DR6 says DR0)? */
static enum host_support probe(const char *device, const uint8_t *code, size_t len,
			       uint64_t dr0, uint64_t dr7)
{
	struct kvm_guest_debug dbg = { 0 };
	struct kvm_debug_exit_arch exit = { 0 };
	enum host_support r;

	dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
	dbg.arch.debugreg[0] = dr0;
	dbg.arch.debugreg[7] = dr7;
	r = probe_run(device, code, len, &dbg, &exit);
	return r == HOST_YES && !(exit.dr6 & 1) ? HOST_NO : r;
}

enum host_support debug_host_hw_exec(struct debug_state *d)
{
	static const uint8_t code[] = { 0x90, 0x90, 0xf4 };	/* nop; nop; hlt */

	if (d->hw_exec == HOST_UNKNOWN)
		d->hw_exec = probe(d->kvm_device, code, sizeof(code), 0x1001,
				   DR7_LOCAL_ENABLE(0));
	return d->hw_exec;
}

enum host_support debug_host_hw_data(struct debug_state *d)
{
	/* mov al, [0x2000]; hlt */
	static const uint8_t code[] = { 0xa0, 0x00, 0x20, 0xf4 };

	if (d->hw_data == HOST_UNKNOWN)
		d->hw_data = probe(d->kvm_device, code, sizeof(code), 0x2000,
				   DR7_LOCAL_ENABLE(0) | DR7_RW_ACCESS << DR7_RW_SHIFT(0));
	return d->hw_data;
}

#define VECTOR_BP 3

enum host_support debug_host_int3(struct debug_state *d)
{
	/* nop; int3; hlt: the int3 is at 0x1001. */
	static const uint8_t code[] = { 0x90, INT3_OPCODE, HLT_OPCODE };
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP };
	struct kvm_debug_exit_arch exit = { 0 };

	if (d->sw_int3 != HOST_UNKNOWN)
		return d->sw_int3;
	d->sw_int3 = probe_run(d->kvm_device, code, sizeof(code), &dbg, &exit);
	if (d->sw_int3 == HOST_YES) {
		/* The pc at the int3 or just past it; anything else is a host
		 * we do not understand, and int3 is not used there. */
		if (exit.exception == VECTOR_BP && (exit.pc == 0x1001 || exit.pc == 0x1002))
			d->int3_pc_after = (uint8_t)(exit.pc - 0x1001);
		else
			d->sw_int3 = HOST_NO;
	}
	return d->sw_int3;
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
		lift(m, bp);
	/* Copies of it made while it was planted are still recognised. */
	if (!bp->pending && !bp->int3)
		trap_context_retire(d, &bp->ctx);
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
static void drop_owner(struct machine *m, struct sw_breakpoint *bp, uint8_t owner)
{
	struct debug_state *d = &m->debug;

	sw_table_set_owners(&d->swt, bp, bp->owners & ~owner);
	if (bp->owners)
		return;
	unplant_from(m, bp);
	set_pending(d, bp, false);
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
static int plant_new(struct machine *m, uint64_t vaddr, bool fixed, uint64_t phys, bool user,
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
	return plant_new(m, vaddr, false, phys, user, DEBUG_OWNER_GDB);
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
	drop_owner(m, bp, DEBUG_OWNER_GDB);
	return 0;
}

/*
 * Per resume with paging on, every trap's linear address is translated
 * again.  Traps come in runs on the same page (one per source line), so
 * the last page's translation is kept: one page walk per page, not per
 * trap.
 */
void debug_retranslate(struct machine *m, const struct paging_state *st)
{
	struct debug_state *d = &m->debug;
	uint64_t last_page = 1, last_base = 0;	/* 1: no page is cached */
	bool last_ok = false;

	if (!st || paging_mode(st) == PAGING_OFF)
		return;
	for (struct sw_breakpoint *bp = sw_table_next(&d->swt, NULL); bp;
	     bp = sw_table_next(&d->swt, bp)) {
		uint64_t page = bp->vaddr & ~(DEBUG_PAGE_SIZE - 1), phys, room;

		if (bp->lifted || bp->fixed)
			continue;
		if (page != last_page) {
			last_page = page;
			last_ok = vaddr_translate(&m->mem, st, page, &last_base, &room, NULL) == 0 &&
				  room >= DEBUG_PAGE_SIZE;
			if (!last_ok && vaddr_translate(&m->mem, st, bp->vaddr, &phys, &room,
							NULL) == 0) {
				last_page = 1;	/* odd mapping: per trap */
				goto have_phys;
			}
		}
		if (!last_ok)
			continue;
		phys = last_base + (bp->vaddr - page);
have_phys:
		if (phys == bp->addr || !mem_range_ok(&m->mem, phys, 1))
			continue;
		unplant_from(m, bp);
		plant_at(m, bp, phys);
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

	if (!host_readonly_mem(m))
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
	err = sync_slots(m, false);
	if (err) {
		d->nww = before;
		d->ro_dirty = true;
		sync_slots(m, false);
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
		drop_owner(m, bp, DEBUG_OWNER_GDB);
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++)
		d->hw[i].used = false;
	d->nww = 0;
	d->ro_dirty = true;
	d->single_step = false;
	d->step_over = false;
	debug_apply(m);
}

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
	return plant_new(m, vaddr, fixed, phys, user, DEBUG_OWNER_COVERAGE);
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
	drop_owner(m, bp, DEBUG_OWNER_COVERAGE);
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
			drop_owner(m, bp, DEBUG_OWNER_COVERAGE);
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
			drop_owner(m, bp, DEBUG_OWNER_COVERAGE);
	}
	if (!any || !keep || d->cov_stepping)
		return any;
	/* Step over the kept trap: the guest's byte for one instruction. */
	for (bp = debug_sw_at(d, phys); bp; bp = sw_table_next_at_phys(&d->swt, bp))
		lift(m, bp);
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
				drop_owner(m, bp, DEBUG_OWNER_COVERAGE);
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
		drop_owner(m, bp, DEBUG_OWNER_COVERAGE);
	}
}
