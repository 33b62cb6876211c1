/*
 * debug_slots.c - guest RAM's memory slots under a debugger: read-only
 * ranges for write watchpoints (every guest store there exits as MMIO),
 * and KVM's dirty log on the read-write ones, the only owner of that log:
 * it tells adoption which pages the guest wrote (debug.h says why) and
 * the recorder which pages a step wrote (record.h), one harvest feeding
 * both.
 */
#include "debug.h"
#include "debug_internal.h"
#include "machine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define PAGE_SIZE_4K 4096ULL

/* ---- read-only memory slots: write watchpoints and planted breakpoints ---- */

/* Do the read-write slots keep KVM's dirty log?  While either consumer
 * wants it.  (A read-only slot needs none: a guest store there exits, and
 * gdbvm's own writes are noted for the recorder: memory.h.) */
static bool logging(const struct debug_state *d)
{
	return d->dirty_log == HOST_YES || d->rec_dirty;
}

static int set_slot(struct machine *m, unsigned slot, uint64_t gpa, uint64_t size, bool ro)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = ro ? KVM_MEM_READONLY : logging(&m->debug) ? KVM_MEM_LOG_DIRTY_PAGES : 0,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)(m->mem.host + gpa),
	};

	return ioctl(m->kvm.vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0 ? -errno : 0;
}

bool debug_host_readonly_mem(struct machine *m)
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

	/* Deleting a slot loses its dirty log: gather it first (for both
	 * consumers). */
	if (logging(d))
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
 * rebuilding the slots twice per hit would cost more than the step.  Not
 * while recording: continue is then made of steps, and a deleted
 * watchpoint's page would stay read-only for good (where an instruction
 * that stores more than once keeps only its last store: docs/gdb.md).
 */
int debug_sync_slots(struct machine *m, bool stepping)
{
	struct debug_state *d = &m->debug;
	struct page_range want[DEBUG_MAX_SLOTS];
	int n;

	if (!d->ro_dirty)
		return 0;
	if (!debug_host_readonly_mem(m)) {
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

void debug_dirty_free(struct debug_state *d)
{
	free(d->dirty);
	free(d->dirty_scratch);
	d->dirty = d->dirty_scratch = NULL;
	d->dirty_pages = 0;
}

/* The harvest's bitmap for one slot (any consumer's): 0 or -ENOMEM. */
static int need_scratch(struct machine *m)
{
	struct debug_state *d = &m->debug;
	uint64_t words;

	if (d->dirty_scratch)
		return 0;
	d->dirty_pages = (m->mem.size + DEBUG_PAGE_SIZE - 1) / DEBUG_PAGE_SIZE;
	words = (d->dirty_pages + 63) / 64;
	d->dirty_scratch = calloc(words ? words : 1, sizeof(uint64_t));
	return d->dirty_scratch ? 0 : -ENOMEM;
}

void debug_dirty_start(struct machine *m)
{
	struct debug_state *d = &m->debug;
	bool was = logging(d);	/* the recorder's: the slots log already */

	if (d->dirty_log != HOST_UNKNOWN)
		return;
	if (need_scratch(m) == 0)
		d->dirty = calloc((d->dirty_pages + 63) / 64 + 1, sizeof(uint64_t));
	d->dirty_log = HOST_YES;	/* what set_slot asks for */
	if (!d->dirty || (!was && each_rw_slot(m, log_slot) < 0)) {
		/* Back to plain slots (any that changed), and a full look at
		 * every trap after each run. */
		d->dirty_log = HOST_NO;
		if (!was)
			each_rw_slot(m, log_slot);
		free(d->dirty);
		d->dirty = NULL;
	}
}

int debug_dirty_log(struct machine *m, uint64_t *map)
{
	struct debug_state *d = &m->debug;
	bool was = logging(d);
	int err = map ? need_scratch(m) : 0;

	if (err)
		return err;
	d->rec_dirty = map;
	if (logging(d) == was)
		return 0;
	err = each_rw_slot(m, log_slot);
	if (err && map) {
		d->rec_dirty = NULL;
		each_rw_slot(m, log_slot);
	}
	return err;
}

/* OR the pages of bits (page first on) into set, below limit pages. */
static void or_pages(uint64_t *set, const uint64_t *bits, uint64_t first, uint64_t npages,
		     uint64_t limit)
{
	uint64_t words = (npages + 63) / 64;

	if (first % 64 == 0 && first + npages <= limit) {	/* KVM's bits past npages are 0 */
		for (uint64_t w = 0; w < words; w++)
			set[first / 64 + w] |= bits[w];
		return;
	}
	for (uint64_t w = 0; w < words; w++)
		for (uint64_t b = bits[w]; b; b &= b - 1) {
			uint64_t page = first + w * 64 + (uint64_t)__builtin_ctzll(b);

			if (page < limit)
				set[page / 64] |= 1ULL << (page % 64);
		}
}

/* One KVM_GET_DIRTY_LOG of the slot (pages from gpa on), which clears
 * KVM's bits: into every consumer's set. */
static int harvest_slot(struct machine *m, unsigned slot, uint64_t gpa, uint64_t size)
{
	struct debug_state *d = &m->debug;
	uint64_t npages = (size + DEBUG_PAGE_SIZE - 1) / DEBUG_PAGE_SIZE;
	uint64_t first = gpa / DEBUG_PAGE_SIZE;
	struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = d->dirty_scratch };

	memset(d->dirty_scratch, 0, (npages + 63) / 64 * sizeof(uint64_t));
	if (ioctl(m->kvm.vm_fd, KVM_GET_DIRTY_LOG, &log) < 0)
		return -errno;
	if (d->dirty)
		or_pages(d->dirty, d->dirty_scratch, first, npages, d->dirty_pages);
	if (d->rec_dirty)
		or_pages(d->rec_dirty, d->dirty_scratch, first, npages, d->dirty_pages);
	return 0;
}

int debug_dirty_harvest(struct machine *m)
{
	if (!logging(&m->debug) || !m->debug.dirty_scratch)
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
