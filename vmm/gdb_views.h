/*
 * gdb_views.h - the register views gdb gets of the vCPU, one per CPU mode,
 * and where each of their registers lives in KVM's vCPU state.
 *
 * The stub's descriptions (gdbstub/regs.h) say what gdb sees; here one
 * table per view maps each of those registers to a field of kvm_regs,
 * kvm_sregs or kvm_fpu, so that reading and writing work the same for
 * every view.  Which view a mode gets (docs/gdb.md, "CPU modes"):
 *   real mode, virtual-8086, 16-bit code segments       i8086
 *   32-bit protected mode, compatibility mode (32-bit)  i386
 *   long mode with a 64-bit code segment                i386:x86-64
 * In the i8086 and i386 views the pc is linear (CS.base + IP); in the
 * amd64 view it is RIP.
 */
#ifndef GDBVM_GDB_VIEWS_H
#define GDBVM_GDB_VIEWS_H

#include <stdint.h>
#include <linux/kvm.h>

#include "regs.h"
#include "vcpu.h"


/* The view of the mode the special registers describe. */
const struct gdb_arch *gdb_view_of(const struct kvm_sregs *sregs);

/* All registers of view into buf (view->size bytes). */
void gdb_view_read(const struct gdb_arch *view, const struct cpu_state *s, uint8_t *buf);

/*
 * Set register regno of view in s from gdb's bytes.  0; -ENOENT for a
 * number outside the view; -ERANGE for a value the register cannot take
 * (a selector above 0xffff, a pc the current CS cannot reach); -EPERM for a
 * change to a read-only register (cr0, cr3, cr4, efer: writing the same
 * value is accepted, as a 'G' packet does).
 */
int gdb_view_write(const struct gdb_arch *view, struct cpu_state *s, unsigned regno,
		   const uint8_t *val);

/* How many registers view's location table maps (the unit tests check it
 * covers the view). */
unsigned gdb_view_table_len(const struct gdb_arch *view);

/* Set the pc of view (the "c ADDR" form). */
int gdb_view_set_pc(const struct gdb_arch *view, struct cpu_state *s, uint64_t pc);

#endif
