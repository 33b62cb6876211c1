/*
 * debug_table.c - the software-breakpoint table and its indexes (see
 * debug_table.h).
 */
#include "debug_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SHIFT 12
#define NONE 0u
#define SHORT_RANGE 64u		/* bytes: looked up one by one */

static struct sw_breakpoint *entry(const struct sw_table *t, uint32_t link)
{
	uint32_t i = link - 1;

	return link == NONE ? NULL : &t->chunk[i / SW_CHUNK][i % SW_CHUNK];
}

static uint32_t link_of(const struct sw_breakpoint *bp)
{
	return bp ? bp->index + 1 : NONE;
}

/* A 64-bit mix (splitmix64's finaliser): addresses are anything but random. */
static uint32_t bucket(const struct sw_table *t, uint64_t key)
{
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9ULL;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebULL;
	key ^= key >> 31;
	return (uint32_t)key & (t->nbuckets - 1);
}

static uint64_t vaddr_key(uint64_t vaddr, bool fixed)
{
	return vaddr ^ (fixed ? 0x8000000000000001ULL : 0);
}

/* ---- the three hash chains, each through its own pair of links ---- */

enum chain { CHAIN_PHYS, CHAIN_VADDR, CHAIN_PAGE };

static uint32_t *heads(const struct sw_table *t, enum chain c)
{
	return c == CHAIN_PHYS ? t->phys_head : c == CHAIN_VADDR ? t->vaddr_head : t->page_head;
}

static uint32_t *prev_of(struct sw_breakpoint *bp, enum chain c)
{
	return c == CHAIN_PHYS ? &bp->link.phys_prev :
	       c == CHAIN_VADDR ? &bp->link.vaddr_prev : &bp->link.page_prev;
}

static uint32_t *next_of(struct sw_breakpoint *bp, enum chain c)
{
	return c == CHAIN_PHYS ? &bp->link.phys_next :
	       c == CHAIN_VADDR ? &bp->link.vaddr_next : &bp->link.page_next;
}

static uint64_t key_of(const struct sw_breakpoint *bp, enum chain c)
{
	return c == CHAIN_PHYS ? bp->addr :
	       c == CHAIN_VADDR ? vaddr_key(bp->vaddr, bp->fixed) : bp->addr >> PAGE_SHIFT;
}

static void chain_link(struct sw_table *t, struct sw_breakpoint *bp, enum chain c)
{
	uint32_t *head = &heads(t, c)[bucket(t, key_of(bp, c))];
	struct sw_breakpoint *first = entry(t, *head);

	*prev_of(bp, c) = NONE;
	*next_of(bp, c) = *head;
	if (first)
		*prev_of(first, c) = link_of(bp);
	*head = link_of(bp);
}

static void chain_unlink(struct sw_table *t, struct sw_breakpoint *bp, enum chain c)
{
	struct sw_breakpoint *prev = entry(t, *prev_of(bp, c));
	struct sw_breakpoint *next = entry(t, *next_of(bp, c));

	if (prev)
		*next_of(prev, c) = *next_of(bp, c);
	else
		heads(t, c)[bucket(t, key_of(bp, c))] = *next_of(bp, c);
	if (next)
		*prev_of(next, c) = *prev_of(bp, c);
	*prev_of(bp, c) = *next_of(bp, c) = NONE;
}

static void link_all_chains(struct sw_table *t, struct sw_breakpoint *bp)
{
	chain_link(t, bp, CHAIN_PHYS);
	chain_link(t, bp, CHAIN_VADDR);
	chain_link(t, bp, CHAIN_PAGE);
}

/* ---- gdb's list, oldest to newest ---- */

static void gdb_link(struct sw_table *t, struct sw_breakpoint *bp)
{
	struct sw_breakpoint *newest = entry(t, t->gdb_newest);

	bp->link.gdb_prev = t->gdb_newest;
	bp->link.gdb_next = NONE;
	if (newest)
		newest->link.gdb_next = link_of(bp);
	else
		t->gdb_oldest = link_of(bp);
	t->gdb_newest = link_of(bp);
	t->ngdb++;
}

static void gdb_unlink(struct sw_table *t, struct sw_breakpoint *bp)
{
	struct sw_breakpoint *prev = entry(t, bp->link.gdb_prev);
	struct sw_breakpoint *next = entry(t, bp->link.gdb_next);

	if (prev)
		prev->link.gdb_next = bp->link.gdb_next;
	else
		t->gdb_oldest = bp->link.gdb_next;
	if (next)
		next->link.gdb_prev = bp->link.gdb_prev;
	else
		t->gdb_newest = bp->link.gdb_prev;
	bp->link.gdb_prev = bp->link.gdb_next = NONE;
	t->ngdb--;
}

