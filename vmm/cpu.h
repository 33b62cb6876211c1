/*
 * cpu.h - vCPU register state: real-mode set-up at start and the
 * register accessors the rest of the VMM uses (cpu_modes.h builds the
 * protected and long mode states on the real-mode one).
 */
#ifndef GDBVM_CPU_H
#define GDBVM_CPU_H

#include <stdint.h>
#include <linux/kvm.h>

#include "regnames.h"

#define RFLAGS_RESERVED_1 (UINT64_C(1) << 1) /* bit 1 of RFLAGS always reads 1 */
#define CR0_PE (UINT64_C(1) << 0)

/* Put a real-mode selector and the base it implies into a segment. */
void cpu_real_mode_segment(struct kvm_segment *seg, uint16_t selector);

/*
 * Build the initial register state: the reset state KVM gives, every
 * segment in real mode with base = selector * 16, CS:IP at the entry point,
 * then the --reg assignments in order.
 */
void cpu_initial_state(struct kvm_regs *regs, struct kvm_sregs *sregs, uint16_t entry_seg,
		       uint16_t entry_off, const struct reg_assign *assigns, unsigned nassigns);

/* Apply --reg assignments (segment values as real-mode selectors). */
void cpu_apply_assigns(struct kvm_regs *regs, struct kvm_sregs *sregs,
		       const struct reg_assign *assigns, unsigned nassigns);

#define EFER_LMA (UINT64_C(1) << 10)

/* Linear address of CS:IP (CS.base + IP, which is what KVM fetches); in
 * 64-bit code, RIP itself (CS.base does not apply). */
static inline uint64_t cpu_linear_pc(const struct kvm_regs *regs, const struct kvm_sregs *sregs)
{
	if ((sregs->efer & EFER_LMA) && sregs->cs.l)
		return regs->rip;
	if (sregs->cr0 & CR0_PE)
		return (sregs->cs.base + regs->rip) & 0xffffffff;
	return sregs->cs.base + (regs->rip & 0xffff);
}

#endif
