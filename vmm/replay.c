/*
 * replay.c - gdb's steps and continues with recording on: backwards and
 * forwards along the history, and live at its end (see replay.h).
 */
#include "replay.h"
#include "cpu.h"
#include "debug.h"
#include "debug_run.h"
#include "location.h"
#include "record.h"
#include "signals.h"
#include "vcpu.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A walk along the history looks at signals this often (steps). */
#define SIGNAL_CHECK_EVERY 1024

/* One move of many steps: what to push into the vCPU at its end, and the
 * write watchpoint a step met. */
struct walk {
	struct machine *m;
	uint64_t changed[HISTORY_MAX_WORDS / 64];
	bool debugger_step;	/* the step being moved is gdb's own write */
	bool watch_hit;
	uint64_t watch_addr;	/* gdb's (linear) address of the first byte hit */
};

/* record_on_span: a restored span that lies in a write watchpoint. */
static void span_moved(void *ctx, uint64_t gpa, uint32_t len)
{
	struct walk *w = ctx;
	const struct write_watch *ww;
	uint64_t at;

	if (w->watch_hit || w->debugger_step)
		return;
	ww = debug_write_hit(&w->m->debug, gpa, len);
	if (!ww)
		return;
	at = gpa > ww->addr ? gpa : ww->addr;
	w->watch_hit = true;
	w->watch_addr = ww->linear + (at - ww->addr);
}

static int move_one(struct walk *w, bool back)
{
	struct history_tag t;
	int err = back ? record_undo(w->m, &t, false) : record_redo(w->m, &t, false);

	if (err)
		return err;
	for (unsigned i = 0; i < HISTORY_MAX_WORDS / 64; i++)
		w->changed[i] |= t.changed[i];
	return 0;
}

/*
 * One instruction back or forward.  gdb's writes are steps of their own
 * that belong to the instruction before them: going back, they are undone
 * on the way to that instruction; going forward, redone right after it.
 * -ENOENT at the start or the end.
 */
static int move_instruction(struct walk *w, bool back)
{
	int v, err;

	while ((v = record_peek(w->m, back)) == HISTORY_DEBUGGER_WRITE) {
		w->debugger_step = true;
		err = move_one(w, back);
		w->debugger_step = false;
		if (err)
			return err;
	}
	if (v == -ENOENT)
		return v;	/* nothing left that way */
	err = move_one(w, back);
	if (err || back)
		return err;
	while (record_peek(w->m, false) == HISTORY_DEBUGGER_WRITE) {
		w->debugger_step = true;
		err = move_one(w, false);
		w->debugger_step = false;
		if (err)
			return err;
	}
	return 0;
}

/* The vCPU takes the state the walk reached. */
static int finish_walk(struct walk *w)
{
	int err = record_push(w->m, w->changed);

	memset(w->changed, 0, sizeof(w->changed));
	w->m->stop_regs_valid = false;
	return err;
}

/* A stop that says the history could not be walked (a failed ioctl, or
 * out of memory), with the reason for gdb's console. */
static void walk_failed(struct gdb_stop *out, int err)
{
	*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	snprintf(out->message, sizeof(out->message),
		 "gdbvm: moving along the recorded history failed: %s", strerror(-err));
}

/* Is there a breakpoint at the pc of the recorded state?  Then *out. */
static bool breakpoint_here(struct machine *m, struct gdb_stop *out)
{
	const uint64_t *s = record_state(m);
	struct debug_state *d = &m->debug;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	uint64_t pc;

	if (d->nsw == 0 && !d->hw[0].used && !d->hw[1].used && !d->hw[2].used && !d->hw[3].used)
		return false;
	memcpy(&regs, s, sizeof(regs));
	memcpy(&sregs, s + RECORD_REGS_WORDS, sizeof(sregs));
	pc = cpu_linear_pc(&regs, &sregs);
	if (debug_sw_at_vaddr(d, pc)) {
		*out = (struct gdb_stop){ .kind = GDB_STOP_SWBREAK, .signal = GDB_SIGTRAP };
		return true;
	}
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++) {
		if (!d->hw[i].used || d->hw[i].kind != DEBUG_HW_BP || d->hw[i].addr != pc)
			continue;
		*out = (struct gdb_stop){ .kind = debug_hw_is_sw(d, i) ? GDB_STOP_SWBREAK
									 : GDB_STOP_HWBREAK,
					  .signal = GDB_SIGTRAP };
		return true;
	}
	return false;
}

static void watch_stop(const struct walk *w, struct gdb_stop *out)
{
	*out = (struct gdb_stop){ .kind = GDB_STOP_WATCH, .signal = GDB_SIGTRAP,
				  .watch_type = GDB_WP_WRITE, .watch_addr = w->watch_addr };
}

static void trap_stop(struct gdb_stop *out, enum gdb_history where)
{
	*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP,
				  .history = where };
}

