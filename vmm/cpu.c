/*
 * cpu.c - vCPU register set-up for real mode (see cpu.h).
 */
#include "cpu.h"

#include <errno.h>
#include <stddef.h>

void cpu_real_mode_segment(struct kvm_segment *seg, uint16_t selector)
{
	seg->selector = selector;
	seg->base = (uint64_t)selector << 4;
}

static struct kvm_segment *sreg_for(struct kvm_sregs *sregs, enum reg_id id)
{
	switch (id) {
	case VREG_CS: return &sregs->cs;
	case VREG_DS: return &sregs->ds;
	case VREG_ES: return &sregs->es;
	case VREG_SS: return &sregs->ss;
	case VREG_FS: return &sregs->fs;
	case VREG_GS: return &sregs->gs;
	default: return NULL;
	}
}

static __u64 *gpr_for(struct kvm_regs *regs, enum reg_id id)
{
	switch (id) {
	case VREG_RAX: return &regs->rax;
	case VREG_RBX: return &regs->rbx;
	case VREG_RCX: return &regs->rcx;
	case VREG_RDX: return &regs->rdx;
	case VREG_RSI: return &regs->rsi;
	case VREG_RDI: return &regs->rdi;
	case VREG_RSP: return &regs->rsp;
	case VREG_RBP: return &regs->rbp;
	case VREG_RIP: return &regs->rip;
	case VREG_RFLAGS: return &regs->rflags;
	case VREG_R8: return &regs->r8;
	case VREG_R9: return &regs->r9;
	case VREG_R10: return &regs->r10;
	case VREG_R11: return &regs->r11;
	case VREG_R12: return &regs->r12;
	case VREG_R13: return &regs->r13;
	case VREG_R14: return &regs->r14;
	case VREG_R15: return &regs->r15;
	default: return NULL;
	}
}

void cpu_apply_assigns(struct kvm_regs *regs, struct kvm_sregs *sregs,
		       const struct reg_assign *assigns, unsigned nassigns)
{
	for (unsigned i = 0; i < nassigns; i++) {
		const struct reg_name *r = assigns[i].reg;
		struct kvm_segment *seg = sreg_for(sregs, r->id);
		__u64 *gpr = gpr_for(regs, r->id);

		if (seg)
			cpu_real_mode_segment(seg, (uint16_t)assigns[i].value);
		else if (gpr)
			*gpr = reg_field_insert(*gpr, r, assigns[i].value);
	}
	regs->rflags |= RFLAGS_RESERVED_1;
}

void cpu_initial_state(struct kvm_regs *regs, struct kvm_sregs *sregs, uint16_t entry_seg,
		       uint16_t entry_off, const struct reg_assign *assigns, unsigned nassigns)
{
	struct kvm_segment *segs[] = { &sregs->cs, &sregs->ds, &sregs->es,
				       &sregs->ss, &sregs->fs, &sregs->gs };

	/* KVM's reset state is already real mode (CR0.PE clear, 64K limits);
	 * only the selectors and bases differ from what a flat guest wants. */
	for (unsigned i = 0; i < sizeof(segs) / sizeof(segs[0]); i++)
		cpu_real_mode_segment(segs[i], 0);
	cpu_real_mode_segment(&sregs->cs, entry_seg);
	*regs = (struct kvm_regs){ .rip = entry_off, .rflags = RFLAGS_RESERVED_1 };
	cpu_apply_assigns(regs, sregs, assigns, nassigns);
}
