/*
 * kvm.h - the lifecycle of one KVM virtual machine with one vCPU: open the
 * device, check the API, create the VM, register guest RAM, create the vCPU
 * and map its kvm_run area; and the reverse, on every path.
 *
 * Functions return 0 or -errno and never exit; on failure they write a
 * one-line description of the failed step into the caller's buffer.
 */
#ifndef GDBVM_KVM_H
#define GDBVM_KVM_H

#include <stddef.h>
#include <linux/kvm.h>

#include "memory.h"

#define KVM_ERRBUF_SIZE 256

struct kvm_vm {
	int kvm_fd;
	int vm_fd;
	int vcpu_fd;
	struct kvm_run *run;	/* the vCPU's shared kvm_run page(s) */
	size_t run_size;
};

/* Set every descriptor to -1 so kvm_vm_destroy is safe at any point. */
void kvm_vm_init(struct kvm_vm *vm);

/* Open device, create the VM with mem at guest-physical 0, and one vCPU. */
int kvm_vm_create(struct kvm_vm *vm, const char *device, const struct guest_mem *mem,
		  char errbuf[KVM_ERRBUF_SIZE]);

/* Release the vCPU, its mapping, the VM and the device, in reverse order. */
void kvm_vm_destroy(struct kvm_vm *vm);

#endif