/* ---- linear-page groups (entries not fixed) ---- */

static uint32_t vg_bucket(const struct sw_table *t, uint64_t vpage)
{
	uint64_t k = vpage * 0x9e3779b97f4a7c15ULL;

	return (uint32_t)(k >> 32) & (t->vg_nbuckets - 1);
}

static struct sw_vgroup *group_of(const struct sw_table *t, uint64_t vpage)
{
	if (!t->vg_nbuckets)
		return NULL;
	for (uint32_t g = t->vg_head[vg_bucket(t, vpage)]; g != NONE; g = t->vg[g - 1].hnext)
		if (t->vg[g - 1].vpage == vpage)
			return &t->vg[g - 1];
	return NULL;
}

static void vg_hash_link(struct sw_table *t, uint32_t i)
{
	uint32_t *head = &t->vg_head[vg_bucket(t, t->vg[i].vpage)];

	t->vg[i].hnext = *head;
	*head = i + 1;
}

static void vg_hash_unlink(struct sw_table *t, uint32_t i)
{
	uint32_t *at = &t->vg_head[vg_bucket(t, t->vg[i].vpage)];

	while (*at != i + 1)
		at = &t->vg[*at - 1].hnext;
	*at = t->vg[i].hnext;
}

/* Room for one more group: 0 or -ENOMEM. */
static int vg_reserve(struct sw_table *t)
{
	if (t->nvg == t->vgcap) {
		uint32_t cap = t->vgcap ? t->vgcap * 2 : 64;
		struct sw_vgroup *vg = realloc(t->vg, cap * sizeof(*vg));

		if (!vg)
			return -ENOMEM;
		t->vg = vg;
		t->vgcap = cap;
	}
	if (t->nvg + 1 > t->vg_nbuckets) {
		uint32_t n = t->vg_nbuckets ? t->vg_nbuckets * 2 : 64;
		uint32_t *h = calloc(n, sizeof(*h));

		if (!h)
			return -ENOMEM;
		free(t->vg_head);
		t->vg_head = h;
		t->vg_nbuckets = n;
		for (uint32_t i = 0; i < t->nvg; i++)
			vg_hash_link(t, i);
	}
	return 0;
}

static uint64_t vpage_of(const struct sw_breakpoint *bp)
{
	return bp->vaddr & ~(uint64_t)((1u << PAGE_SHIFT) - 1);
}

/* bp joins its page's group (vg_reserve has made room). */
static void group_join(struct sw_table *t, struct sw_breakpoint *bp)
{
	struct sw_vgroup *g = group_of(t, vpage_of(bp));
	struct sw_breakpoint *first;

	if (!g) {
		g = &t->vg[t->nvg];
		*g = (struct sw_vgroup){ .vpage = vpage_of(bp) };
		vg_hash_link(t, t->nvg++);
	}
	first = entry(t, g->head);
	bp->link.vg_prev = NONE;
	bp->link.vg_next = g->head;
	if (first)
		first->link.vg_prev = link_of(bp);
	g->head = link_of(bp);
	g->count++;
	g->settled = false;
}

static void group_leave(struct sw_table *t, struct sw_breakpoint *bp)
{
	struct sw_vgroup *g = group_of(t, vpage_of(bp));
	struct sw_breakpoint *prev = entry(t, bp->link.vg_prev);
	struct sw_breakpoint *next = entry(t, bp->link.vg_next);
	uint32_t i, last;

	if (prev)
		prev->link.vg_next = bp->link.vg_next;
	else
		g->head = bp->link.vg_next;
	if (next)
		next->link.vg_prev = bp->link.vg_prev;
	bp->link.vg_prev = bp->link.vg_next = NONE;
	if (--g->count)
		return;
	/* The page's last entry: the last group takes its place. */
	i = (uint32_t)(g - t->vg);
	last = t->nvg - 1;
	vg_hash_unlink(t, i);
	if (i != last) {
		vg_hash_unlink(t, last);
		t->vg[i] = t->vg[last];
		vg_hash_link(t, i);
	}
	t->nvg--;
}

struct sw_breakpoint *sw_group_next(const struct sw_table *t, const struct sw_vgroup *g,
				    const struct sw_breakpoint *bp)
{
	return entry(t, bp ? bp->link.vg_next : g->head);
}

/* ---- growth ---- */

