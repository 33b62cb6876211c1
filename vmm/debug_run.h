/*
 * debug_run.h - running the vCPU for a debugger: one single-step, or
 * continue until something gdb must hear about, with breakpoints stepped
 * over and every VM exit turned into a gdb stop.
 */
#ifndef GDBVM_DEBUG_RUN_H
#define GDBVM_DEBUG_RUN_H

#include "gdbstub.h"
#include "machine.h"

/*
 * Run the vCPU as gdb asked: a single step, or a continue.  resuming is
 * true on the first call after gdb resumed it (a continue from a
 * breakpoint first steps over it), false when going on after -EINTR.
 * regs and sregs, when not NULL, are the vCPU's registers now (known from
 * the stop), so they need not be read again.
 * 0 with *out filled when it stopped; -EINTR when a signal interrupted a
 * continue (the caller looks at what the signal was for, then calls again).
 * A step is short: it finishes whatever signals arrive.
 */
int debug_run(struct machine *m, enum gdb_resume_mode mode, bool resuming,
	      const struct kvm_regs *regs, const struct kvm_sregs *sregs, struct gdb_stop *out);

#endif
