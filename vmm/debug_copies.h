/*
 * debug_copies.h - planted breakpoints that the guest copied elsewhere.
 *
 * A software breakpoint is a HLT byte written into guest RAM.  Boot loaders
 * copy their own code before running it (an MBR moves itself to 0x0600,
 * bootOS to 0x7A00), and the copy takes the planted HLT along: without
 * help, the copy's HLT would end the guest.  Every planted breakpoint
 * therefore keeps the bytes around it as they were when it was planted,
 * and so does every breakpoint removed recently (its copies may still be
 * there).  A HLT byte at an address with no breakpoint whose neighbours
 * match those bytes is a copied trap: the breakpoint's original byte is
 * put back there, and the instruction runs as the guest wrote it.
 *
 * The test compares up to TRAP_CONTEXT bytes on each side and needs
 * TRAP_MATCH_MIN of them, next to the HLT, to agree.  Only a copy makes a
 * HLT appear with the same neighbours as a breakpoint whose own byte was
 * not HLT; code that holds the same 8 bytes around a HLT of its own and
 * around a breakpoint on another instruction would be misread (docs/gdb.md).
 * Neighbours that are traps of ours still planted are no evidence: around
 * a guest HLT among one-byte lines that each carry a coverage trap, every
 * byte is a planted HLT, as it is around each of those traps.
 *
 * These functions see guest RAM and the breakpoint table only, never KVM,
 * so the unit tests drive them directly.
 */
#ifndef GDBVM_DEBUG_COPIES_H
#define GDBVM_DEBUG_COPIES_H

#include <stdbool.h>
#include <stdint.h>

#include "debug.h"
#include "memory.h"

/* Record the bytes around bp->addr (the guest's own: other planted
 * breakpoints show their original bytes) before the HLT is planted. */
void trap_context_take(struct trap_context *ctx, const struct debug_state *d,
		       const struct guest_mem *mem, uint64_t addr, uint8_t orig);

/* Keep ctx among the removed breakpoints whose copies may still exist. */
void trap_context_retire(struct debug_state *d, const struct trap_context *ctx);

/* Would the HLT at addr count as a copy of the trap ctx was recorded for,
 * once it is retired? */
bool trap_is_copy(const struct guest_mem *mem, const struct trap_context *ctx, uint64_t addr);

/*
 * Is the HLT byte at addr a copy of a planted (or recently removed)
 * breakpoint?  True with the original byte in *orig; false when the byte is
 * not HLT, when a breakpoint is planted at addr itself, or when nothing
 * matches (the guest's own HLT).
 */
bool trap_copy_original(const struct debug_state *d, const struct guest_mem *mem,
			uint64_t addr, uint8_t *orig);

/* Put the original byte back over every copied trap in [addr, addr+len);
 * returns how many were repaired. */
unsigned trap_copies_repair(const struct debug_state *d, struct guest_mem *mem, uint64_t addr,
			    uint64_t len);

/*
 * Breakpoints whose surroundings the guest rewrote while their HLT stayed
 * (or stayed HLT: bp->pending, a HLT stored over it): if the new bytes are
 * a copy of another planted breakpoint, the HLT is that one's copied trap
 * and its original byte is that one's (breakpoints on both sides of a
 * copy).  Otherwise the original stays (a pending one counts as the guest's
 * HLT until its copy is complete) and the new surroundings are recorded.
 */
void trap_pending_resolve(struct debug_state *d, const struct guest_mem *mem);
/* The same for the breakpoints in [addr, addr+len) only (addr may be a
 * little below 0, wrapped: the part from 0). */
void trap_pending_resolve_range(struct debug_state *d, const struct guest_mem *mem,
				uint64_t addr, uint64_t len);

#endif
