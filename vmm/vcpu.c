/*
 * vcpu.c - the vCPU register ioctls (see vcpu.h).
 */
#include "vcpu.h"

#include <errno.h>
#include <stddef.h>
#include <sys/ioctl.h>

/* One ioctl of the table below: its request, its name, where its data
 * lives in a cpu_state. */
struct part_ioctl {
	unsigned part;
	unsigned long get, set;
	const char *get_name, *set_name;
	size_t offset;
};

/* In set order: special registers, then general ones, then the FPU. */
static const struct part_ioctl parts_table[] = {
	{ VCPU_SREGS, KVM_GET_SREGS, KVM_SET_SREGS, "KVM_GET_SREGS", "KVM_SET_SREGS",
	  offsetof(struct cpu_state, sregs) },
	{ VCPU_REGS, KVM_GET_REGS, KVM_SET_REGS, "KVM_GET_REGS", "KVM_SET_REGS",
	  offsetof(struct cpu_state, regs) },
	{ VCPU_FPU, KVM_GET_FPU, KVM_SET_FPU, "KVM_GET_FPU", "KVM_SET_FPU",
	  offsetof(struct cpu_state, fpu) },
};

#define NPARTS (sizeof(parts_table) / sizeof(parts_table[0]))

/* KVM_RUNs so far, and how many there had been at the last write. */
static uint64_t runs, runs_at_write;

void vcpu_note_run(void)
{
	runs++;
}

uint64_t vcpu_runs(void)
{
	return runs;
}

bool vcpu_run_copy_current(void)
{
	return runs > runs_at_write;
}

int vcpu_get(int vcpu_fd, struct cpu_state *s, unsigned parts, const char **failed)
{
	for (unsigned i = 0; i < NPARTS; i++) {
		const struct part_ioctl *p = &parts_table[i];

		if (!(parts & p->part))
			continue;
		if (ioctl(vcpu_fd, p->get, (char *)s + p->offset) < 0) {
			if (failed)
				*failed = p->get_name;
			return -errno;
		}
	}
	return 0;
}

int vcpu_set(int vcpu_fd, const struct cpu_state *s, unsigned parts, const char **failed)
{
	for (unsigned i = 0; i < NPARTS; i++) {
		const struct part_ioctl *p = &parts_table[i];

		if (!(parts & p->part))
			continue;
		runs_at_write = runs;
		if (ioctl(vcpu_fd, p->set, (const char *)s + p->offset) < 0) {
			if (failed)
				*failed = p->set_name;
			return -errno;
		}
	}
	return 0;
}

int vcpu_get_location(int vcpu_fd, struct kvm_regs *regs, struct kvm_sregs *sregs)
{
	if (ioctl(vcpu_fd, KVM_GET_REGS, regs) < 0 || ioctl(vcpu_fd, KVM_GET_SREGS, sregs) < 0)
		return -errno;
	return 0;
}

int vcpu_set_location(int vcpu_fd, const struct kvm_regs *regs, const struct kvm_sregs *sregs,
		      const char **failed)
{
	runs_at_write = runs;
	if (ioctl(vcpu_fd, KVM_SET_SREGS, sregs) < 0) {
		if (failed)
			*failed = "KVM_SET_SREGS";
		return -errno;
	}
	if (ioctl(vcpu_fd, KVM_SET_REGS, regs) < 0) {
		if (failed)
			*failed = "KVM_SET_REGS";
		return -errno;
	}
	return 0;
}

int vcpu_set_regs(int vcpu_fd, const struct kvm_regs *regs)
{
	runs_at_write = runs;
	return ioctl(vcpu_fd, KVM_SET_REGS, regs) < 0 ? -errno : 0;
}

int vcpu_get_sregs(int vcpu_fd, struct kvm_sregs *sregs)
{
	return ioctl(vcpu_fd, KVM_GET_SREGS, sregs) < 0 ? -errno : 0;
}
