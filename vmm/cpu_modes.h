/*
 * cpu_modes.h - the CPU mode a guest starts in, and the vCPU state gdbvm
 * gives it: real mode (segments from selectors), 32-bit protected mode (the
 * flat segments of gdbvm's GDT, paging off) or 64-bit long mode (the same
 * plus gdbvm's identity-mapping page tables).  docs/modes.md describes the
 * state a guest finds; layout.h says where the GDT and page tables live.
 */
#ifndef GDBVM_CPU_MODES_H
#define GDBVM_CPU_MODES_H

#include <stdint.h>
#include <linux/kvm.h>

#include "cpu.h"
#include "regnames.h"

enum cpu_mode { CPU_MODE_REAL, CPU_MODE_PROTECTED, CPU_MODE_LONG };

/* "real", "protected", "long"; NULL for a bad value. */
const char *cpu_mode_name(enum cpu_mode mode);

/* Parse a --mode value. 0 or -EINVAL. */
int cpu_mode_parse(const char *s, enum cpu_mode *mode);

/* The selectors of gdbvm's GDT (layout.h places it). */
#define GDT_SEL_CODE32	0x08
#define GDT_SEL_DATA	0x10
#define GDT_SEL_CODE64	0x18
#define GDT_ENTRIES	4

/* The descriptors themselves, as the GDT holds them. */
extern const uint64_t gdt_descriptors[GDT_ENTRIES];

#define CR0_MP (UINT64_C(1) << 1)
#define CR0_ET (UINT64_C(1) << 4)
#define CR0_NE (UINT64_C(1) << 5)
#define CR0_PG (UINT64_C(1) << 31)
#define CR4_PAE (UINT64_C(1) << 5)
#define CR4_OSFXSR (UINT64_C(1) << 9)
#define CR4_OSXMMEXCPT (UINT64_C(1) << 10)
#define EFER_LME (UINT64_C(1) << 8)

/* How the vCPU starts. */
struct cpu_entry {
	enum cpu_mode mode;
	uint64_t rip;		/* real mode: the offset in real_cs; else linear */
	uint16_t real_cs;	/* real mode only */
	uint64_t gdt_base;	/* protected and long mode: where the GDT is */
	uint64_t cr3;		/* long mode: the top-level page table */
	uint64_t rax, rbx;	/* before --reg: Multiboot's magic and info address */
};

/*
 * Build the initial state for entry: sregs must hold KVM's reset state (or
 * what KVM_GET_SREGS gave).  The --reg assignments are applied last; the
 * caller has checked that they suit the mode (entry.h).
 */
void cpu_entry_state(struct kvm_regs *regs, struct kvm_sregs *sregs,
		     const struct cpu_entry *entry, const struct reg_assign *assigns,
		     unsigned nassigns);

/*
 * Read the vCPU's registers and set them to the initial state.  0, or
 * -errno with *failed naming the ioctl that failed.
 */
int cpu_setup(int vcpu_fd, const struct cpu_entry *entry, const struct reg_assign *assigns,
	      unsigned nassigns, const char **failed);

#endif
