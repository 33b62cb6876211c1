/*
 * coverage.h - --coverage: the source lines a guest runs, from the DWARF
 * line tables of its ELF files, counted through coverage traps in the
 * breakpoint table (debug.h) and written as an lcov tracefile (lcov.h)
 * when the run ends (docs/coverage.md).
 */
#ifndef GDBVM_COVERAGE_H
#define GDBVM_COVERAGE_H

#include <stdio.h>

#include "machine.h"
#include "options.h"

struct coverage;

/*
 * Read the line tables (the ELF GUEST's, each --symbols file's), open the
 * report file, and plant a trap on the first instruction of every line
 * that lies in guest RAM; m's guest is loaded and its debug state set up.
 * 0 and *out, or -errno after a "gdbvm: coverage: ..." line on err.
 */
int coverage_start(struct coverage **out, const struct config *cfg, struct machine *m, FILE *err);

/*
 * The run ended with status (status.h): write the tracefile and the
 * summary line on err, lift coverage's traps and free c.  0, or -errno
 * after a message (a --symbols file that matches no code the guest held,
 * or the report could not be written).
 */
int coverage_finish(struct coverage *c, struct machine *m, int status, FILE *err);

#endif
