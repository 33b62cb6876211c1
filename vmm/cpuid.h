/*
 * cpuid.h - the CPUID a guest sees: what the host's KVM supports
 * (KVM_GET_SUPPORTED_CPUID), less what gdbvm's machine does not have,
 * set on the vCPU with KVM_SET_CPUID2.  Without it a guest finds no long
 * mode, PAE or SSE, and KVM refuses EFER.LME.
 */
#ifndef GDBVM_CPUID_H
#define GDBVM_CPUID_H

#include <linux/kvm.h>

/* Leaves KVM_GET_SUPPORTED_CPUID may return, at most (it says E2BIG
 * when a buffer is too small; gdbvm grows it up to this). */
#define CPUID_MAX_ENTRIES 512

/*
 * Remove what gdbvm's machine lacks from the host's leaves: the local APIC
 * and x2APIC (gdbvm has no in-kernel interrupt controller), and the
 * TSC-deadline timer that needs it.
 */
void cpuid_filter(struct kvm_cpuid_entry2 *entries, unsigned n);

/*
 * Give the vCPU the filtered supported CPUID.  0, or -errno with *failed
 * naming the ioctl that failed.
 */
int cpuid_setup(int kvm_fd, int vcpu_fd, const char **failed);

#endif