/* Buckets for at least want entries (load factor at most 1), rehashed. */
static int grow_buckets(struct sw_table *t, uint32_t want)
{
	uint32_t n = t->nbuckets ? t->nbuckets : 64;
	uint32_t *p, *v, *g;

	while (n < want)
		n *= 2;
	if (n == t->nbuckets)
		return 0;
	p = calloc(n, sizeof(*p));
	v = calloc(n, sizeof(*v));
	g = calloc(n, sizeof(*g));
	if (!p || !v || !g) {
		free(p);
		free(v);
		free(g);
		return -ENOMEM;
	}
	free(t->phys_head);
	free(t->vaddr_head);
	free(t->page_head);
	t->phys_head = p;
	t->vaddr_head = v;
	t->page_head = g;
	t->nbuckets = n;
	for (struct sw_breakpoint *bp = sw_table_next(t, NULL); bp; bp = sw_table_next(t, bp))
		link_all_chains(t, bp);
	return 0;
}

/* One more chunk of free slots. */
static int grow_chunks(struct sw_table *t)
{
	struct sw_breakpoint *c;

	if (t->nchunks == DEBUG_MAX_SW_BP / SW_CHUNK)
		return -ENOSPC;
	c = calloc(SW_CHUNK, sizeof(*c));
	if (!c)
		return -ENOMEM;
	t->chunk[t->nchunks] = c;
	/* Free slots linked in index order, the lowest first. */
	for (uint32_t i = SW_CHUNK; i-- > 0;) {
		c[i].index = t->nchunks * SW_CHUNK + i;
		c[i].link.phys_next = t->free_head;
		t->free_head = c[i].index + 1;
	}
	t->nchunks++;
	return 0;
}

struct sw_breakpoint *sw_table_add(struct sw_table *t, uint64_t vaddr, bool fixed, uint64_t phys,
				   int *err)
{
	struct sw_breakpoint *bp;
	uint32_t index;

	*err = 0;
	if (t->count == DEBUG_MAX_SW_BP) {
		*err = -ENOSPC;
		return NULL;
	}
	if (t->free_head == NONE)
		*err = grow_chunks(t);
	if (!*err && t->count + 1 > t->nbuckets)
		*err = grow_buckets(t, t->count + 1);
	if (!*err && !fixed)
		*err = vg_reserve(t);
	if (*err)
		return NULL;
	bp = entry(t, t->free_head);
	t->free_head = bp->link.phys_next;
	index = bp->index;
	*bp = (struct sw_breakpoint){ .addr = phys, .vaddr = vaddr, .fixed = fixed, .used = true,
				      .index = index };
	link_all_chains(t, bp);
	if (!fixed)
		group_join(t, bp);
	t->count++;
	return bp;
}

void sw_table_remove(struct sw_table *t, struct sw_breakpoint *bp)
{
	uint32_t index = bp->index;

	chain_unlink(t, bp, CHAIN_PHYS);
	chain_unlink(t, bp, CHAIN_VADDR);
	chain_unlink(t, bp, CHAIN_PAGE);
	if (!bp->fixed)
		group_leave(t, bp);
	if (bp->owners & DEBUG_OWNER_GDB)
		gdb_unlink(t, bp);
	if (bp->int3)
		t->nint3--;
	*bp = (struct sw_breakpoint){ .index = index };
	bp->link.phys_next = t->free_head;
	t->free_head = index + 1;
	if (--t->count == 0)
		sw_table_free(t);
}

void sw_table_free(struct sw_table *t)
{
	for (uint32_t i = 0; i < t->nchunks; i++)
		free(t->chunk[i]);
	free(t->phys_head);
	free(t->vaddr_head);
	free(t->page_head);
	free(t->vg);
	free(t->vg_head);
	memset(t, 0, sizeof(*t));
}

void sw_table_set_phys(struct sw_table *t, struct sw_breakpoint *bp, uint64_t phys)
{
	if (bp->addr == phys)
		return;
	chain_unlink(t, bp, CHAIN_PHYS);
	chain_unlink(t, bp, CHAIN_PAGE);
	bp->addr = phys;
	chain_link(t, bp, CHAIN_PHYS);
	chain_link(t, bp, CHAIN_PAGE);
	if (!bp->fixed)
		group_of(t, vpage_of(bp))->settled = false;
}

void sw_table_set_owners(struct sw_table *t, struct sw_breakpoint *bp, uint8_t owners)
{
	bool was = bp->owners & DEBUG_OWNER_GDB, now = owners & DEBUG_OWNER_GDB;

	bp->owners = owners;
	if (now && !was)
		gdb_link(t, bp);
	else if (was && !now)
		gdb_unlink(t, bp);
}

/* ---- lookups ---- */

