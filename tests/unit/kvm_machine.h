/*
 * kvm_machine.h - a small real-mode machine on the real /dev/kvm for unit
 * tests that must run a guest (the debug table's coverage hook, the dirty
 * log): RAM, the vCPU at code_at, the clock, PIT, CMOS and PICs, and the
 * debugger's state.
 */
#ifndef GDBVM_TEST_KVM_MACHINE_H
#define GDBVM_TEST_KVM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"

/* Zero m and build it, code copied to code_at; false (with a TAP skip
 * naming what, when there is no KVM) if it cannot. */
bool kvm_machine_start(struct machine *m, uint64_t ram, uint64_t code_at, const uint8_t *code,
		       size_t len, const char *what);

/* Free what kvm_machine_start made. */
void kvm_machine_finish(struct machine *m);

#endif
