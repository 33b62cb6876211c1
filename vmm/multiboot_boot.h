/*
 * multiboot_boot.h - booting GUEST as a Multiboot kernel from main.c:
 * the decision (before RAM exists) and the preparation (after).
 * docs/multiboot.md describes both.
 */
#ifndef GDBVM_MULTIBOOT_BOOT_H
#define GDBVM_MULTIBOOT_BOOT_H

#include <stdio.h>

#include "cpu_modes.h"
#include "memory.h"
#include "options.h"

/* RAM for a Multiboot kernel when -m does not say: kernels live at 1 MiB
 * and above, past the 1M default; QEMU gives 128 MiB. */
#define MULTIBOOT_MEM_DEFAULT (UINT64_C(128) << 20)

/*
 * Without --mode, a GUEST with a Multiboot header boots as a Multiboot
 * kernel: set cfg->multiboot, the protected mode and the default RAM.
 * 0; or after a "gdbvm: ..." line on err -ENOEXEC for a broken header,
 * -EINVAL when the options do not suit the guest (--append or --module
 * for anything but a Multiboot kernel, --load or --entry for one).
 */
int multiboot_configure(struct config *cfg, FILE *err);

/*
 * Load the kernel and its modules, write the information structure and
 * the GDT into the gdbvm area, and fill *entry: protected mode at the
 * kernel's entry point, EAX = 0x2BADB002 (0x36D76289 for Multiboot 2),
 * EBX = the information's address.
 * 0, or -errno after a "gdbvm: ..." line on err.
 */
int multiboot_prepare(struct config *cfg, struct guest_mem *mem, struct cpu_entry *entry,
		      FILE *err);

#endif
