/*
 * replay.h - gdb's steps and continues while recording is on (issue 19):
 * backwards through the history, forwards through its recorded part
 * (replay), and on from its end live, one recorded instruction at a time.
 *
 * - Live, with recording on, a continue is a run of single steps, each
 *   added to the history (record.h); interrupts are taken between them as
 *   a plain continue would take them.  After each step the run stops, as
 *   without recording, for a breakpoint at the new pc, a watchpoint the
 *   step met, the guest's end or a crash, gdb's interrupt.
 * - Backwards (gdb's bs/bc) and forwards in the past, the steps are undone
 *   or redone from the history: no instruction runs, no device sees a port
 *   access (the guest's output is not repeated; its input comes back as
 *   recorded, in the registers and memory the steps left).  A continue
 *   stops at a software or hardware breakpoint on the pc reached, at a
 *   step that wrote a write-watched byte (going back: before that step,
 *   on the writing instruction), at gdb's interrupt, or at an end of the
 *   history: the start (GDB_HISTORY_BEGIN, "No more reverse-execution
 *   history."), or the end going forward, where the continue goes on live.
 * - gdb's writes to registers or memory between steps are steps of their
 *   own in the history (HISTORY_DEBUGGER_WRITE): undone together with the
 *   instruction before them, redone with it.
 * Read and access watchpoints are not checked while going backwards or
 * replaying (reads are not recorded).  Device state (timers, serial, disk,
 * PIC) is not rewound: it stays as the end of the history left it.
 */
#ifndef GDBVM_REPLAY_H
#define GDBVM_REPLAY_H

#include <stdbool.h>

#include "gdbstub.h"
#include "machine.h"

/* Is the guest at a position before the end of the history? */
bool replay_in_past(const struct machine *m);

/*
 * Carry out gdb's step or continue, forwards or backwards, with recording
 * on.  0 with *out filled, or -EINTR when a signal came (the caller looks
 * at it, then calls again with the same arguments: the move goes on).
 */
int replay_run(struct machine *m, bool backward, enum gdb_resume_mode mode,
	       struct gdb_stop *out);

/* Move to the end of the history (the present), e.g. before recording
 * stops on a detach.  0 or -errno. */
int replay_to_end(struct machine *m);

#endif