bool replay_in_past(const struct machine *m)
{
	return record_peek(m, false) != -ENOENT;
}

/*
 * One live step, recorded.  take_irq: an interrupt may come before it (a
 * continue), as it would without recording.  The step starts from the
 * recorded state, which is the vCPU's (no register read).
 */
static int live_step(struct machine *m, bool take_irq, struct gdb_stop *out)
{
	const uint64_t *s = record_state(m);
	bool while_stepping = m->irq.while_stepping;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	int rc, err;

	memcpy(&regs, s, sizeof(regs));
	memcpy(&sregs, s + RECORD_REGS_WORDS, sizeof(sregs));
	m->irq.while_stepping = while_stepping || take_irq;
	guest_clock_resume(&m->clock);
	rc = debug_run(m, GDB_RESUME_STEP, true, &regs, &sregs, out);
	m->irq.while_stepping = while_stepping;
	if (rc)
		return rc;
	m->stop_regs_valid = false;
	if (out->kind == GDB_STOP_EXITED || out->fatal)
		return 0;
	err = record_step(m);
	if (err && err != -E2BIG)
		fprintf(stderr, "gdbvm: recording: a step could not be kept (%s); the history "
			"begins after it\n", strerror(-err));
	return 0;
}

static bool plain_trap(const struct gdb_stop *out)
{
	return out->kind == GDB_STOP_SIGNAL && out->signal == GDB_SIGTRAP && !out->fatal &&
	       !out->message[0];
}

/* gdb's interrupt (Ctrl-C) or a signal: true with *out / *rc set. */
static bool interrupted(struct machine *m, struct gdb_stop *out, int *rc)
{
	if (m->interrupt_requested) {
		m->interrupt_requested = 0;
		*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGINT };
		*rc = 0;
		return true;
	}
	if (signals_async_pending() || signals_stop_pending()) {
		*rc = -EINTR;
		return true;
	}
	return false;
}

/* Continue live from the end of the history, recording each step. */
static int live_continue(struct machine *m, struct gdb_stop *out)
{
	int rc;

	for (;;) {
		if (interrupted(m, out, &rc))
			return rc;
		rc = live_step(m, true, out);
		if (rc || !plain_trap(out) || breakpoint_here(m, out))
			return rc;
	}
}

/* A continue along the history (back, or forward in the past). */
static int walk_continue(struct machine *m, bool back, struct gdb_stop *out)
{
	struct walk w = { .m = m };
	int rc, err;

	record_on_span(m, span_moved, &w);
	for (uint64_t n = 0;; n++) {
		if ((n % SIGNAL_CHECK_EVERY == 0 || m->interrupt_requested) &&
		    interrupted(m, out, &rc))
			break;
		err = move_instruction(&w, back);
		if (err == -ENOENT && !back) {
			record_on_span(m, NULL, NULL);
			err = finish_walk(&w);
			if (err) {
				walk_failed(out, err);
				return 0;
			}
			return live_continue(m, out);
		}
		rc = 0;
		if (err == -ENOENT) {
			trap_stop(out, GDB_HISTORY_BEGIN);
			break;
		}
		if (err) {
			walk_failed(out, err);
			break;
		}
		if (w.watch_hit) {
			watch_stop(&w, out);
			break;
		}
		if (breakpoint_here(m, out))
			break;
	}
	record_on_span(m, NULL, NULL);
	err = finish_walk(&w);
	if (err && rc == 0)
		walk_failed(out, err);
	return rc;
}

/* One step along the history, or live at its end going forward. */
static int step(struct machine *m, bool back, struct gdb_stop *out)
{
	struct walk w = { .m = m };
	int err;

	if (!back && !replay_in_past(m))
		return live_step(m, false, out);
	record_on_span(m, span_moved, &w);
	err = move_instruction(&w, back);
	record_on_span(m, NULL, NULL);
	if (err == -ENOENT && !back) {	/* only gdb's writes were left */
		err = finish_walk(&w);
		if (!err)
			return live_step(m, false, out);
	}
	if (err == -ENOENT)
		trap_stop(out, GDB_HISTORY_BEGIN);
	else if (err)
		walk_failed(out, err);
	else if (w.watch_hit)
		watch_stop(&w, out);
	else
		trap_stop(out, GDB_HISTORY_NONE);
	err = finish_walk(&w);
	if (err)
		walk_failed(out, err);
	return 0;
}

int replay_run(struct machine *m, bool backward, enum gdb_resume_mode mode,
	       struct gdb_stop *out)
{
	if (mode == GDB_RESUME_STEP)
		return step(m, backward, out);
	if (!backward && !replay_in_past(m))
		return live_continue(m, out);
	return walk_continue(m, backward, out);
}

int replay_to_end(struct machine *m)
{
	struct walk w = { .m = m };
	int err;

	while ((err = move_one(&w, false)) == 0)
		;
	if (err != -ENOENT)
		return err;
	return finish_walk(&w);
}
