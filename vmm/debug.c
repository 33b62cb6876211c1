/*
 * debug.c - breakpoints, watchpoints and the host features behind them
 * (see debug.h for the mechanisms and why they were chosen).
 */
#include "debug.h"
#include "vcpu.h"
#include "debug_copies.h"
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

struct sw_breakpoint *debug_sw_at(struct debug_state *d, uint64_t addr)
{
	for (unsigned i = 0; i < d->nsw; i++)
		if (d->sw[i].addr == addr)
			return &d->sw[i];
	return NULL;
}

struct sw_breakpoint *debug_sw_at_vaddr(struct debug_state *d, uint64_t vaddr)
{
	for (unsigned i = 0; i < d->nsw; i++)
		if (d->sw[i].vaddr == vaddr)
			return &d->sw[i];
	return NULL;
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

void debug_unplant(struct machine *m, struct sw_breakpoint *bp)
{
	mem_write(&m->mem, bp->addr, &bp->orig, 1);
	bp->lifted = true;
}

uint8_t debug_trap_opcode(const struct sw_breakpoint *bp)
{
	return bp->int3 ? INT3_OPCODE : HLT_OPCODE;
}

bool debug_any_int3(const struct debug_state *d)
{
	for (unsigned i = 0; i < d->nsw; i++)
		if (d->sw[i].int3)
			return true;
	return false;
}

void debug_replant(struct machine *m, struct sw_breakpoint *bp)
{
	uint8_t op = debug_trap_opcode(bp);

	mem_write(&m->mem, bp->addr, &op, 1);
	bp->lifted = false;
}

/*
 * The guest put byte over a planted breakpoint.  Copies of the old trap
 * may exist, so its context is kept among the retired ones; a HLT is
 * decided later (trap_pending_resolve), any other byte is the new original.
 */
static void adopt_byte(struct machine *m, struct sw_breakpoint *bp, uint8_t byte)
{
	struct debug_state *d = &m->debug;

	/* Copies are recognised by their HLT only: an int3 trap has none. */
	if (!bp->pending && !bp->int3)
		trap_context_retire(d, &bp->ctx);
	bp->orig = byte;
	bp->pending = !bp->int3 && byte == HLT_OPCODE;
	if (!bp->pending)
		trap_context_take(&bp->ctx, d, &m->mem, bp->addr, byte);
	debug_replant(m, bp);
}

void debug_adopt_guest_writes(struct machine *m)
{
	struct debug_state *d = &m->debug;

	for (unsigned i = 0; i < d->nsw; i++) {
		uint8_t now;

		if (!d->sw[i].lifted && mem_read(&m->mem, d->sw[i].addr, &now, 1) == 0 &&
		    now != debug_trap_opcode(&d->sw[i]))
			adopt_byte(m, &d->sw[i], now);
	}
	trap_pending_resolve(d, &m->mem);
}

void debug_guest_store(struct machine *m, uint64_t addr, const uint8_t *data, uint32_t len)
{
	struct debug_state *d = &m->debug;

	if (mem_write(&m->mem, addr, data, len) < 0)
		return;
	for (unsigned i = 0; i < d->nsw; i++) {
		struct sw_breakpoint *bp = &d->sw[i];

		if (bp->addr >= addr && bp->addr - addr < len && !bp->lifted)
			adopt_byte(m, bp, data[bp->addr - addr]);
	}
}

enum hlt_meaning debug_hlt_meaning(struct machine *m, uint64_t addr)
{
	struct debug_state *d = &m->debug;
	uint8_t orig;

