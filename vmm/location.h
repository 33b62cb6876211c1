/*
 * location.h - where the vCPU is, said the way its mode says it: the mode
 * (real, virtual-8086, protected 16/32-bit, long 64-bit or compatibility),
 * the paging registers as paging.h wants them, and the one text form of a location that --trace,
 * the crash reports and the signal messages all print:
 *
 *   real, virtual-8086, 16-bit protected   0000:1003 (linear 0x1003)
 *   32-bit protected, compatibility         0008:00001012 (linear 0x1012)
 *   64-bit                                  rip 0xffffffff80001000
 *
 * With paging on, the physical address follows (", physical 0x101000"), or
 * why the address does not translate (", page not present").  The linear
 * address is cpu.h's cpu_linear_pc.
 */
#ifndef GDBVM_LOCATION_H
#define GDBVM_LOCATION_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "memory.h"
#include "paging.h"

enum guest_mode {
	GUEST_REAL,
	GUEST_VM86,
	GUEST_PROT16,
	GUEST_PROT32,
	GUEST_COMPAT,	/* long mode, a 16- or 32-bit code segment */
	GUEST_LONG64,
};

enum guest_mode guest_mode(const struct kvm_regs *regs, const struct kvm_sregs *sregs);
/* "real mode", "protected mode, 32-bit code", "long mode, 64-bit code", ... */
const char *guest_mode_name(enum guest_mode mode);
/* CR0, CR3, CR4 and EFER from the special registers. */
struct paging_state guest_paging_state(const struct kvm_sregs *sregs);

/* The location text (see above) into buf, always NUL-terminated. */
void guest_format_location(char *buf, size_t len, const struct guest_mem *mem,
			   const struct kvm_regs *regs, const struct kvm_sregs *sregs);

#endif
