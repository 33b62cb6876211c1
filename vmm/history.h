/*
 * history.h - the execution history behind reverse debugging, as a pure data
 * structure: no KVM, no guest RAM of its own (issue 19; the recorder that
 * fills it from KVM is record.h).
 *
 * The CPU state is an array of nwords 64-bit words whose meaning is the
 * caller's (record.c puts struct kvm_regs and struct kvm_sregs there).  Each
 * recorded step keeps:
 *   - the words the step changed, old and new value (varint-packed; the new
 *     value as old XOR new, small when few bits moved);
 *   - the guest-memory bytes it changed: address, old bytes, new bytes;
 *   - a tag for replay: the bytes the guest read from devices during the step
 *     (port input, in order) and the vector injected before it, if any.
 * Steps are numbered from 0 (the first step ever recorded).  The history
 * holds steps [first, end); pos in [first, end] is where the guest now is:
 * undo moves pos back one step, redo forward one step.  Appending at a pos
 * before the end drops the steps after pos first (a new timeline).
 *
 * A memory budget bounds what the history holds (records plus one pointer
 * each; beyond it, at most two 64 KiB slabs' unused ends): appending past
 * it drops the oldest steps, and first says where the history
 * now begins.  A single step larger than the whole budget cannot be kept:
 * the history is emptied and begins after it.
 *
 * Functions return 0 or -errno and never exit.
 */
#ifndef GDBVM_HISTORY_H
#define GDBVM_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HISTORY_MAX_WORDS 128	/* the most state words a history tracks */

struct history_slab;
#define HISTORY_NO_VECTOR (-1)
/* In place of a vector: the step is not an instruction but a change the
 * debugger made (gdb wrote registers or memory); undo and redo treat it as
 * part of the instruction before it (replay.c). */
#define HISTORY_DEBUGGER_WRITE 256

/* Called by undo and redo for each memory change: write len bytes at gpa. */
typedef void (*history_write_fn)(void *ctx, uint64_t gpa, const uint8_t *bytes, uint32_t len);

/* What the step just undone or redone carried for replay.  The pointer is
 * valid until the history next changes. */
struct history_tag {
	int vector;		/* injected before the step, or HISTORY_NO_VECTOR */
	const uint8_t *input;	/* bytes the guest read from devices */
	size_t ninput;
	/* Which state words the step changed (bit i of changed[i / 64]). */
	uint64_t changed[HISTORY_MAX_WORDS / 64];
};

struct history_stats {
	uint64_t first, pos, end;	/* step numbers, as described above */
	uint64_t steps;			/* end - first */
	uint64_t bytes;			/* records + index, counted against the budget */
	uint64_t budget;
	uint64_t dropped;		/* steps dropped by the budget so far */
};

struct history {
	unsigned nwords;
	uint64_t budget, bytes, dropped;
	uint64_t first, pos;	/* absolute step numbers */
	uint8_t **recs;		/* ring of records: recs[(head + i) & (cap - 1)] is step first + i */
	struct history_slab *slab_head, *slab_tail;	/* where the records live */
	size_t head, count, cap;
	/* The step being built (history_begin .. history_commit). */
	bool building, oversize;
	int error;
	uint8_t *hdr, *input, *mem;	/* growable scratch buffers */
	size_t hdr_len, hdr_cap, input_len, input_cap, mem_len, mem_cap, nmem;
	size_t *offs;		/* scratch: memory entry offsets, for undo's reverse walk */
	size_t offs_cap;
};

/* An empty history of nwords-word states (1..HISTORY_MAX_WORDS) whose
 * steps begin at step number start, within budget bytes. */
int history_init(struct history *h, unsigned nwords, uint64_t budget, uint64_t start);
void history_free(struct history *h);

/* Build one step: begin with the state before and after it (nwords each) and
 * the vector injected before it (or HISTORY_NO_VECTOR, or
 * HISTORY_DEBUGGER_WRITE), add what it changed
 * in memory and what it read, then commit.  Commit drops any steps after pos,
 * appends the step, moves pos to the new end and drops the oldest steps the
 * budget cannot hold; -E2BIG when the step alone is over the budget (the
 * history is then empty and begins after it), -ENOMEM, or -EINVAL for a
 * malformed step (len 0 is allowed and ignored; gpa + len must not wrap).
 * On any of these errors the step is lost and the history, emptied, begins
 * after it.
 * An error in add_* is reported by commit; abort drops the step. */
int history_begin(struct history *h, const uint64_t *before, const uint64_t *after, int vector);
void history_add_mem(struct history *h, uint64_t gpa, const uint8_t *old_bytes,
		     const uint8_t *new_bytes, uint32_t len);
void history_add_input(struct history *h, const uint8_t *bytes, size_t len);
int history_commit(struct history *h);
void history_abort(struct history *h);

/* Undo the step before pos: the state words it changed get their old values
 * in state (others are left alone), write() gets each old memory span (last
 * change first), tag (may be NULL) what the step carried.  -ENOENT at the
 * start of the history. */
int history_undo(struct history *h, uint64_t *state, history_write_fn write, void *ctx,
		 struct history_tag *tag);

/* Redo the step at pos: the new values and new bytes, in recorded order.
 * -ENOENT at the end of the history. */
int history_redo(struct history *h, uint64_t *state, history_write_fn write, void *ctx,
		 struct history_tag *tag);

/* The vector field (a vector, HISTORY_NO_VECTOR or HISTORY_DEBUGGER_WRITE)
 * of the step redo would apply next, or -ENOENT at the end; of the step undo
 * would apply next with history_peek_back, or -ENOENT at the start.  Both
 * return HISTORY_NO_VECTOR, 0..255 or HISTORY_DEBUGGER_WRITE, and -ENOENT
 * only as the error (distinct from HISTORY_NO_VECTOR). */
int history_peek(const struct history *h);
int history_peek_back(const struct history *h);

/* Drop the steps after pos (a new timeline begins here). */
void history_drop_future(struct history *h);

/* Empty the history; it begins again at step start. */
void history_clear(struct history *h, uint64_t start);

/* Change the budget; drops the oldest steps (never those after pos) that no
 * longer fit.  */
void history_set_budget(struct history *h, uint64_t budget);

void history_stats(const struct history *h, struct history_stats *st);

#endif
