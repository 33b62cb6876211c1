/*
 * run.h - the KVM_RUN loop: run the vCPU, dispatch every exit through the
 * exit-handler table, and return why it stopped.
 */
#ifndef GDBVM_RUN_H
#define GDBVM_RUN_H

#include <stdint.h>

#include "machine.h"

enum stop_kind {
	STOP_HALT,		/* the guest executed HLT */
	STOP_EXIT_PORT,		/* the guest wrote value to the exit port */
	STOP_SHUTDOWN,		/* triple fault */
	STOP_INTERNAL_ERROR,	/* KVM could not handle the guest (suberror) */
	STOP_FAIL_ENTRY,	/* the hardware refused to enter the guest */
	STOP_UNEXPECTED,	/* an exit reason gdbvm does not handle */
	STOP_INTERRUPTED,	/* KVM_RUN returned EINTR: a signal or a kick */
	STOP_RUN_FAILED,	/* KVM_RUN failed with err */
	STOP_BIOS_CALL,		/* --boot: an unsupported BIOS call (already reported) */
	/* Only while debugging (m->debugging): */
	STOP_BREAKPOINT,	/* a planted HLT was hit; IP is back on it */
	STOP_DEBUG,		/* KVM_EXIT_DEBUG: dr6 and addr (the linear pc) */
	STOP_WATCH,		/* a guest write hit a write watchpoint at addr */
	STOP_STEP_DONE,		/* single-step ended in an I/O or MMIO exit */
};

struct stop {
	enum stop_kind kind;
	uint32_t exit_reason;	/* the KVM_EXIT_* that ended the run */
	uint32_t value;		/* exit-port value, internal-error suberror, or entry
				 * failure reason */
	int err;		/* -errno for STOP_RUN_FAILED */
	uint64_t addr;		/* STOP_DEBUG: pc; STOP_WATCH: data address */
	uint64_t dr6;		/* STOP_DEBUG */
};

/* Run until something needs the caller's attention; fills *stop. */
void run_vcpu(struct machine *m, struct stop *stop);

/* A name for a KVM exit reason, e.g. "KVM_EXIT_IO"; never NULL. */
const char *run_exit_name(uint32_t reason);

#endif
