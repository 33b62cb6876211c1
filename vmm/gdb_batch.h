/*
 * gdb_batch.h - --gdb-batch: run gdb in batch mode against our own stub.
 */
#ifndef GDBVM_GDB_BATCH_H
#define GDBVM_GDB_BATCH_H

#include <stdbool.h>
#include <sys/types.h>

/* Start "gdb -batch -nx" connected to host:port running script; its output
 * goes to our stdout and stderr.  symbols, when not NULL, is an ELF guest
 * that gdb loads first (with the OS ABI none, and for a guest entered in
 * real mode, real_mode, the architecture set to i8086: the ELF header's
 * would win over the target description's).  Returns the pid, or -errno. */
pid_t gdb_batch_start(const char *gdb, const char *host, unsigned port, const char *script,
		      const char *symbols, bool real_mode);

/* True once the gdb child has exited (safe to call repeatedly). */
bool gdb_batch_exited(pid_t pid, int *wstatus);

/* How long gdb has to end after SIGTERM before it gets SIGKILL. */
#define GDB_BATCH_TERM_GRACE_MS 3000

/* How long gdb has to finish its script by itself once a signal (SIGINT,
 * SIGTERM, --timeout) has ended the session it was debugging. */
#define GDB_BATCH_FINISH_MS 5000

/* gdb_batch_wait's finish_ms: wait as long as gdb takes. */
#define GDB_BATCH_WAIT_FOREVER (-1)

/*
 * Wait for gdb to end and return its wait status.  gdb has finish_ms to end
 * by itself (GDB_BATCH_WAIT_FOREVER: no limit), cut short as soon as
 * hurry(), when not NULL, returns true; then it gets SIGTERM, and SIGKILL
 * GDB_BATCH_TERM_GRACE_MS later.  -1 if it cannot be waited for.
 */
int gdb_batch_wait(pid_t pid, int finish_ms, bool (*hurry)(void));

#endif
