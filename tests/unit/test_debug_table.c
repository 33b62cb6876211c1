/* test_debug_table.c - tests the software-breakpoint table (vmm/debug_table.c)
 * against a naive model under random operations, at 100,000 entries and
 * at its limit; and the owners of a trap (gdb, coverage) through debug.c's
 * interface on guest RAM without KVM, with coverage's hook. */
#include "debug.h"
#include "debug_table.h"
#include "machine.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the table against a model ---- */

struct model_entry {
	uint64_t vaddr, phys;
	bool fixed, gdb;
	uint64_t order;		/* when it became gdb's */
	struct sw_breakpoint *bp;
};

struct model {
	struct model_entry *e;
	unsigned n, cap;
	uint64_t clock;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible, the seed is printed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static int model_find(const struct model *md, uint64_t vaddr, bool fixed)
{
	for (unsigned i = 0; i < md->n; i++)
		if (md->e[i].vaddr == vaddr && md->e[i].fixed == fixed)
			return (int)i;
	return -1;
}

/* Does the table's answer for phys hold exactly the model's entries there? */
static bool same_at_phys(const struct sw_table *t, const struct model *md, uint64_t phys)
{
	unsigned want = 0, got = 0;

	for (unsigned i = 0; i < md->n; i++)
		want += md->e[i].phys == phys;
	for (const struct sw_breakpoint *bp = sw_table_at_phys(t, phys); bp;
	     bp = sw_table_next_at_phys(t, bp)) {
		int i = model_find(md, bp->vaddr, bp->fixed);

		if (bp->addr != phys || i < 0 || md->e[i].bp != bp || md->e[i].phys != phys)
			return false;
		got++;
	}
	return got == want;
}

/* Does a range walk give each of the model's entries in it once? */
static bool same_in_range(const struct sw_table *t, const struct model *md, uint64_t addr,
			  uint64_t len)
{
	unsigned want = 0, got = 0;
	struct sw_range it;

	for (unsigned i = 0; i < md->n; i++)
		want += md->e[i].phys >= addr && md->e[i].phys - addr < len;
	for (const struct sw_breakpoint *bp = sw_range_first(&it, t, addr, len); bp;
	     bp = sw_range_next(&it)) {
		if (bp->addr < addr || bp->addr - addr >= len)
			return false;
		got++;
	}
	return got == want;
}

/* gdb's list, newest first, is the model's gdb entries by order. */
static bool same_gdb_list(const struct sw_table *t, const struct model *md)
{
	uint64_t last = UINT64_MAX;
	unsigned got = 0, want = 0;

	for (unsigned i = 0; i < md->n; i++)
		want += md->e[i].gdb;
	for (const struct sw_breakpoint *bp = sw_table_gdb_older(t, NULL); bp;
	     bp = sw_table_gdb_older(t, bp)) {
		int i = model_find(md, bp->vaddr, bp->fixed);

		if (i < 0 || !md->e[i].gdb || md->e[i].order >= last)
			return false;
		last = md->e[i].order;
		got++;
	}
	return got == want && t->ngdb == want;
}

/* The linear-page groups: one per page of the model's entries that are not
 * fixed, each walking exactly the entries on its page. */
static bool same_groups(const struct sw_table *t, const struct model *md)
{
	unsigned pages = 0;

	for (unsigned i = 0; i < md->n; i++) {
		bool first = !md->e[i].fixed;

		for (unsigned j = 0; j < i && first; j++)
			first = md->e[j].fixed || md->e[j].vaddr >> 12 != md->e[i].vaddr >> 12;
		pages += first;
	}
	if (t->nvg != pages)
		return false;
	for (uint32_t g = 0; g < t->nvg; g++) {
		unsigned want = 0, got = 0;

		for (unsigned i = 0; i < md->n; i++)
			want += !md->e[i].fixed && md->e[i].vaddr >> 12 << 12 == t->vg[g].vpage;
		for (const struct sw_breakpoint *bp = sw_group_next(t, &t->vg[g], NULL); bp;
		     bp = sw_group_next(t, &t->vg[g], bp)) {
			if (bp->fixed || (bp->vaddr & ~0xfffull) != t->vg[g].vpage)
				return false;
			got++;
		}
		if (got != want || t->vg[g].count != want)
			return false;
	}
	return true;
}

static void model_add(struct model *md, struct model_entry e)
{
	if (md->n == md->cap) {
		md->cap = md->cap ? md->cap * 2 : 1024;
		md->e = realloc(md->e, md->cap * sizeof(md->e[0]));
	}
	md->e[md->n++] = e;
}

static void set_gdb(struct sw_table *t, struct model *md, unsigned i, bool gdb)
{
	struct model_entry *e = &md->e[i];

	sw_table_set_owners(t, e->bp, gdb ? DEBUG_OWNER_GDB : DEBUG_OWNER_COVERAGE);
	if (gdb && !e->gdb)
		e->order = ++md->clock;
	e->gdb = gdb;
}

/* Random adds, removals, moves and owner changes in a small address space
 * (so that physical addresses are shared and buckets collide), every step
 * checked against the model. */
static void test_random_small(void)
{
	struct sw_table t = { 0 };
	struct model md = { 0 };
	unsigned bad = 0, ops = 20000;

	for (unsigned op = 0; op < ops && bad < 5; op++) {
		unsigned r = (unsigned)(rnd() % 100);
		uint64_t vaddr = rnd() % 3000 * 5, phys = 0x1000 + rnd() % 0x3000;
		bool fixed = rnd() % 4 == 0;

		if (r < 45 && model_find(&md, vaddr, fixed) < 0) {
			int err;
			struct sw_breakpoint *bp = sw_table_add(&t, vaddr, fixed, phys, &err);

			if (!bp) {
				bad++;
				continue;
			}
			model_add(&md, (struct model_entry){ vaddr, phys, fixed, false, 0, bp });
			set_gdb(&t, &md, md.n - 1, rnd() % 2);
		} else if (r < 80 && md.n) {
			unsigned i = (unsigned)(rnd() % md.n);

			sw_table_remove(&t, md.e[i].bp);
			md.e[i] = md.e[--md.n];
		} else if (r < 90 && md.n) {
			unsigned i = (unsigned)(rnd() % md.n);

			sw_table_set_phys(&t, md.e[i].bp, phys);
			md.e[i].phys = phys;
		} else if (md.n) {
			set_gdb(&t, &md, (unsigned)(rnd() % md.n), rnd() % 2);
		}
		/* One lookup of each kind against the model. */
		{
			int i = model_find(&md, vaddr, fixed);
			const struct sw_breakpoint *bp = sw_table_at_vaddr(&t, vaddr, fixed);
			uint64_t lo = 0x1000 + rnd() % 0x3000;

			if ((i < 0 ? NULL : md.e[i].bp) != bp || !same_at_phys(&t, &md, phys) ||
			    !same_in_range(&t, &md, lo, rnd() % 0x2000) || t.count != md.n)
				bad++;
		}
		if (op % 1000 == 0 && !same_gdb_list(&t, &md))
			bad++;
		if (op % 100 == 0 && !same_groups(&t, &md))
			bad++;
	}
	CHECK_INT(bad, 0, "%u random operations on up to ~1,500 entries agree with a naive model",
		  ops);
	CHECK(same_gdb_list(&t, &md), "gdb's entries, newest first, as the model has them");
	CHECK(same_groups(&t, &md), "one group per linear page, each with its entries");
	while (md.n) {
		sw_table_remove(&t, md.e[md.n - 1].bp);
		md.n--;
	}
	CHECK(t.nchunks == 0 && t.nbuckets == 0 && t.count == 0,
	      "the last removal gives the memory back");
	free(md.e);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* 100,000 entries: every one found by both addresses, ranges agree, and a
 * lookup's cost (printed) does not depend on how many there are. */
static void test_large(void)
{
	enum { N = 100000 };
	struct sw_table t = { 0 };
	struct model md = { 0 };
	unsigned bad = 0, lookups = 0;
	double t0, t1;
	volatile uintptr_t sink = 0;

	for (unsigned i = 0; i < N; i++) {
		/* Distinct linear addresses, physical ones spread over 64 MiB
		 * (some shared). */
		uint64_t vaddr = 0x400000 + (uint64_t)i * 7, phys = rnd() % (64u << 20);
		int err;
		struct sw_breakpoint *bp = sw_table_add(&t, vaddr, false, phys, &err);

		if (!bp) {
			bad++;
			break;
		}
		model_add(&md, (struct model_entry){ vaddr, phys, false, false, 0, bp });
		if (i % 100 == 0)
			set_gdb(&t, &md, md.n - 1, true);
	}
	CHECK_INT(t.count, N, "100,000 entries go in");
	CHECK_INT(bad, 0, "... with no error");
	for (unsigned i = 0; i < md.n; i++) {
		const struct sw_breakpoint *bp = sw_table_at_vaddr(&t, md.e[i].vaddr, false);
		bool found = false;

		for (const struct sw_breakpoint *p = sw_table_at_phys(&t, md.e[i].phys); p;
		     p = sw_table_next_at_phys(&t, p))
			found |= p == md.e[i].bp;
		bad += bp != md.e[i].bp || !found;
	}
	CHECK_INT(bad, 0, "each is found by its linear and by its physical address");
	for (unsigned q = 0; q < 50; q++) {
		uint64_t lo = rnd() % (64u << 20);

		bad += !same_in_range(&t, &md, lo, q < 40 ? 4096 : rnd() % (8u << 20));
	}
	CHECK_INT(bad, 0, "pages and wide ranges walk exactly the entries in them");
	CHECK(same_gdb_list(&t, &md), "gdb's 1,000 of them in order");

	t0 = now_ns();
	for (unsigned r = 0; r < 10; r++)
		for (unsigned i = 0; i < md.n; i++, lookups++)
			sink += (uintptr_t)sw_table_at_phys(&t, md.e[i].phys);
	t1 = now_ns();
	printf("# lookup by physical address at %u entries: %.1f ns\n", N, (t1 - t0) / lookups);
	t0 = now_ns();
	for (const struct sw_breakpoint *bp = sw_table_next(&t, NULL); bp; bp = sw_table_next(&t, bp))
		sink += bp->addr;
	t1 = now_ns();
	/* What debug_retranslate's walk costs at least, per resume with paging on. */
	printf("# a walk over all %u entries: %.0f us\n", N, (t1 - t0) / 1e3);

	/* Remove every other one: the rest still found, the others not. */
	for (unsigned i = 0; i < md.n; i++) {
		sw_table_remove(&t, md.e[i].bp);
		md.e[i] = md.e[--md.n];
	}
	for (unsigned i = 0; i < md.n; i++)
		bad += sw_table_at_vaddr(&t, md.e[i].vaddr, false) != md.e[i].bp;
	bad += sw_table_at_vaddr(&t, 0x400000 + 7 * (uint64_t)(N + 5), false) != NULL;
	CHECK_INT(bad, 0, "after removing half, the rest are found and no other");
	CHECK_INT(t.count, md.n, "the count follows");
	CHECK(same_in_range(&t, &md, 0, UINT64_MAX), "a walk over everything sees each once");
	sw_table_free(&t);
	free(md.e);
	(void)sink;
}

/* The documented limit: DEBUG_MAX_SW_BP entries, then -ENOSPC. */
static void test_limit(void)
{
	struct sw_table t = { 0 };
	unsigned added = 0;
	int err = 0;

	while (sw_table_add(&t, added, false, added, &err))
		added++;
	CHECK_INT(added, DEBUG_MAX_SW_BP, "DEBUG_MAX_SW_BP entries fit");
	CHECK_ERR(err, -ENOSPC, "the next one: -ENOSPC");
	sw_table_remove(&t, sw_table_at_vaddr(&t, 5, false));
	CHECK(sw_table_add(&t, 1u << 30, false, 1u << 30, &err) != NULL,
	      "after a removal one fits again");
	CHECK(sw_table_at_vaddr(&t, 1u << 30, false) != NULL, "... and is found");
	sw_table_free(&t);
}

/* ---- owners, through debug.c ---- */

#define RAM (1024 * 1024)

static struct machine m;
static uint64_t hook_addr[16];
static bool hook_fixed[16];
static unsigned hook_calls;
static enum debug_cov_action hook_answer;

static enum debug_cov_action hook(void *ctx, uint64_t addr, bool fixed)
{
	(void)ctx;
	if (hook_calls < 16) {
		hook_addr[hook_calls] = addr;
		hook_fixed[hook_calls] = fixed;
	}
	hook_calls++;
	return hook_answer;
}

static uint8_t at(uint64_t a)
{
	return m.mem.host[a];
}

/* What a gdb memory read shows at a. */
static uint8_t shown(uint64_t a)
{
	uint8_t b = at(a);

	debug_unplant_copy(&m.debug, a, &b, 1);
	return b;
}

static void test_owners(void)
{
	struct sw_breakpoint *bp;

	tap_suite("debug table: gdb's and coverage's traps");
	if (!CHECK_ERR(mem_alloc(&m.mem, RAM), 0, "mem_alloc"))
		return;
	m.kvm.kvm_fd = m.kvm.vm_fd = m.kvm.vcpu_fd = -1;	/* no KVM: every ioctl fails */
	debug_init(&m.debug, NULL);
	m.debug.hw_exec = m.debug.hw_data = m.debug.sw_int3 = HOST_NO;
	debug_cov_set_hook(&m.debug, hook, NULL);
	for (unsigned a = 0x1000; a < 0x1100; a++)
		m.mem.host[a] = (uint8_t)(a * 7 + 1);	/* no HLT, no zeros */
	m.mem.host[0x1040] = 0x90;

	/* Both at one address: one trap. */
	CHECK_INT(debug_cov_plant(&m, NULL, 0x1040), 0, "coverage plants at 0x1040");
	CHECK_HEX(at(0x1040), HLT_OPCODE, "... a HLT");
	CHECK_INT(debug_insert(&m, NULL, DEBUG_SW_BP, 0x1040, 1), 0, "gdb inserts at 0x1040");
	CHECK_INT(m.debug.nsw, 1, "one entry for both");
	CHECK_HEX(shown(0x1040), 0x90, "gdb's reads show the guest's byte");
	CHECK_INT(debug_insert(&m, NULL, DEBUG_SW_BP, 0x1040, 1), 0, "gdb inserts it again: fine");
	hook_calls = 0;
	CHECK(debug_hlt_meaning(&m, 0x1040) == HLT_BREAKPOINT, "a HLT exit there is gdb's stop");
	CHECK_INT(hook_calls, 0, "... and coverage is not told (the step over it will)");
	CHECK_INT(debug_remove(&m, DEBUG_SW_BP, 0x1040, 1), 0, "gdb removes it");
	CHECK_HEX(at(0x1040), HLT_OPCODE, "coverage's trap stays");
	CHECK(debug_sw_at_vaddr(&m.debug, 0x1040) == NULL, "gdb no longer sees one there");
	CHECK_ERR(debug_remove(&m, DEBUG_SW_BP, 0x1040, 1), -ENOENT,
		  "gdb cannot remove coverage's trap");
	CHECK(debug_cov_planted(&m.debug, 0x1040, false), "coverage still has it");

	/* A HLT exit at a coverage-only trap: counted, lifted, no stop. */
	hook_calls = 0;
	hook_answer = DEBUG_COV_LIFT;
	CHECK(debug_hlt_meaning(&m, 0x1040) == HLT_COVERAGE, "a HLT exit at it is coverage's");
	CHECK_INT(hook_calls, 1, "the hook is told once");
	CHECK_HEX(hook_addr[0], 0x1040, "... of its address");
	CHECK_HEX(at(0x1040), 0x90, "lifted: the guest's byte is back");
	CHECK(!debug_cov_planted(&m.debug, 0x1040, false), "and it is gone");
	CHECK_INT(m.debug.nsw, 0, "the table is empty");

	/* gdb's first, then coverage's; a detach removes only gdb's. */
	CHECK_INT(debug_insert(&m, NULL, DEBUG_SW_BP, 0x1050, 1), 0, "gdb at 0x1050");
	CHECK_INT(debug_cov_plant(&m, NULL, 0x1050), 0, "coverage at 0x1050 too");
	CHECK_INT(debug_cov_plant(&m, NULL, 0x1060), 0, "coverage at 0x1060");
	CHECK_INT(debug_insert(&m, NULL, DEBUG_SW_BP, 0x1070, 1), 0, "gdb at 0x1070");
	debug_remove_all(&m);
	CHECK_HEX(at(0x1050), HLT_OPCODE, "after a detach coverage's trap at 0x1050 stays");
	CHECK_HEX(at(0x1060), HLT_OPCODE, "... and at 0x1060");
	CHECK_HEX(at(0x1070), (uint8_t)(0x1070 * 7 + 1), "gdb's own at 0x1070 is gone");
	CHECK_INT(m.debug.nsw, 2, "two entries left");

	/* A step over a coverage trap (gdb's stepi) runs its line. */
	hook_calls = 0;
	bp = debug_sw_at(&m.debug, 0x1060);
	debug_unplant(&m, bp);
	CHECK_INT(hook_calls, 1, "stepping over a coverage trap tells the hook");
	CHECK_HEX(at(0x1060), (uint8_t)(0x1060 * 7 + 1), "lifted for the step");
	debug_replant(&m, bp);
	CHECK_HEX(at(0x1060), (uint8_t)(0x1060 * 7 + 1), "after the step it stays lifted (LIFT)");
	CHECK(!debug_cov_planted(&m.debug, 0x1060, false), "and is gone");

	/* A physical coverage trap and gdb's at the same byte (paging off:
	 * linear == physical): two entries, one trap. */
	CHECK_INT(debug_cov_plant_phys(&m, 0x1080), 0, "coverage at physical 0x1080");
	CHECK_INT(debug_insert(&m, NULL, DEBUG_SW_BP, 0x1080, 1), 0, "gdb at linear 0x1080");
	CHECK_HEX(shown(0x1080), (uint8_t)(0x1080 * 7 + 1), "reads show the guest's byte");
	CHECK_INT(debug_remove(&m, DEBUG_SW_BP, 0x1080, 1), 0, "gdb removes its own");
	CHECK_HEX(at(0x1080), HLT_OPCODE, "coverage's trap is still planted");

	/* The guest writes over coverage traps: adopted, still planted (no
	 * dirty log here: every trap is looked at). */
	m.mem.host[0x1080] = 0x42;
	debug_adopt_guest_writes(&m);
	CHECK_HEX(at(0x1080), HLT_OPCODE, "a guest store over it: the trap is planted again");
	CHECK_HEX(shown(0x1080), 0x42, "... over the guest's new byte");
	{
		uint8_t b = 0x43;

		CHECK_INT(debug_write_memory(&m, 0x1080, &b, 1), 0, "gdb writes the byte");
		CHECK_HEX(shown(0x1080), 0x43, "... which reads back");
		CHECK_HEX(at(0x1080), HLT_OPCODE, "... under the trap");
	}

	/* KEEP (counts) on a host that cannot step: counted once, lifted. */
	hook_calls = 0;
	hook_answer = DEBUG_COV_KEEP;
	CHECK(debug_hlt_meaning(&m, 0x1080) == HLT_COVERAGE, "KEEP with no way to step over it");
	CHECK_INT(hook_calls, 1, "... told once");
	CHECK(hook_fixed[0], "... as a physical trap");
	CHECK_HEX(at(0x1080), 0x43, "... and lifted, so the guest goes on");
	CHECK(!m.debug.cov_stepping, "no step left armed");

	/* A HLT found to be the guest's own is remembered (an idle loop exits
	 * on it again and again), but not past a change that makes it a copy:
	 * a trap planted later on code whose bytes it sits among. */
	memcpy(m.mem.host + 0x3000, m.mem.host + 0x10a0, 32);
	m.mem.host[0x3008] = HLT_OPCODE;
	CHECK(debug_hlt_meaning(&m, 0x3008) == HLT_GUEST, "a HLT with no trap like it: the guest's");
	CHECK(debug_hlt_meaning(&m, 0x3008) == HLT_GUEST, "... again (remembered)");
	CHECK_INT(debug_insert(&m, NULL, DEBUG_SW_BP, 0x10a8, 1), 0,
		  "gdb plants a trap on the code it is a copy of");
	CHECK(debug_hlt_meaning(&m, 0x3008) == HLT_COPIED_TRAP, "now it is a copied trap");
	CHECK_HEX(at(0x3008), (uint8_t)(0x10a8 * 7 + 1), "... repaired with the trap's byte");
	CHECK_INT(debug_remove(&m, DEBUG_SW_BP, 0x10a8, 1), 0, "removed");

	debug_cov_lift_all(&m);
	CHECK_INT(m.debug.nsw, 0, "lift_all: coverage's go (the last, at 0x1050)");
	CHECK_HEX(at(0x1050), (uint8_t)(0x1050 * 7 + 1), "the guest's byte is back at 0x1050");
	debug_free(&m.debug);
	mem_free(&m.mem);
}

void test_debug_table(void)
{
	rng_state = 0x9e3779b97f4a7c15ULL ^ (uint64_t)time(NULL);
	tap_suite("debug table: against a naive model");
	printf("# seed %#llx\n", (unsigned long long)rng_state);
	test_random_small();
	test_large();
	test_limit();
	test_owners();
}
