/*
 * delivery.h - what the guest was doing when KVM gave up on it: delivering
 * an interrupt or exception (int n, int3, into, int1, or an exception KVM
 * had injected or queued), returning from one (iret), or turning paging on
 * outside long mode.  Worked out from KVM_GET_VCPU_EVENTS and the bytes of
 * the instruction at the instruction pointer; report.c says it in words.
 *
 * Also which kind of host this is: the kvm_pvm module (KVM's instruction
 * emulator runs the guest) cannot deliver an interrupt or exception through
 * a protected-mode or long-mode IDT in the cases docs/modes.md lists, where
 * Intel VT-x and AMD-V can.
 */
#ifndef GDBVM_DELIVERY_H
#define GDBVM_DELIVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

enum guest_doing {
	DOING_UNKNOWN,		/* nothing recognised */
	DOING_SOFT_INT,		/* int n, int3, into, int1: vector */
	DOING_EXCEPTION,	/* an exception KVM had injected or queued: vector,
				 * error code, CR2 for a page fault */
	DOING_IRET,		/* iret / iretd / iretq */
	DOING_PAGING_ON,	/* mov to CR0 setting PG, outside long mode */
	DOING_INTERRUPT,	/* an external interrupt (a device's IRQ) that
				 * gdbvm had injected: vector */
};

struct guest_event {
	enum guest_doing doing;
	uint8_t vector;
	bool has_error_code;
	uint32_t error_code;
	bool has_cr2;
	uint64_t cr2;
	char insn[16];		/* "int 0x80", "int3", "iretq", "mov cr0" ... */
};

/*
 * Decode the instruction at the pc (code, n bytes; long64 in 64-bit mode,
 * where REX prefixes exist) into ev: the software interrupts, iret, and a
 * mov to CR0 whose source register (from regs) sets PG.  Anything else,
 * truncated bytes included, leaves DOING_UNKNOWN.
 */
void delivery_decode(const uint8_t *code, size_t n, bool long64, const struct kvm_regs *regs,
		     struct guest_event *ev);

/* An exception in KVM's event state (injected or pending) into ev, with
 * CR2 for a page fault (the payload when KVM kept one there, else cr2);
 * else an injected interrupt: a device's (DOING_INTERRUPT) or, when KVM
 * marks it soft, an int n (DOING_SOFT_INT). */
bool delivery_from_events(const struct kvm_vcpu_events *events, uint64_t cr2,
			  struct guest_event *ev);

/* VT-x's IDT-vectoring information, which KVM passes as the first data
 * word of a KVM_INTERNAL_ERROR_DELIVERY_EV exit: the event it was delivering
 * (bit 31 valid, bits 10:8 the type, 7:0 the vector) into ev. */
bool delivery_from_vectoring(uint64_t info, struct guest_event *ev);

/* The short name of an exception vector: "#DE", "#PF", ... or NULL. */
const char *delivery_vector_name(uint8_t vector);

/* True when /dev/kvm is served by the kvm_pvm module (a directory
 * /sys/module/kvm_pvm).  sysfs_root is "/sys" except in tests. */
bool delivery_host_is_pvm(const char *sysfs_root);

#endif
