/*
 * record_check.h - the recorder's self-test on a real guest (hidden option
 * --record-selftest N; tests/e2e/test_record.sh runs it): record up to N
 * steps, undo and redo them all, compare registers and all RAM bit for bit,
 * and time recording against plain single-stepping.
 */
#ifndef GDBVM_RECORD_CHECK_H
#define GDBVM_RECORD_CHECK_H

#include <stdint.h>
#include <stdio.h>

#include "machine.h"
#include "options.h"

/* Run the check on a set-up machine at its entry point: cfg's
 * record_selftest steps, with a 1-byte write watchpoint at
 * record_selftest_watch when given (RAM then splits into several memory
 * slots, and watched writes end steps through MMIO exits).  TAP to out.
 * 0 when every check passed, 1 otherwise. */
int record_check(struct machine *m, const struct config *cfg, FILE *out);

#endif
