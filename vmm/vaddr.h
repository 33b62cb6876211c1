/*
 * vaddr.h - the addresses gdb uses, turned into guest-physical ones.
 *
 * gdb's addresses are linear (CS.base + IP in real mode, RIP in long mode).
 * With paging off they are physical already (today's model, unchanged);
 * with CR0.PG set they go through the guest's page tables (paging.h), one
 * page at a time, since neighbouring virtual pages may lie anywhere.  A
 * page that does not translate ends the access: gdb gets what lay before
 * it, or an error, never host memory.
 *
 * KVM_TRANSLATE would do the same walk in the kernel, but it costs an
 * ioctl per page, and (docs/gdb.md) gdbvm's own walk is what the unit
 * tests can check; both were measured to agree on this host.
 */
#ifndef GDBVM_VADDR_H
#define GDBVM_VADDR_H

#include <stddef.h>
#include <stdint.h>

#include "memory.h"
#include "paging.h"

/*
 * The physical address of linear, and in *room how many bytes from there
 * belong to the same page (with paging off: all of them).  0, or -EFAULT
 * when the address does not translate.  rights may be NULL.
 */
int vaddr_translate(const struct guest_mem *mem, const struct paging_state *st,
		    uint64_t linear, uint64_t *phys, uint64_t *room, struct paging_rights *rights);

/*
 * Call fn on each piece of [linear, linear + len) that lies in one page, in
 * order: phys is where the piece is, off its offset in the range.  Stops at
 * the first piece that does not translate (*err = -EFAULT) or for which fn
 * returns an error (*err = it).  Returns the bytes handled before that
 * (len when all went well, *err = 0).  fn may be NULL: translate only.
 */
typedef int (*vaddr_fn)(void *ctx, uint64_t phys, size_t off, size_t n);
size_t vaddr_for_each(const struct guest_mem *mem, const struct paging_state *st,
		      uint64_t linear, size_t len, vaddr_fn fn, void *ctx, int *err);

#endif