struct sw_breakpoint *sw_table_at_vaddr(const struct sw_table *t, uint64_t vaddr, bool fixed)
{
	struct sw_breakpoint *bp;

	if (t->count == 0)
		return NULL;
	for (bp = entry(t, t->vaddr_head[bucket(t, vaddr_key(vaddr, fixed))]); bp;
	     bp = entry(t, bp->link.vaddr_next))
		if (bp->vaddr == vaddr && bp->fixed == fixed)
			return bp;
	return NULL;
}

static struct sw_breakpoint *phys_from(const struct sw_table *t, struct sw_breakpoint *bp,
				       uint64_t phys)
{
	while (bp && bp->addr != phys)
		bp = entry(t, bp->link.phys_next);
	return bp;
}

struct sw_breakpoint *sw_table_at_phys(const struct sw_table *t, uint64_t phys)
{
	if (t->count == 0)
		return NULL;
	return phys_from(t, entry(t, t->phys_head[bucket(t, phys)]), phys);
}

struct sw_breakpoint *sw_table_next_at_phys(const struct sw_table *t,
					    const struct sw_breakpoint *bp)
{
	return phys_from(t, entry(t, bp->link.phys_next), bp->addr);
}

struct sw_breakpoint *sw_table_next(const struct sw_table *t, const struct sw_breakpoint *bp)
{
	uint32_t total = t->nchunks * SW_CHUNK;

	for (uint32_t i = bp ? bp->index + 1 : 0; i < total; i++) {
		struct sw_breakpoint *e = &t->chunk[i / SW_CHUNK][i % SW_CHUNK];

		if (e->used)
			return e;
	}
	return NULL;
}

struct sw_breakpoint *sw_table_gdb_older(const struct sw_table *t, const struct sw_breakpoint *bp)
{
	return entry(t, bp ? bp->link.gdb_prev : t->gdb_newest);
}

/* ---- ranges ---- */

static bool in_range(const struct sw_range *it, const struct sw_breakpoint *bp)
{
	return bp->addr >= it->lo && bp->addr <= it->hi;
}

struct sw_breakpoint *sw_range_first(struct sw_range *it, const struct sw_table *t,
				     uint64_t addr, uint64_t len)
{
	*it = (struct sw_range){ .t = t, .lo = addr };
	if (t->count == 0 || len == 0)
		return NULL;
	it->hi = len - 1 > UINT64_MAX - addr ? UINT64_MAX : addr + (len - 1);
	it->page = it->lo >> PAGE_SHIFT;
	it->last_page = it->hi >> PAGE_SHIFT;
	/* A range of more pages than there are entries: the table is the
	 * shorter walk. */
	it->bytes = it->hi - it->lo < SHORT_RANGE;
	it->scan = !it->bytes && it->last_page - it->page >= t->count;
	if (it->bytes) {
		it->at = it->lo;
		it->next = t->phys_head[bucket(t, it->at)];
	} else if (it->scan) {
		it->next = 0;
	} else {
		it->next = t->page_head[bucket(t, it->page)];
	}
	return sw_range_next(it);
}

static struct sw_breakpoint *next_byte(struct sw_range *it)
{
	const struct sw_table *t = it->t;

	for (;;) {
		struct sw_breakpoint *bp = entry(t, it->next);

		if (!bp) {
			if (it->at == it->hi)
				return NULL;
			it->at++;
			it->next = t->phys_head[bucket(t, it->at)];
			continue;
		}
		it->next = bp->link.phys_next;
		if (bp->addr == it->at)
			return bp;
	}
}

struct sw_breakpoint *sw_range_next(struct sw_range *it)
{
	const struct sw_table *t = it->t;

	/* The walker removed the last entry (debug_replant of one coverage
	 * let go of): the table's memory is gone. */
	if (t->count == 0)
		return NULL;
	if (it->bytes)
		return next_byte(it);
	if (it->scan) {
		uint32_t total = t->nchunks * SW_CHUNK;

		while (it->next < total) {
			struct sw_breakpoint *e = &t->chunk[it->next / SW_CHUNK][it->next % SW_CHUNK];

			it->next++;
			if (e->used && in_range(it, e))
				return e;
		}
		return NULL;
	}
	for (;;) {
		struct sw_breakpoint *bp = entry(t, it->next);

		if (!bp) {
			if (it->page == it->last_page)
				return NULL;
			it->page++;
			it->next = t->page_head[bucket(t, it->page)];
			continue;
		}
		it->next = bp->link.page_next;
		/* The bucket holds other pages too. */
		if ((bp->addr >> PAGE_SHIFT) == it->page && in_range(it, bp))
			return bp;
	}
}
