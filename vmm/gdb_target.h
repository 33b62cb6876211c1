/*
 * gdb_target.h - the VM as a gdb target: fills struct gdb_target_ops for
 * the stub.  The one file that sees both the protocol side and KVM.
 */
#ifndef GDBVM_GDB_TARGET_H
#define GDBVM_GDB_TARGET_H

#include "gdbstub.h"
#include "machine.h"
#include "vcpu_thread.h"

struct gdb_target {
	struct machine *m;
	struct vcpu_thread vcpu;
	/* The registers in gdb's layout, read once per stop: LLDB asks for
	 * them one 'p' at a time, and each read costs three ioctls.  Valid
	 * only while the guest is stopped and nobody has written one. */
	uint8_t regs_cache[GDB_REGS_SIZE];
	bool regs_valid;
};

extern const struct gdb_target_ops gdb_target_ops;

/* Start the vCPU thread; the stop descriptor for the stub is then
 * t->vcpu.pipe[0]. 0 or -errno. */
int gdb_target_init(struct gdb_target *t, struct machine *m);
void gdb_target_finish(struct gdb_target *t);

#endif
