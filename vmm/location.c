/*
 * location.c - the vCPU's mode and the text of a location (see location.h).
 */
#include "location.h"
#include "cpu.h"

#include <stdio.h>

#define RFLAGS_VM (UINT64_C(1) << 17)

enum guest_mode guest_mode(const struct kvm_regs *regs, const struct kvm_sregs *sregs)
{
	if (!(sregs->cr0 & PAGING_CR0_PE))
		return GUEST_REAL;
	if (sregs->efer & PAGING_EFER_LMA)
		return sregs->cs.l ? GUEST_LONG64 : GUEST_COMPAT;
	if (regs->rflags & RFLAGS_VM)
		return GUEST_VM86;
	return sregs->cs.db ? GUEST_PROT32 : GUEST_PROT16;
}

const char *guest_mode_name(enum guest_mode mode)
{
	static const char *const names[] = {
		[GUEST_REAL] = "real mode",
		[GUEST_VM86] = "virtual-8086 mode",
		[GUEST_PROT16] = "protected mode, 16-bit code",
		[GUEST_PROT32] = "protected mode, 32-bit code",
		[GUEST_COMPAT] = "long mode, compatibility-mode code",
		[GUEST_LONG64] = "long mode, 64-bit code",
	};

	return (unsigned)mode < sizeof(names) / sizeof(names[0]) ? names[mode] : "unknown mode";
}

struct paging_state guest_paging_state(const struct kvm_sregs *sregs)
{
	return (struct paging_state){
		.cr0 = sregs->cr0, .cr3 = sregs->cr3, .cr4 = sregs->cr4, .efer = sregs->efer,
	};
}

void guest_format_location(char *buf, size_t len, const struct guest_mem *mem,
			   const struct kvm_regs *regs, const struct kvm_sregs *sregs)
{
	enum guest_mode mode = guest_mode(regs, sregs);
	uint64_t linear = cpu_linear_pc(regs, sregs);
	struct paging_state st = guest_paging_state(sregs);
	char phys[64] = "";
	int n;

	if (paging_mode(&st) != PAGING_OFF) {
		struct paging_walk walk;
		int err = paging_translate(mem, &st, linear, &walk);

		if (err)
			snprintf(phys, sizeof(phys), ", %s", paging_strerror(err));
		else
			snprintf(phys, sizeof(phys), ", physical 0x%llx",
				 (unsigned long long)walk.phys);
	}
	switch (mode) {
	case GUEST_LONG64:
		n = snprintf(buf, len, "rip 0x%llx", (unsigned long long)regs->rip);
		if (*phys && n >= 0 && (size_t)n < len)
			snprintf(buf + n, len - (size_t)n, " (%s)", phys + 2);
		return;
	case GUEST_PROT32:
	case GUEST_COMPAT:
		snprintf(buf, len, "%04x:%08llx (linear 0x%llx%s)", sregs->cs.selector,
			 (unsigned long long)(regs->rip & 0xffffffff), (unsigned long long)linear,
			 phys);
		return;
	default:
		snprintf(buf, len, "%04x:%04llx (linear 0x%llx%s)", sregs->cs.selector,
			 (unsigned long long)(regs->rip & 0xffff), (unsigned long long)linear, phys);
		return;
	}
}
