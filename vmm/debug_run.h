/*
 * debug_run.h - running the vCPU for a debugger: one single-step, or
 * continue until something gdb must hear about, with breakpoints stepped
 * over and every VM exit turned into a gdb stop.
 */
#ifndef GDBVM_DEBUG_RUN_H
#define GDBVM_DEBUG_RUN_H

#include "gdbstub.h"
#include "machine.h"

/* Run on the vCPU thread; fills *out. */
void debug_run(struct machine *m, enum gdb_resume_mode mode, struct gdb_stop *out);

#endif