	if (d->nsw == 0 && d->nretired == 0)
		return HLT_GUEST;
	trap_pending_resolve(d, &m->mem);
	{
		const struct sw_breakpoint *bp = debug_sw_at(d, addr);

		if (bp && !bp->int3)
			return HLT_BREAKPOINT;
	}
	if (trap_copy_original(d, &m->mem, addr, &orig) && mem_write(&m->mem, addr, &orig, 1) == 0)
		return HLT_COPIED_TRAP;
	return HLT_GUEST;
}

void debug_settle(struct machine *m, uint64_t addr, uint64_t len)
{
	struct debug_state *d = &m->debug;

	if (d->nsw == 0 && d->nretired == 0)
		return;
	trap_pending_resolve(d, &m->mem);
	trap_copies_repair(d, &m->mem, addr, len);
}

void debug_unplant_copy(const struct debug_state *d, uint64_t addr, uint8_t *buf, uint64_t len)
{
	for (unsigned i = 0; i < d->nsw; i++)
		if (d->sw[i].addr >= addr && d->sw[i].addr - addr < len)
			buf[d->sw[i].addr - addr] = d->sw[i].orig;
}

int debug_write_memory(struct machine *m, uint64_t addr, const uint8_t *buf, uint64_t len)
{
	struct debug_state *d = &m->debug;

	if (!mem_range_ok(&m->mem, addr, len))
		return -EFAULT;
	mem_write(&m->mem, addr, buf, (size_t)len);
	for (unsigned i = 0; i < d->nsw; i++) {
		struct sw_breakpoint *bp = &d->sw[i];

		if (bp->addr >= addr && bp->addr - addr < len) {
			bp->orig = buf[bp->addr - addr];
			bp->pending = false;
			debug_replant(m, bp);
		}
	}
	/* With every original known, the contexts around the written range. */
	for (unsigned i = 0; i < d->nsw; i++) {
		struct sw_breakpoint *bp = &d->sw[i];

		if (bp->addr + TRAP_CONTEXT >= addr && bp->addr < addr + len + TRAP_CONTEXT)
			trap_context_take(&bp->ctx, d, &m->mem, bp->addr, bp->orig);
	}
	return 0;
}

static int sync_slots(struct machine *m, bool stepping);
static int register_slots(struct machine *m, const struct page_range *ro, unsigned n);

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

/* Does a wins over b for a backup debug register? */
static bool backup_first(const struct sw_breakpoint *a, const struct sw_breakpoint *b)
{
	bool ua = looks_unwritten(a), ub = looks_unwritten(b);

	return ua != ub ? ua : a->seq > b->seq;
}

/* Give the debug registers gdb does not use to software breakpoints
 * (debug.h says why and which), as execution breakpoints in dbg. */
static void assign_backups(struct machine *m, struct kvm_guest_debug *dbg)
{
	struct debug_state *d = &m->debug;
	bool taken[DEBUG_MAX_SW_BP] = { false };

	if (d->nsw == 0 || debug_host_hw_exec(d) != HOST_YES)
		return;
	for (unsigned slot = 0; slot < DEBUG_NUM_HW; slot++) {
		int best = -1;

		if (d->hw[slot].used)
			continue;
		for (unsigned i = 0; i < d->nsw; i++)
			if (!taken[i] && !d->sw[i].lifted &&
			    (best < 0 || backup_first(&d->sw[i], &d->sw[best])))
				best = (int)i;
		if (best < 0)
			return;
		taken[best] = true;
		d->backup[slot] = true;
		/* Debug registers compare linear addresses: gdb's. */
		d->backup_addr[slot] = d->sw[best].vaddr;
		dbg->arch.debugreg[slot] = d->sw[best].vaddr;
		dbg->arch.debugreg[7] |= DR7_LOCAL_ENABLE(slot) | DR7_RW_EXEC << DR7_RW_SHIFT(slot);
		dbg->control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
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
	/* KVM single-steps by setting TF, and a register write (KVM_SET_REGS)
	 * keeps TF only at the pc KVM_SET_GUEST_DEBUG last saw: after one (a
	 * breakpoint's rewind, a stepped HLT, an emulated INT, gdb's own) the
	 * next step would run on to the next exit on VT-x and AMD-V hosts
	 * (measured in the nested VM).  So a step after a write sets it again. */
	if (d->applied_valid && memcmp(&dbg, &d->applied, sizeof(dbg)) == 0 &&
	    (!d->single_step || d->applied_writes == vcpu_writes()))
		return 0;
	if (ioctl(m->kvm.vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg) < 0) {
		d->applied_valid = false;
		return -errno;
	}
	d->applied = dbg;
	d->applied_valid = true;
	d->applied_writes = vcpu_writes();
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
		.flags = (ro ? KVM_MEM_READONLY : 0) |
			 (m->debug.log_dirty && size ? KVM_MEM_LOG_DIRTY_PAGES : 0),
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)(m->mem.host + gpa),
	};

