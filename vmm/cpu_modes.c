/*
 * cpu_modes.c - the initial vCPU state of each CPU mode (see cpu_modes.h).
 *
 * Protected mode builds on the real-mode state (segments, registers, --reg),
 * and long mode on protected mode, so each adds only what it changes.
 */
#include "cpu_modes.h"
#include "cpu.h"
#include "vcpu.h"

#include <errno.h>
#include <string.h>

/*
 * Flat descriptors: base 0, limit 0xFFFFF in 4 KiB units, present, ring 0,
 * accessed already set (so the CPU never writes the GDT to set it).
 * Code32: D=1, execute/read.  Data: B=1, read/write.  Code64: L=1, D=0.
 */
const uint64_t gdt_descriptors[GDT_ENTRIES] = {
	0,
	UINT64_C(0x00cf9b000000ffff),
	UINT64_C(0x00cf93000000ffff),
	UINT64_C(0x00af9b000000ffff),
};

static const char *const mode_names[] = {
	[CPU_MODE_REAL] = "real",
	[CPU_MODE_PROTECTED] = "protected",
	[CPU_MODE_LONG] = "long",
};

const char *cpu_mode_name(enum cpu_mode mode)
{
	return (unsigned)mode < sizeof(mode_names) / sizeof(mode_names[0]) ? mode_names[mode]
									     : NULL;
}

int cpu_mode_parse(const char *s, enum cpu_mode *mode)
{
	for (unsigned i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (strcmp(s, mode_names[i]) == 0) {
			*mode = (enum cpu_mode)i;
			return 0;
		}
	return -EINVAL;
}

/* A segment register loaded from one of gdbvm's flat descriptors. */
static struct kvm_segment flat_segment(uint16_t selector)
{
	uint64_t d = gdt_descriptors[selector >> 3];

	return (struct kvm_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = selector,
		.type = (uint8_t)((d >> 40) & 0xf),
		.present = 1,
		.dpl = 0,
		.db = (uint8_t)((d >> 54) & 1),
		.s = 1,
		.l = (uint8_t)((d >> 53) & 1),
		.g = 1,
	};
}

static void protected_mode_state(struct kvm_sregs *s, const struct cpu_entry *e)
{
	struct kvm_segment data = flat_segment(GDT_SEL_DATA);

	s->cs = flat_segment(GDT_SEL_CODE32);
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	s->gdt = (struct kvm_dtable){ .base = e->gdt_base, .limit = GDT_ENTRIES * 8 - 1 };
	/* No IDT until the guest loads one: a fault before then is a triple
	 * fault that gdbvm reports, not a jump through the real-mode IVT. */
	s->idt = (struct kvm_dtable){ .base = 0, .limit = 0 };
	/* Caches on (CD and NW clear), x87 errors reported natively. */
	s->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE;
	s->cr4 = 0;
	s->efer = 0;
}

static void long_mode_state(struct kvm_sregs *s, const struct cpu_entry *e)
{
	protected_mode_state(s, e);
	s->cs = flat_segment(GDT_SEL_CODE64);
	s->cr3 = e->cr3;
	/* SSE on as well: x86-64 code from a C compiler uses it freely. */
	s->cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	s->efer = EFER_LME | EFER_LMA;
	s->cr0 |= CR0_PG;
}

void cpu_entry_state(struct kvm_regs *regs, struct kvm_sregs *sregs,
		     const struct cpu_entry *entry, const struct reg_assign *assigns,
		     unsigned nassigns)
{
	struct reg_assign preset[2] = {
		{ reg_name_find("rax"), entry->rax },
		{ reg_name_find("rbx"), entry->rbx },
	};

	/* The real-mode builder sets CS:IP, clears the general registers and
	 * applies assignments: first the presets, then the user's. */
	cpu_initial_state(regs, sregs, entry->real_cs, 0, preset, 2);
	regs->rip = entry->rip;
	if (entry->mode == CPU_MODE_PROTECTED)
		protected_mode_state(sregs, entry);
	else if (entry->mode == CPU_MODE_LONG)
		long_mode_state(sregs, entry);
	cpu_apply_assigns(regs, sregs, assigns, nassigns);
}

int cpu_setup(int vcpu_fd, const struct cpu_entry *entry, const struct reg_assign *assigns,
	      unsigned nassigns, const char **failed)
{
	struct cpu_state s;
	int err = vcpu_get(vcpu_fd, &s, VCPU_SREGS, failed);

	if (err)
		return err;
	cpu_entry_state(&s.regs, &s.sregs, entry, assigns, nassigns);
	err = vcpu_set(vcpu_fd, &s, VCPU_SREGS | VCPU_REGS, failed);
	if (!err)
		*failed = NULL;
	return err;
}
