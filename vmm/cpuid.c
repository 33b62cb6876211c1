/*
 * cpuid.c - the guest's CPUID (see cpuid.h).
 */
#include "cpuid.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#define LEAF1_ECX_X2APIC	(1u << 21)
#define LEAF1_ECX_TSC_DEADLINE	(1u << 24)
#define LEAF1_EDX_APIC		(1u << 9)

void cpuid_filter(struct kvm_cpuid_entry2 *entries, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct kvm_cpuid_entry2 *e = &entries[i];

		if (e->function == 1) {
			e->ecx &= ~(LEAF1_ECX_X2APIC | LEAF1_ECX_TSC_DEADLINE);
			e->edx &= ~LEAF1_EDX_APIC;
			e->ebx &= 0x00ffffff;	/* initial APIC ID 0: the one vCPU */
		}
	}
}

/* KVM_GET_SUPPORTED_CPUID with a buffer grown until it fits. */
static struct kvm_cpuid2 *supported_cpuid(int kvm_fd)
{
	for (unsigned n = 64; n <= CPUID_MAX_ENTRIES; n *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));

		if (!c)
			return NULL;
		c->nent = n;
		if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
			return c;
		free(c);
		if (errno != E2BIG)
			return NULL;
	}
	errno = E2BIG;
	return NULL;
}

int cpuid_setup(int kvm_fd, int vcpu_fd, const char **failed)
{
	struct kvm_cpuid2 *c;
	int err = 0;

	*failed = "KVM_GET_SUPPORTED_CPUID";
	c = supported_cpuid(kvm_fd);
	if (!c)
		return -errno;
	cpuid_filter(c->entries, c->nent);
	*failed = "KVM_SET_CPUID2";
	if (ioctl(vcpu_fd, KVM_SET_CPUID2, c) < 0)
		err = -errno;
	else
		*failed = NULL;
	free(c);
	return err;
}
