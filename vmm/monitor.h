/*
 * monitor.h - gdb's "monitor" commands: machine state gdb's own commands
 * cannot show (hidden segment state, control and debug registers), VM exit
 * counts, and the host's KVM features with the mechanism each breakpoint
 * kind uses.
 */
#ifndef GDBVM_MONITOR_H
#define GDBVM_MONITOR_H

#include "machine.h"

/* Run one command line; output through out().  0, GDB_MONITOR_QUIT or -ENOENT. */
int monitor_command(struct machine *m, const char *cmd,
		    void (*out)(void *ctx, const char *text), void *ctx);

#endif
