/*
 * debug_probe.c - does this KVM deliver debug-register exits, and int3?
 * Each found out once, in a scratch VM, and cached in the debug state.
 */
#include "debug.h"
#include "debug_internal.h"
#include "cpu_modes.h"
#include "kvm.h"
#include "memory.h"

#include <sys/ioctl.h>

/* ---- host probes: does this KVM deliver debug-register exits? ---- */

/*
 * Run real-mode code at 0x1000 in a scratch VM under guest debug state dbg
 * and report whether KVM_EXIT_DEBUG arrives (rather than the final HLT),
 * with what it said in *exit.  Vector 3 of the IVT leads to a HLT at
 * 0x1100, so an int3 the guest takes itself ends the probe too.
 */
static enum host_support probe_run(const char *device, const uint8_t *code, size_t len,
				   const struct kvm_guest_debug *dbg,
				   struct kvm_debug_exit_arch *exit)
{
	static const uint8_t ivt3[4] = { 0x00, 0x11, 0x00, 0x00 };	/* 0000:1100 */
	static const uint8_t hlt = HLT_OPCODE;
	struct guest_mem mem = { 0 };
	struct kvm_vm vm;
	char errbuf[KVM_ERRBUF_SIZE];
	const char *failed;
	enum host_support result = HOST_NO;
	const struct cpu_entry probe_entry = { .mode = CPU_MODE_REAL, .rip = 0x1000 };

	kvm_vm_init(&vm);
	if (mem_alloc(&mem, 64 * 1024) < 0)
		return HOST_UNKNOWN;
	mem_write(&mem, 0x1000, code, len);
	mem_write(&mem, 3 * 4, ivt3, sizeof(ivt3));
	mem_write(&mem, 0x1100, &hlt, 1);
	if (kvm_vm_create(&vm, device, &mem, errbuf) < 0 ||
	    cpu_setup(vm.vcpu_fd, &probe_entry, NULL, 0, &failed) < 0) {
		result = HOST_UNKNOWN;
		goto out;
	}
	if (ioctl(vm.vcpu_fd, KVM_SET_GUEST_DEBUG, dbg) < 0) {
		result = HOST_NO;
		goto out;
	}
	for (int i = 0; i < 16; i++) {
		if (ioctl(vm.vcpu_fd, KVM_RUN, 0) < 0)
			break;
		if (vm.run->exit_reason == KVM_EXIT_DEBUG) {
			*exit = vm.run->debug.arch;
			result = HOST_YES;
			break;
		}
		if (vm.run->exit_reason != KVM_EXIT_IO && vm.run->exit_reason != KVM_EXIT_MMIO)
			break;
	}
out:
	kvm_vm_destroy(&vm);
	mem_free(&mem);
	return result;
}

/* One debug register armed: does it fire (DR6 says DR0)? */
static enum host_support probe(const char *device, const uint8_t *code, size_t len,
			       uint64_t dr0, uint64_t dr7)
{
	struct kvm_guest_debug dbg = { 0 };
	struct kvm_debug_exit_arch exit = { 0 };
	enum host_support r;

	dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
	dbg.arch.debugreg[0] = dr0;
	dbg.arch.debugreg[7] = dr7;
	r = probe_run(device, code, len, &dbg, &exit);
	return r == HOST_YES && !(exit.dr6 & 1) ? HOST_NO : r;
}

enum host_support debug_host_hw_exec(struct debug_state *d)
{
	static const uint8_t code[] = { 0x90, 0x90, 0xf4 };	/* nop; nop; hlt */

	if (d->hw_exec == HOST_UNKNOWN)
		d->hw_exec = probe(d->kvm_device, code, sizeof(code), 0x1001,
				   DR7_LOCAL_ENABLE(0));
	return d->hw_exec;
}

enum host_support debug_host_hw_data(struct debug_state *d)
{
	/* mov al, [0x2000]; hlt */
	static const uint8_t code[] = { 0xa0, 0x00, 0x20, 0xf4 };

	if (d->hw_data == HOST_UNKNOWN)
		d->hw_data = probe(d->kvm_device, code, sizeof(code), 0x2000,
				   DR7_LOCAL_ENABLE(0) | DR7_RW_ACCESS << DR7_RW_SHIFT(0));
	return d->hw_data;
}

#define VECTOR_BP 3

enum host_support debug_host_int3(struct debug_state *d)
{
	/* nop; int3; hlt: the int3 is at 0x1001. */
	static const uint8_t code[] = { 0x90, INT3_OPCODE, HLT_OPCODE };
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP };
	struct kvm_debug_exit_arch exit = { 0 };

	if (d->sw_int3 != HOST_UNKNOWN)
		return d->sw_int3;
	d->sw_int3 = probe_run(d->kvm_device, code, sizeof(code), &dbg, &exit);
	if (d->sw_int3 == HOST_YES) {
		/* The pc at the int3 or just past it; anything else is a host
		 * we do not understand, and int3 is not used there. */
		if (exit.exception == VECTOR_BP && (exit.pc == 0x1001 || exit.pc == 0x1002))
			d->int3_pc_after = (uint8_t)(exit.pc - 0x1001);
		else
			d->sw_int3 = HOST_NO;
	}
	return d->sw_int3;
}
