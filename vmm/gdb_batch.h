/*
 * gdb_batch.h - --gdb-batch: run gdb in batch mode against our own stub.
 */
#ifndef GDBVM_GDB_BATCH_H
#define GDBVM_GDB_BATCH_H

#include <stdbool.h>
#include <sys/types.h>

/* Start "gdb -batch -nx" connected to host:port running script; its output
 * goes to our stdout and stderr.  symbols, when not NULL, is an ELF guest
 * that gdb loads first (with the architecture set to i8086).  Returns the
 * pid, or -errno. */
pid_t gdb_batch_start(const char *gdb, const char *host, unsigned port, const char *script,
		      const char *symbols);

/* True once the gdb child has exited (safe to call repeatedly). */
bool gdb_batch_exited(pid_t pid, int *wstatus);

/* How long gdb has to end after SIGTERM before it gets SIGKILL. */
#define GDB_BATCH_TERM_GRACE_MS 3000

/* Wait for gdb to end; with kill_first, end it first (SIGTERM, then
 * SIGKILL after the grace period).  Returns its wait status. */
int gdb_batch_wait(pid_t pid, bool kill_first);

#endif
