/*
 * record_bench.h - the recorder's timing for make bench (hidden option
 * --record-bench N; bench/bench.py's recording figure runs it): the same
 * single steps of a guest timed recorded, stepped by the debugger without
 * recording, and stepped by bare KVM_RUNs.
 */
#ifndef GDBVM_RECORD_BENCH_H
#define GDBVM_RECORD_BENCH_H

#include <stdio.h>

#include "machine.h"
#include "options.h"

/* Run the timing on a set-up machine at its entry point: up to cfg's
 * record_bench steps (fewer when the guest ends first), each way from the
 * same start, in rounds.  Lines "key value..." to out (record_bench.c says
 * which).  0 when every way ended in the same state, 1 otherwise. */
int record_bench(struct machine *m, const struct config *cfg, FILE *out);

#endif
