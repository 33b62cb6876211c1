/*
 * gdb_target.h - the VM as a gdb target: fills struct gdb_target_ops for
 * the stub.  The one file that sees both the protocol side and KVM.
 */
#ifndef GDBVM_GDB_TARGET_H
#define GDBVM_GDB_TARGET_H

#include "gdb_views.h"
#include "gdbstub.h"
#include "machine.h"

struct gdb_target {
	struct machine *m;
	enum gdb_resume_mode mode;	/* what resume() prepared */
	bool resuming;			/* run() has not started it yet */
	/* The vCPU state, read once per stop: LLDB asks for the registers
	 * one 'p' at a time, and each read costs three ioctls.  Valid only
	 * while the guest is stopped and nobody has written one.  regs_cache
	 * holds it in the layout of cache_view (NULL: not made yet). */
	struct cpu_state state;
	bool state_valid;
	uint8_t regs_cache[GDB_REGS_MAX];
	const struct gdb_arch *cache_view;
	/* The ELF guest's file as an absolute path (gdb loads its symbols
	 * from it), or NULL: set by the caller after gdb_target_init. */
	const char *exec_file;
	bool exec_file_is64;		/* it is an ELF64 file */
	bool backward;			/* what reverse() prepared: run() goes back */
	bool record_on_attach;		/* --record: each gdb session is recorded */
};

extern const struct gdb_target_ops gdb_target_ops;

/* The VM as a stub's target; the stub's thread runs the vCPU. */
void gdb_target_init(struct gdb_target *t, struct machine *m);

#endif
