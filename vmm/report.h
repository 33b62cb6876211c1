/*
 * report.h - what gdbvm prints about the guest on stderr: one line per VM
 * exit for --trace, and the report when a guest ends badly (reason, the
 * location in the mode's form, what an interrupted delivery was, the mode,
 * registers, control registers outside real mode, and the code bytes at
 * the instruction pointer read through the guest's paging).
 */
#ifndef GDBVM_REPORT_H
#define GDBVM_REPORT_H

#include <stdio.h>

#include "machine.h"

struct stop;

/* " at <location>" (location.h's form) for the vCPU now, or "" when its
 * registers cannot be read: for messages such as the signal's. */
void report_where(struct machine *m, char *buf, size_t len);

/* One --trace line for the exit now in m->kvm.run. */
void report_trace_exit(struct machine *m, FILE *out);

/* The description of a bad ending: headline, registers, code bytes. */
void report_crash(struct machine *m, const struct stop *stop, FILE *out);

/* What the stop's rule (stop.h) says to print when it ends the guest: the
 * crash report, a one-line error, or nothing. */
void report_stop(struct machine *m, const struct stop *stop, FILE *out);

#endif
