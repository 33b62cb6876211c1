/*
 * vcpu.h - the vCPU's register state, and the one place that moves it
 * between KVM and gdbvm: KVM_GET/SET_REGS, KVM_GET/SET_SREGS and
 * KVM_GET/SET_FPU are issued here and nowhere else.
 *
 * Each call returns 0 or -errno; with a failed pointer, *failed names the
 * ioctl that failed (for the "gdbvm: ... failed" messages).
 */
#ifndef GDBVM_VCPU_H
#define GDBVM_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

/* The vCPU's registers as KVM gives them. */
struct cpu_state {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
};

/* Which parts of a cpu_state a call moves. */
enum vcpu_part {
	VCPU_REGS = 1 << 0,	/* general registers, RIP, RFLAGS */
	VCPU_SREGS = 1 << 1,	/* segments, descriptor tables, CRx, EFER */
	VCPU_FPU = 1 << 2,	/* x87, SSE */
	VCPU_ALL = VCPU_REGS | VCPU_SREGS | VCPU_FPU,
};

/* Read the parts named into s. */
int vcpu_get(int vcpu_fd, struct cpu_state *s, unsigned parts, const char **failed);

/* Write the parts named from s: the special registers first, since a
 * general register's meaning (a 64-bit RIP) can depend on them. */
int vcpu_set(int vcpu_fd, const struct cpu_state *s, unsigned parts, const char **failed);

/* The two most callers want: where the guest is (regs and sregs). */
int vcpu_get_location(int vcpu_fd, struct kvm_regs *regs, struct kvm_sregs *sregs);
int vcpu_set_location(int vcpu_fd, const struct kvm_regs *regs, const struct kvm_sregs *sregs,
		      const char **failed);

/* Only the general registers (a rewound IP after a breakpoint's HLT). */
int vcpu_set_regs(int vcpu_fd, const struct kvm_regs *regs);

/* Only the special registers (paging state for an address translation). */
int vcpu_get_sregs(int vcpu_fd, struct kvm_sregs *sregs);

/* Every KVM_RUN calls vcpu_note_run (run.c).  kvm_run's synced copy of the
 * registers (KVM_CAP_SYNC_REGS) is the vCPU's own only when a KVM_RUN came
 * after the last register write: vcpu_run_copy_current. */
void vcpu_note_run(void);
uint64_t vcpu_runs(void);
bool vcpu_run_copy_current(void);

#endif
