/*
 * gdb_target.h - the VM as a gdb target: fills struct gdb_target_ops for
 * the stub.  The one file that sees both the protocol side and KVM.
 */
#ifndef GDBVM_GDB_TARGET_H
#define GDBVM_GDB_TARGET_H

#include "gdbstub.h"
#include "machine.h"

/* The vCPU's registers as KVM gives them. */
struct cpu_state {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
};

struct gdb_target {
	struct machine *m;
	enum gdb_resume_mode mode;	/* what resume() prepared */
	bool resuming;			/* run() has not started it yet */
	/* The registers in gdb's layout, read once per stop: LLDB asks for
	 * them one 'p' at a time, and each read costs three ioctls.  Valid
	 * only while the guest is stopped and nobody has written one. */
	uint8_t regs_cache[GDB_REGS_SIZE];
	struct cpu_state state;		/* what regs_cache was made from */
	bool regs_valid;
	/* The ELF guest's file as an absolute path (gdb loads its symbols
	 * from it), or NULL: set by the caller after gdb_target_init. */
	const char *exec_file;
};

extern const struct gdb_target_ops gdb_target_ops;

/* The VM as a stub's target; the stub's thread runs the vCPU. */
void gdb_target_init(struct gdb_target *t, struct machine *m);

#endif
