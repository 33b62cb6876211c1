/*
 * status.h - gdbvm's process exit statuses, all in one place.
 *
 * Every status the VMM chooses is even: odd statuses belong to the guest's
 * exit port, which ends the run with (value << 1) | 1 as QEMU's
 * isa-debug-exit device does.  The table in status.c gives each one a line
 * for --help; the README lists the same statuses.
 */
#ifndef GDBVM_STATUS_H
#define GDBVM_STATUS_H

#include <stdio.h>

enum gdbvm_status {
	STATUS_HALTED = 0,	   /* guest executed HLT */
	STATUS_USAGE = 2,	   /* bad option or option value */
	STATUS_GUEST_FILE = 4,	   /* guest image missing, unreadable or too big */
	STATUS_KVM = 6,		   /* /dev/kvm unusable or a KVM setup step failed */
	STATUS_TRIPLE_FAULT = 8,   /* KVM_EXIT_SHUTDOWN */
	STATUS_INTERNAL_ERROR = 10,/* KVM_EXIT_INTERNAL_ERROR (e.g. emulation failure) */
	STATUS_FAIL_ENTRY = 12,	   /* KVM_EXIT_FAIL_ENTRY */
	STATUS_UNEXPECTED_EXIT = 14,/* any exit reason gdbvm does not handle */
	STATUS_TIMEOUT = 16,	   /* --timeout expired */
	STATUS_SIGNAL = 18,	   /* stopped by SIGINT or SIGTERM */
	STATUS_RUN_ERROR = 20,	   /* KVM_RUN or another vCPU ioctl failed */
	STATUS_GDB_KILLED = 22,	   /* gdb killed the VM ('k' packet) */
	STATUS_GDB_SCRIPT = 24,	   /* the --gdb-batch script failed */
	STATUS_GDB_SETUP = 26,	   /* cannot listen for gdb, or start it */
	STATUS_BIOS_CALL = 28,	   /* --boot: a BIOS call the built-in BIOS lacks */
	STATUS_RESET = 30,	   /* the guest pulsed the reset line (keyboard controller) */
	STATUS_DISPLAY_QUIT = 32,  /* --display: the user pressed the quit key */
	STATUS_COVERAGE = 34,	   /* --coverage: no usable line table, or no report */
};

/* Print the status table, one "  N  meaning" line each, for --help. */
void status_print_table(FILE *out);

#endif
