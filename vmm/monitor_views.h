/*
 * monitor_views.h - the monitor commands that show how the guest sees
 * memory and itself: `info mode`, `info gdt`, `info idt`, `info tab` (the
 * page tables as mapped ranges) and `translate ADDR` (each level of one
 * walk).  Everything is read from guest RAM through memory.h and paging.h,
 * so hostile tables (loops, entries pointing outside RAM, huge mappings)
 * cost bounded work and bounded output.  The text formats are in
 * docs/gdb.md; the tests compare them exactly.
 */
#ifndef GDBVM_MONITOR_VIEWS_H
#define GDBVM_MONITOR_VIEWS_H

#include <linux/kvm.h>

#include "memory.h"

/* Where the views' lines go: one call per line, ending in "\n". */
struct view_out {
	void (*line)(void *ctx, const char *text);
	void *ctx;
};

/* At most this many ranges, descriptors or gates are printed. */
#define VIEW_MAX_LINES 64
/* At most this many page-table entries are read by `info tab`. */
#define VIEW_MAX_ENTRIES (1u << 20)

void view_mode(const struct view_out *o, const struct kvm_regs *regs,
	       const struct kvm_sregs *sregs);
void view_gdt(const struct view_out *o, const struct guest_mem *mem,
	      const struct kvm_sregs *sregs);
void view_idt(const struct view_out *o, const struct guest_mem *mem,
	      const struct kvm_regs *regs, const struct kvm_sregs *sregs);
void view_tab(const struct view_out *o, const struct guest_mem *mem,
	      const struct kvm_sregs *sregs);
/* 0, or -EINVAL when arg is not a number. */
int view_translate(const struct view_out *o, const struct guest_mem *mem,
		   const struct kvm_sregs *sregs, const char *arg);

#endif
