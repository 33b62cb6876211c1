/* test_history.c - tests the execution history (vmm/history.c) against a
 * naive model that keeps the whole state after every step. */
#include "history.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NWORDS 57		/* kvm_regs + kvm_sregs, as record.c uses it */
#define RAM 4096
#define MAX_STEPS 3000

struct snap {
	uint64_t words[NWORDS];
	uint8_t ram[RAM];
};

/* The machine the history describes, and the model: snaps[s - base] is the
 * state after step s - 1 (before step s). */
struct world {
	struct history h;
	struct snap cur;
	struct snap *snaps;
	uint64_t base;
	unsigned seed;
};

static unsigned rnd(struct world *w)
{
	w->seed = w->seed * 1103515245u + 12345u;
	return (w->seed >> 8) & 0xffffff;
}

static void ram_write(void *ctx, uint64_t gpa, const uint8_t *bytes, uint32_t len)
{
	struct snap *s = ctx;

	if (gpa <= RAM && len <= RAM - gpa)
		memcpy(s->ram + gpa, bytes, len);
}

static void ram_big_write(void *ctx, uint64_t gpa, const uint8_t *bytes, uint32_t len)
{
	memcpy((uint8_t *)ctx + gpa, bytes, len);
}

static struct snap *model(struct world *w, uint64_t step)
{
	return &w->snaps[step - w->base];
}

/* One random step: a few words, a few (possibly overlapping) memory spans,
 * some input bytes, sometimes a vector. */
static int random_step(struct world *w)
{
	struct snap before = w->cur;
	unsigned nchg = rnd(w) % 4, nmem = rnd(w) % 4;
	int vector = rnd(w) % 5 == 0 ? (int)(rnd(w) % 256) : HISTORY_NO_VECTOR;
	uint8_t input[8];
	int err;

	for (unsigned i = 0; i < nchg; i++) {
		unsigned at = rnd(w) % NWORDS;

		/* Small values and huge ones (every varint length). */
		w->cur.words[at] = rnd(w) % 2 ? rnd(w) % 0x10000 : (uint64_t)rnd(w) << 40 | rnd(w);
	}
	err = history_begin(&w->h, before.words, w->cur.words, vector);
	if (err)
		return err;
	for (unsigned i = 0; i < nmem; i++) {
		uint32_t len = rnd(w) % 3 == 0 ? rnd(w) % 300 : rnd(w) % 4;
		uint64_t gpa = rnd(w) % (RAM - len + 1);
		uint8_t old[300], fresh[300];

		memcpy(old, w->cur.ram + gpa, len);
		for (uint32_t k = 0; k < len; k++)
			fresh[k] = (uint8_t)rnd(w);
		memcpy(w->cur.ram + gpa, fresh, len);
		history_add_mem(&w->h, gpa, old, fresh, len);
	}
	for (unsigned i = 0, n = rnd(w) % 3; i < n; i++) {
		input[i] = (uint8_t)rnd(w);
		history_add_input(&w->h, input, i + 1);
	}
	return history_commit(&w->h);
}

