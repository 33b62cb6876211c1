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

/* Run the check on a set-up machine at its entry point; TAP to out.
 * 0 when every check passed, 1 otherwise. */
int record_check(struct machine *m, const char *kvm_device, uint64_t nsteps, FILE *out);

#endif
