/*
 * kvm.c - VM and vCPU creation and teardown (see kvm.h).
 */
#include "kvm.h"
#include "cpuid.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Where KVM may put the three pages of its real-mode TSS on Intel hosts
 * without unrestricted guest support: just below 4G, far above any RAM
 * gdbvm maps (at most 3G), as QEMU and kvmtool do. */
#define KVM_TSS_ADDR 0xfffbd000UL

static int fail(char *errbuf, int err, const char *fmt, const char *arg)
{
	char what[160];

	snprintf(what, sizeof(what), fmt, arg);
	snprintf(errbuf, KVM_ERRBUF_SIZE, "%s: %s", what, strerror(err));
	return -err;
}

void kvm_vm_init(struct kvm_vm *vm)
{
	vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = -1;
	vm->run = NULL;
	vm->run_size = 0;
}

static int open_device(struct kvm_vm *vm, const char *device, char *errbuf)
{
	int version, err;

	vm->kvm_fd = open(device, O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		err = errno;
		fail(errbuf, err, "cannot open %s", device);
		if (err == ENOENT || err == EACCES || err == EPERM || err == ENODEV ||
		    err == ENXIO) {
			size_t used = strlen(errbuf);

			snprintf(errbuf + used, KVM_ERRBUF_SIZE - used,
				 " (is KVM enabled and do you have access to it?)");
		}
		return -err;
	}
	version = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (version < 0)
		return fail(errbuf, errno, "KVM_GET_API_VERSION on %s failed", device);
	if (version != KVM_API_VERSION) {
		snprintf(errbuf, KVM_ERRBUF_SIZE,
			 "%s speaks KVM API version %d; gdbvm needs version %d", device,
			 version, KVM_API_VERSION);
		return -EPROTO;
	}
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) <= 0) {
		snprintf(errbuf, KVM_ERRBUF_SIZE,
			 "%s lacks KVM_CAP_USER_MEMORY, which gdbvm needs", device);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int create_vm(struct kvm_vm *vm, const struct guest_mem *mem, char *errbuf)
{
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = mem->size,
		.userspace_addr = (uintptr_t)mem->host,
	};

	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return fail(errbuf, errno, "KVM_CREATE_VM failed%s", "");
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_TSS_ADDR) > 0 &&
	    ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR) < 0)
		return fail(errbuf, errno, "KVM_SET_TSS_ADDR failed%s", "");
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail(errbuf, errno, "KVM_SET_USER_MEMORY_REGION (guest RAM) failed%s", "");
	return 0;
}

static int create_vcpu(struct kvm_vm *vm, char *errbuf)
{
	const char *failed;
	int size, err;
	void *run;

	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		return fail(errbuf, errno, "KVM_CREATE_VCPU failed%s", "");
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < 0)
		return fail(errbuf, errno, "KVM_GET_VCPU_MMAP_SIZE failed%s", "");
	if ((size_t)size < sizeof(struct kvm_run)) {
		snprintf(errbuf, KVM_ERRBUF_SIZE,
			 "KVM_GET_VCPU_MMAP_SIZE returned %d, smaller than struct kvm_run", size);
		return -EPROTO;
	}
	run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (run == MAP_FAILED)
		return fail(errbuf, errno, "cannot map the vCPU's kvm_run area%s", "");
	vm->run = run;
	vm->run_size = (size_t)size;
	/* Before any register is set: KVM checks EFER against the CPUID. */
	err = cpuid_setup(vm->kvm_fd, vm->vcpu_fd, &failed);
	if (err)
		return fail(errbuf, -err, "%s failed (the guest's CPUID)", failed);
	return 0;
}

int kvm_vm_create(struct kvm_vm *vm, const char *device, const struct guest_mem *mem,
		  char errbuf[KVM_ERRBUF_SIZE])
{
	int err;

	kvm_vm_init(vm);
	err = open_device(vm, device, errbuf);
	if (!err)
		err = create_vm(vm, mem, errbuf);
	if (!err)
		err = create_vcpu(vm, errbuf);
	if (err)
		kvm_vm_destroy(vm);
	return err;
}

void kvm_vm_destroy(struct kvm_vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	kvm_vm_init(vm);
}