static bool same(const struct snap *a, const struct snap *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* Random appends, undos and redos; after each, the state must be the model's. */
static void test_random(void)
{
	struct world w = { .seed = 19 };
	unsigned bad = 0, ops = 0, undos = 0, redos = 0, branches = 0;
	struct history_stats st;

	w.snaps = calloc(MAX_STEPS + 1, sizeof(*w.snaps));
	if (!CHECK(w.snaps != NULL, "history: model allocated"))
		return;
	CHECK_ERR(history_init(&w.h, NWORDS, UINT64_MAX, 0), 0, "history_init");
	w.snaps[0] = w.cur;
	for (uint64_t step = 0; ops < 20000; ops++) {
		unsigned op = rnd(&w) % 10;
		struct history_tag tag;
		int err;

		history_stats(&w.h, &st);
		if (op < 4 && st.end < MAX_STEPS) {
			branches += st.pos < st.end;
			err = random_step(&w);
			bad += err != 0;
			step = st.pos + 1;
			*model(&w, step) = w.cur;
		} else if (op < 7) {
			err = history_undo(&w.h, w.cur.words, ram_write, &w.cur, &tag);
			bad += st.pos == st.first ? err != -ENOENT : err != 0;
			undos += !err;
			step = err ? st.pos : st.pos - 1;
		} else {
			err = history_redo(&w.h, w.cur.words, ram_write, &w.cur, &tag);
			bad += st.pos == st.end ? err != -ENOENT : err != 0;
			redos += !err;
			step = err ? st.pos : st.pos + 1;
		}
		history_stats(&w.h, &st);
		bad += st.pos != step || !same(&w.cur, model(&w, step));
	}
	CHECK_INT(bad, 0, "history: %u random appends/undos/redos match the model "
		  "(%u undos, %u redos, %u new timelines)", ops, undos, redos, branches);
	CHECK(undos > 1000 && redos > 1000 && branches > 100, "history: the mix exercised every move");
	/* All the way back, then all the way forward. */
	history_stats(&w.h, &st);
	bad = 0;
	while (history_undo(&w.h, w.cur.words, ram_write, &w.cur, NULL) == 0)
		;
	bad += !same(&w.cur, model(&w, 0));
	while (history_redo(&w.h, w.cur.words, ram_write, &w.cur, NULL) == 0)
		;
	bad += !same(&w.cur, model(&w, st.end));
	CHECK_INT(bad, 0, "history: undo to the start and redo to the end (%llu steps) are exact",
		  (unsigned long long)st.end);
	history_free(&w.h);
	free(w.snaps);
}

/* Peeking at the next step's kind, debugger-write steps, dropping the future. */
static void test_peek_and_future(void)
{
	struct history h;
	uint64_t s0[2] = { 1, 2 }, s1[2] = { 3, 2 }, s2[2] = { 3, 9 }, s[2];
	struct history_stats st;
	struct history_tag t;

	history_init(&h, 2, 1 << 20, 0);
	CHECK_ERR(history_peek(&h), -ENOENT, "history peek: empty at the end");
	CHECK_ERR(history_peek_back(&h), -ENOENT, "history peek back: empty at the start");
	history_begin(&h, s0, s1, 0x70);
	history_commit(&h);
	history_begin(&h, s1, s2, HISTORY_DEBUGGER_WRITE);
	history_commit(&h);
	CHECK_INT(history_peek_back(&h), HISTORY_DEBUGGER_WRITE, "history peek back: the write");
	memcpy(s, s2, sizeof(s));
	history_undo(&h, s, ram_write, NULL, &t);
	CHECK_INT(t.vector, HISTORY_DEBUGGER_WRITE, "history: a debugger write's tag");
	CHECK_INT(history_peek(&h), HISTORY_DEBUGGER_WRITE, "history peek: the write is next");
	CHECK_INT(history_peek_back(&h), 0x70, "history peek back: the vector");
	history_undo(&h, s, ram_write, NULL, &t);
	CHECK_INT(history_peek(&h), 0x70, "history peek: the first step");
	CHECK(s[0] == 1 && s[1] == 2, "history: both undone");
	history_drop_future(&h);
	history_stats(&h, &st);
	CHECK(st.steps == 0 && st.pos == 0 && st.end == 0, "history: the future dropped");
	CHECK_ERR(history_redo(&h, s, ram_write, NULL, &t), -ENOENT, "history: nothing to redo");
	history_free(&h);
}

/* What a step carries for replay comes back from undo and redo. */
static void test_tags(void)
{
	struct history h;
	uint64_t a[2] = { 1, 2 }, b[2] = { 1, 0x12345678 }, s[2];
	struct history_tag t;
	uint8_t in[3] = { 'x', 'y', 'z' };

	history_init(&h, 2, 1 << 20, 7);
	history_begin(&h, a, b, 0x21);
	history_add_input(&h, in, 2);
	history_add_input(&h, in + 2, 1);
	CHECK_ERR(history_commit(&h), 0, "history tags: commit");
	memcpy(s, b, sizeof(s));
	CHECK_ERR(history_undo(&h, s, ram_write, NULL, &t), 0, "history tags: undo");
	CHECK_INT(t.vector, 0x21, "history tags: the vector comes back");
	CHECK(t.ninput == 3 && !memcmp(t.input, "xyz", 3), "history tags: the input comes back");
	CHECK_HEX(t.changed[0], 2, "history tags: only word 1 changed");
	CHECK(s[0] == 1 && s[1] == 2, "history tags: undo gives the old words");
	CHECK_ERR(history_undo(&h, s, ram_write, NULL, &t), -ENOENT,
		  "history tags: undo at the start is -ENOENT");
	CHECK_ERR(history_redo(&h, s, ram_write, NULL, &t), 0, "history tags: redo");
	CHECK(s[1] == 0x12345678 && t.vector == 0x21, "history tags: redo gives the new words");
	CHECK_ERR(history_redo(&h, s, ram_write, NULL, &t), -ENOENT,
		  "history tags: redo at the end is -ENOENT");
	history_free(&h);
}

/* A small budget drops the oldest steps; the rest still undo exactly. */
static void test_budget(void)
{
	struct world w = { .seed = 7 };
	struct history_stats st;
	unsigned over = 0, bad = 0;

	w.snaps = calloc(MAX_STEPS + 1, sizeof(*w.snaps));
	if (!CHECK(w.snaps != NULL, "history budget: model allocated"))
		return;
	history_init(&w.h, NWORDS, 20000, 0);
	w.snaps[0] = w.cur;
	for (unsigned i = 0; i < 2000; i++) {
		bad += random_step(&w) != 0;
		w.snaps[i + 1] = w.cur;
		history_stats(&w.h, &st);
		over += st.bytes > st.budget;
	}
	history_stats(&w.h, &st);
	CHECK_INT(bad, 0, "history budget: every step fits");
	CHECK_INT(over, 0, "history budget: never above the budget");
	CHECK(st.first > 0 && st.dropped == st.first && st.end == 2000 && st.pos == 2000,
	      "history budget: the oldest steps were dropped (starts at %llu)",
	      (unsigned long long)st.first);
	CHECK(st.steps > 10, "history budget: recent steps kept (%llu)",
	      (unsigned long long)st.steps);
	while (history_undo(&w.h, w.cur.words, ram_write, &w.cur, NULL) == 0)
		;
	CHECK(same(&w.cur, &w.snaps[st.first]), "history budget: undo reaches the new start exactly");
	history_set_budget(&w.h, 0);
	history_stats(&w.h, &st);
	CHECK(st.steps == 0 && st.bytes == 0, "history budget: a budget of 0 empties the history");
	history_free(&w.h);
	free(w.snaps);
}

/* Sizes a caller (or a guest's rep movs) can make hostile. */
static void test_hostile(void)
{
	struct history h;
	uint64_t a[1] = { 0 }, b[1] = { 1 };
	uint8_t byte = 0;
	struct history_stats st;

	CHECK_ERR(history_init(&h, 0, 100, 0), -EINVAL, "history: 0 words refused");
	CHECK_ERR(history_init(&h, HISTORY_MAX_WORDS + 1, 100, 0), -EINVAL,
		  "history: too many words refused");
	history_init(&h, 1, 4096, 0);
	CHECK_ERR(history_begin(&h, a, b, 257), -EINVAL, "history: vector 257 refused");
	CHECK_ERR(history_begin(&h, a, b, -2), -EINVAL, "history: vector -2 refused");
	CHECK_ERR(history_commit(&h), -EINVAL, "history: commit without begin refused");

	history_begin(&h, a, b, HISTORY_NO_VECTOR);
	CHECK_ERR(history_commit(&h), 0, "history: a small step fits");
	/* The bytes behind a too-large length are never read (ASan would say). */
	history_begin(&h, a, b, HISTORY_NO_VECTOR);
	history_add_mem(&h, 0, &byte, &byte, UINT32_MAX);
	CHECK_ERR(history_commit(&h), -E2BIG, "history: a step larger than the budget is -E2BIG");
	history_stats(&h, &st);
	CHECK(st.steps == 0 && st.first == 2 && st.pos == 2,
	      "history: after -E2BIG the history is empty and starts after the step");
	history_begin(&h, a, b, HISTORY_NO_VECTOR);
	history_add_input(&h, &byte, SIZE_MAX);
	CHECK_ERR(history_commit(&h), -E2BIG, "history: huge input is -E2BIG");
	history_begin(&h, a, b, HISTORY_NO_VECTOR);
	history_add_mem(&h, UINT64_MAX - 1, &byte, &byte, 4);
	CHECK_ERR(history_commit(&h), -EINVAL, "history: a span that wraps is -EINVAL");
	history_begin(&h, a, b, HISTORY_NO_VECTOR);
	history_abort(&h);
	CHECK_ERR(history_commit(&h), -EINVAL, "history: an aborted step cannot be committed");
	history_begin(&h, a, b, HISTORY_NO_VECTOR);
	CHECK_ERR(history_undo(&h, b, ram_write, NULL, NULL), -EBUSY,
		  "history: no undo while a step is being built");
	history_abort(&h);
	history_free(&h);
}

/* Records larger than a slab, between small ones, in both directions and
 * cut off by a new timeline. */
static void test_big_records(void)
{
	enum { BIG = 200000 };
	static uint8_t ram[BIG + 16], old[BIG], fresh[BIG];
	struct history h;
	uint64_t a[1] = { 0 }, b[1] = { 0 }, s[1] = { 0 };
	struct history_stats st;
	unsigned bad = 0;

	memset(ram, 0, sizeof(ram));
	history_init(&h, 1, UINT64_MAX, 0);
	for (unsigned i = 0; i < 6; i++) {
		uint32_t len = i % 2 ? BIG : 3;

		memcpy(old, ram, len);
		memset(fresh, 0x10 + (int)i, len);
		memcpy(ram, fresh, len);
		b[0] = i + 1;
		history_begin(&h, a, b, HISTORY_NO_VECTOR);
		history_add_mem(&h, 0, old, fresh, len);
		bad += history_commit(&h) != 0;
		a[0] = b[0];
	}
	CHECK_INT(bad, 0, "history big records: six steps, three over a slab each, recorded");
	s[0] = 6;
	while (history_undo(&h, s, ram_big_write, ram, NULL) == 0)
		;
	bad = s[0] != 0;
	for (unsigned i = 0; i < sizeof(ram); i++)
		bad += ram[i] != 0;
	CHECK_INT(bad, 0, "history big records: undo to the start gives zeros back");
	while (history_redo(&h, s, ram_big_write, ram, NULL) == 0)
		;
	CHECK(s[0] == 6 && ram[0] == 0x15 && ram[BIG - 1] == 0x15 && ram[BIG] == 0,
	      "history big records: redo to the end gives the last bytes");
	for (unsigned i = 0; i < 4; i++)
		history_undo(&h, s, ram_big_write, ram, NULL);
	b[0] = 99;
	history_begin(&h, s, b, HISTORY_NO_VECTOR);
	CHECK_ERR(history_commit(&h), 0, "history big records: a new timeline after step 2");
	history_stats(&h, &st);
	CHECK(st.end == 3 && st.pos == 3 && st.steps == 3 && st.bytes < 3 * BIG,
	      "history big records: the later steps and their bytes are gone (%llu bytes)",
	      (unsigned long long)st.bytes);
	history_free(&h);
}

void test_history(void)
{
	tap_suite("history");
	test_random();
	test_tags();
	test_peek_and_future();
	test_budget();
	test_hostile();
	test_big_records();
}