	if (ioctl(m->kvm.vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return -errno;
	if (slot <= DEBUG_MAX_SLOTS) {
		m->debug.slot_gpa[slot] = gpa;
		m->debug.slot_size[slot] = size;
	}
	return 0;
}

int debug_dirty_log(struct machine *m, bool on)
{
	struct debug_state *d = &m->debug;
	struct page_range ro[DEBUG_MAX_SLOTS];
	unsigned n = d->nro;

	d->log_dirty = on;
	if (d->nslots <= 1)	/* kvm.c's slot 0, or no debugger: all of RAM */
		return set_slot(m, 0, 0, m->mem.size, false);
	memcpy(ro, d->ro, n * sizeof(ro[0]));
	return register_slots(m, ro, n);
}

int debug_harvest_dirty(struct machine *m, uint64_t *map, uint64_t *scratch)
{
	const struct debug_state *d = &m->debug;
	unsigned n = d->nslots > 1 ? d->nslots : 1;

	for (unsigned i = 0; i < n; i++) {
		struct kvm_dirty_log log = { .slot = i, .dirty_bitmap = scratch };
		uint64_t first = d->nslots > 1 ? d->slot_gpa[i] / PAGE_SIZE_4K : 0;
		uint64_t pages = ((d->nslots > 1 ? d->slot_size[i] : m->mem.size) +
				  PAGE_SIZE_4K - 1) / PAGE_SIZE_4K;

		if (ioctl(m->kvm.vm_fd, KVM_GET_DIRTY_LOG, &log) < 0)
			return -errno;
		if (first % 64 == 0) {
			for (uint64_t w = 0; w < (pages + 63) / 64; w++)
				map[first / 64 + w] |= scratch[w];
			continue;
		}
		for (uint64_t w = 0; w < (pages + 63) / 64; w++)
			for (uint64_t bits = scratch[w]; bits; bits &= bits - 1) {
				uint64_t page = first + w * 64 + (uint64_t)__builtin_ctzll(bits);

				map[page / 64] |= 1ULL << (page % 64);
			}
	}
	return 0;
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
 * rebuilding the slots twice per hit would cost more than the step.  Not
 * while recording: continue is then made of steps, and a deleted
 * watchpoint's page would stay read-only for good (where an instruction
 * that stores more than once keeps only its last store: docs/gdb.md).
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
	    !(stepping && !m->rec.on && ranges_within(want, (unsigned)n, d->ro, d->nro))) {
		int err = register_slots(m, want, (unsigned)n);

		if (err)
			return err;
	}
	if (!stepping || same_ranges(want, (unsigned)n, d->ro, d->nro))
		d->ro_dirty = false;
	return 0;
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

/* Another breakpoint planted at the same physical byte (two linear
 * addresses mapping one page), other than skip. */
static struct sw_breakpoint *sharing(struct debug_state *d, uint64_t phys,
				     const struct sw_breakpoint *skip)
{
	for (unsigned i = 0; i < d->nsw; i++)
		if (&d->sw[i] != skip && d->sw[i].addr == phys)
			return &d->sw[i];
	return NULL;
}

/* Plant bp's HLT at phys (in RAM), keeping the guest's byte under it. */
static void plant_at(struct machine *m, struct sw_breakpoint *bp, uint64_t phys)
{
	struct debug_state *d = &m->debug;
	const struct sw_breakpoint *twin = sharing(d, phys, bp);

	bp->addr = phys;
	bp->pending = false;
	bp->lifted = false;
	if (twin) {	/* its trap is there already: take the guest's byte from it */
		bp->orig = twin->orig;
		bp->ctx = twin->ctx;
		bp->int3 = twin->int3;
		return;
	}
	/* A HLT copied here from another breakpoint is that one's byte. */
	trap_copies_repair(d, &m->mem, phys, 1);
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
		debug_unplant(m, bp);
	/* Copies of it made while it was planted are still recognised. */
	if (!bp->pending && !bp->int3)
		trap_context_retire(d, &bp->ctx);
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

/* A new software breakpoint at linear vaddr, planted at phys. */
static int add_sw(struct machine *m, uint64_t vaddr, uint64_t phys, bool int3)
{
	struct debug_state *d = &m->debug;
	struct sw_breakpoint *bp;

	if (d->nsw == DEBUG_MAX_SW_BP)
		return -ENOSPC;
	bp = &d->sw[d->nsw];
	*bp = (struct sw_breakpoint){ .vaddr = vaddr, .int3 = int3 };
	bp->seq = ++d->sw_seq;
	d->nsw++;
	plant_at(m, bp, phys);
	return 0;
}

static int insert_sw(struct machine *m, const struct paging_state *st, uint64_t vaddr)
{
	struct debug_state *d = &m->debug;
	struct paging_rights rights = { 1, 1, 0 };
	uint64_t phys = vaddr, room;
	bool user = false;

	if (debug_sw_at_vaddr(d, vaddr))
		return 0;	/* gdb may insert the same one twice */
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++)
		if (debug_hw_is_sw(d, i) && d->hw[i].addr == vaddr)
			return 0;
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
		if (debug_host_int3(d) != HOST_YES)
			return -EOPNOTSUPP;
		user = true;
	}
	return add_sw(m, vaddr, phys, user);
}

int debug_insert_hlt(struct machine *m, uint64_t vaddr, uint64_t phys)
{
	if (debug_sw_at_vaddr(&m->debug, vaddr))
		return -EEXIST;
	if (!mem_range_ok(&m->mem, phys, 1))
		return -EFAULT;
	return add_sw(m, vaddr, phys, false);
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
	unplant_from(m, bp);
	*bp = d->sw[--d->nsw];
	return 0;
}

void debug_retranslate(struct machine *m, const struct paging_state *st)
{
	struct debug_state *d = &m->debug;

	if (!st || paging_mode(st) == PAGING_OFF)
		return;
	for (unsigned i = 0; i < d->nsw; i++) {
		struct sw_breakpoint *bp = &d->sw[i];
		uint64_t phys, room;

		if (bp->lifted || vaddr_translate(&m->mem, st, bp->vaddr, &phys, &room, NULL) < 0 ||
		    phys == bp->addr || !mem_range_ok(&m->mem, phys, 1))
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

	while (d->nsw)
		remove_sw(m, d->sw[0].vaddr);
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++)
		d->hw[i].used = false;
	d->nww = 0;
	d->ro_dirty = true;
	d->single_step = false;
	d->step_over = false;
	debug_apply(m);
}
