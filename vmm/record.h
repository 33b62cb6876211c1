/*
 * record.h - recording the guest's execution under KVM into a history
 * (history.h), and moving the guest back and forth along it: the VMM side
 * of reverse debugging (issue 19).
 *
 * How it records (docs/gdb.md, "Reverse debugging", for the user's view):
 *   - after each single step the caller reports (record_step), registers
 *     come from kvm_run's synced copy (KVM_CAP_SYNC_REGS, regs + sregs)
 *     when a KVM_RUN came after gdbvm's last register write, else from
 *     the ioctls; the x87/SSE state (KVM_GET_FPU) only after an
 *     instruction whose encoding may change it (fpu_insn.h);
 *   - changed memory from KVM_GET_DIRTY_LOG on every read-write RAM slot
 *     (debug_slots.c owns the slots, write watchpoints split RAM into
 *     several, and the log, which adoption reads too: one harvest feeds
 *     both, debug_dirty_log) plus the pages
 *     gdbvm wrote itself (guest_mem.written, memory.h), compared with a
 *     shadow copy of RAM.  The shadow and the history hold the guest's
 *     view: planted breakpoints are lifted in the compared copy, and undo
 *     and redo write through debug_write_memory, so a planted trap stays
 *     planted and takes the restored byte as its original;
 *   - a change gdb makes between steps is a step of its own
 *     (HISTORY_DEBUGGER_WRITE, record_debugger_write), which drops any
 *     recorded future;
 *   - bytes read by IN and the vector of an interrupt gdbvm delivered in
 *     real mode are kept as the step's tag (informative: replay sets the
 *     recorded state, it does not re-execute).
 * Not recorded: MSRs other than EFER, AVX upper halves, vCPU events,
 * device state.  replay.h moves the guest along the history for gdb.
 *
 * Functions return 0 or -errno and never exit.
 */
#ifndef GDBVM_RECORD_H
#define GDBVM_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "history.h"

/* The state words: struct cpu_state (vcpu.h), regs then sregs then fpu. */
#define RECORD_NWORDS ((sizeof(struct kvm_regs) + sizeof(struct kvm_sregs) + \
			sizeof(struct kvm_fpu)) / 8)
#define RECORD_REGS_WORDS (sizeof(struct kvm_regs) / 8)
#define RECORD_FPU_WORD ((sizeof(struct kvm_regs) + sizeof(struct kvm_sregs)) / 8)

struct machine;

struct recorder {
	bool on;
	struct history hist;
	uint8_t *shadow;	/* RAM as the history last saw it */
	uint64_t *dirty;	/* pages the guest wrote (debug_dirty_log's map) */
	uint64_t *written;	/* pages gdbvm wrote (guest_mem.written) */
	size_t map_words;	/* 64-bit words in each bitmap */
	uint64_t state[RECORD_NWORDS];	/* regs, sregs, fpu: after the last step */
	uint8_t *page;		/* one page in the guest's view (planted traps lifted) */
	void (*span_fn)(void *ctx, uint64_t gpa, uint32_t len);	/* record_on_span */
	void *span_ctx;
	uint64_t runs_at_start;	/* vcpu_runs() when recording began: kvm_run's
				 * copy of the registers is filled from the
				 * next KVM_RUN on */
	int vector;		/* delivered on the step now running, or HISTORY_NO_VECTOR */
	uint8_t *input;		/* bytes IN read on the step now running */
	size_t ninput, input_cap;
	bool input_lost;	/* out of memory for them */
	uint64_t pages_compared;	/* statistics: pages compared with the shadow, */
	uint64_t state_reads;		/* register reads by ioctl, */
	uint64_t fpu_reads;		/* and FPU reads (fpu_insn.h) */
};

/* Start recording: the history begins at the guest's state now.  -EBUSY
 * when already on, -EOPNOTSUPP without KVM_CAP_SYNC_REGS. */
int record_start(struct machine *m, uint64_t budget);

/* Stop recording and forget the history. */
void record_stop(struct machine *m);

/* The step the caller just ran (one instruction, or one delivery) is done:
 * add it to the history.  -E2BIG: the step was larger than the budget
 * (the history now begins after it); other errors are KVM's. */
int record_step(struct machine *m);

/* gdbvm changed registers or memory for the debugger (gdb wrote them): the
 * change becomes a step of its own (HISTORY_DEBUGGER_WRITE), after
 * dropping any recorded future.  No-op when not recording or when nothing
 * changed. */
int record_debugger_write(struct machine *m);

/* Tags for the step now running (no-ops when not recording). */
void record_note_input(struct machine *m, const uint8_t *bytes, size_t len);
void record_note_vector(struct machine *m, uint8_t vector);

/* Move the guest one step back or forward along the history: registers and
 * RAM as they were.  -ENOENT at the start or the end.  Memory is restored in
 * the guest's view: a planted breakpoint stays planted and takes the
 * restored byte as its original.  With push false the vCPU is not written
 * (a walk of many steps); record_push then writes the whole state once. */
int record_undo(struct machine *m, struct history_tag *tag, bool push);
int record_redo(struct machine *m, struct history_tag *tag, bool push);
/* Write the recorded state into the vCPU: the parts (regs, sregs, fpu) the
 * words in changed (a history_tag's mask; NULL: all) belong to. */
int record_push(struct machine *m, const uint64_t *changed);

/* The vector field of the step a redo (back false) or an undo (back true)
 * would apply next: history_peek / history_peek_back. */
int record_peek(const struct machine *m, bool back);

/* The recorded state of the position now (RECORD_NWORDS words, laid out
 * as struct cpu_state). */
const uint64_t *record_state(const struct machine *m);

/* Callback for each memory span the last undo or redo wrote (NULL: none):
 * replay.c checks write watchpoints with it. */
void record_on_span(struct machine *m, void (*fn)(void *ctx, uint64_t gpa, uint32_t len),
		    void *ctx);

void record_stats(const struct machine *m, struct history_stats *st);

#endif
