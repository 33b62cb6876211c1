/*
 * stop.h - why a run of the vCPU stopped (struct stop, filled by run.c) and
 * what each kind of stop means, in one table: the process exit status it
 * ends a plain run with, the signal gdb hears, whether the guest can go on,
 * and what gdbvm says about it on stderr.  main.c (a plain run) and
 * debug_run.c (a run under gdb) both act on a stop through this table;
 * report.c describes it.  Also the names of KVM's exit reasons.
 */
#ifndef GDBVM_STOP_H
#define GDBVM_STOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum stop_kind {
	STOP_HALT,		/* the guest executed HLT */
	STOP_EXIT_PORT,		/* the guest wrote value to the exit port */
	STOP_SHUTDOWN,		/* triple fault */
	STOP_INTERNAL_ERROR,	/* KVM could not handle the guest (suberror) */
	STOP_FAIL_ENTRY,	/* the hardware refused to enter the guest */
	STOP_UNEXPECTED,	/* an exit reason gdbvm does not handle */
	STOP_INTERRUPTED,	/* KVM_RUN returned EINTR: a signal or a kick */
	STOP_VCPU_ERROR,	/* an ioctl on the vCPU failed: failed, err */
	STOP_BIOS_CALL,		/* --boot: an unsupported BIOS call (already reported) */
	STOP_RESET,		/* the guest pulsed the 8042's reset line (already reported) */
	/* Only while debugging (m->debugging): */
	STOP_BREAKPOINT,	/* a planted HLT was hit; IP is back on it */
	STOP_DEBUG,		/* KVM_EXIT_DEBUG: dr6 and addr (the linear pc) */
	STOP_WATCH,		/* a guest write hit a write watchpoint at addr */
	STOP_STEP_DONE,		/* single-step ended in an I/O or MMIO exit */
	STOP_KIND_COUNT
};

struct stop {
	enum stop_kind kind;
	uint32_t exit_reason;	/* the KVM_EXIT_* that ended the run */
	uint32_t value;		/* exit-port value, internal-error suberror, or entry
				 * failure reason */
	const char *failed;	/* STOP_VCPU_ERROR: what failed, e.g. "KVM_RUN" */
	int err;		/* STOP_VCPU_ERROR: -errno */
	uint64_t addr;		/* STOP_DEBUG: pc; STOP_WATCH: data address */
	uint64_t dr6;		/* STOP_DEBUG */
};

/* What gdbvm prints on stderr when a stop ends the guest. */
enum stop_report {
	STOP_SAYS_NOTHING,	/* nothing, or already said where it happened */
	STOP_SAYS_CRASH,	/* the crash report (report_crash) */
	STOP_SAYS_ERROR,	/* one line: what failed and why (stop_error_message) */
};

/* The status column for a stop that does not end a plain run. */
#define STOP_GOES_ON (-1)

struct stop_rule {
	const char *name;	/* the kind's name, e.g. "STOP_HALT" (NULL: no row) */
	int status;		/* the exit status of a plain run that ends here, or
				 * STOP_GOES_ON; the exit port's comes from its value */
	int gdb_signal;		/* the signal gdb hears (GDB_SIG*); 0: gdb hears
				 * that the guest exited with the status */
	bool fatal;		/* the guest cannot go on (gdb may still look) */
	enum stop_report report;
};

/*
 * The rule for a stop.  Without a debugger (debugging false) a debugger's
 * own kinds of stop cannot be gdbvm's and take STOP_UNEXPECTED's rule.
 */
const struct stop_rule *stop_rule(const struct stop *st, bool debugging);

/* The exit status a stop ends a plain run with (stop_rule's, or the exit
 * port's), or STOP_GOES_ON. */
int stop_status(const struct stop *st, bool debugging);

/* Make st a STOP_VCPU_ERROR: the call named failed returned err (-errno). */
void stop_set_vcpu_error(struct stop *st, const char *failed, int err);

/* "gdbvm: KVM_RUN failed: Bad address" (no newline) into buf. */
void stop_error_message(const struct stop *st, char *buf, size_t len);

/* A name for a KVM exit reason, e.g. "KVM_EXIT_IO"; never NULL. */
const char *stop_exit_name(uint32_t reason);

#endif
