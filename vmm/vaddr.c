/*
 * vaddr.c - gdb's linear addresses to guest-physical ones (see vaddr.h).
 */
#include "vaddr.h"

#include <errno.h>

int vaddr_translate(const struct guest_mem *mem, const struct paging_state *st,
		    uint64_t linear, uint64_t *phys, uint64_t *room, struct paging_rights *rights)
{
	struct paging_walk walk;

	if (rights)
		*rights = (struct paging_rights){ 1, 1, 0 };
	if (paging_mode(st) == PAGING_OFF) {
		*phys = linear;
		*room = linear ? 0 - linear : UINT64_MAX;	/* to the top of the address space */
		return 0;
	}
	if (paging_translate(mem, st, linear, &walk) < 0)
		return -EFAULT;
	*phys = walk.phys;
	*room = walk.page_size - (walk.phys & (walk.page_size - 1));
	if (rights)
		*rights = paging_walk_rights(st, &walk);
	return 0;
}

size_t vaddr_for_each(const struct guest_mem *mem, const struct paging_state *st,
		      uint64_t linear, size_t len, vaddr_fn fn, void *ctx, int *err)
{
	size_t done = 0;

	*err = 0;
	while (done < len) {
		uint64_t phys, room;
		size_t n;

		if (vaddr_translate(mem, st, linear + done, &phys, &room, NULL) < 0) {
			*err = -EFAULT;
			break;
		}
		n = room < len - done ? (size_t)room : len - done;
		if (fn) {
			int e = fn(ctx, phys, done, n);

			if (e) {
				*err = e;
				break;
			}
		}
		done += n;
	}
	return done;
}
