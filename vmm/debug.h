/*
 * debug.h - the debugger's view of the VM: breakpoint and watchpoint
 * tables, and how each is carried out on the host.
 *
 * - Software breakpoints plant HLT (0xf4): with no in-kernel irqchip HLT
 *   exits to the VMM on every KVM host, where int3 with KVM_GUESTDBG_USE_SW_BP
 *   does not (kvm_pvm hands it to the guest).  A HLT exit one byte past a
 *   planted address is a breakpoint hit; any other HLT is the guest's own.
 * - Hardware breakpoints use the four debug registers (KVM_GUESTDBG_USE_HW_BP).
 * - Write watchpoints make the watched pages a read-only memory slot: every
 *   guest write to them becomes KVM_EXIT_MMIO, which the VMM carries out
 *   and checks against the watched ranges.  Reads and fetches run freely.
 * - Read and access watchpoints use data debug registers, where the host
 *   delivers them (probed once, on first use).
 * The kvm_guest_debug state and the memory slots are rebuilt from the tables
 * after every change, never patched.
 */
#ifndef GDBVM_DEBUG_H
#define GDBVM_DEBUG_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/kvm.h>

struct machine;

#define DEBUG_MAX_SW_BP 256
#define DEBUG_NUM_HW 4
#define DEBUG_MAX_WATCH 32
#define DEBUG_MAX_SLOTS 128
#define HLT_OPCODE 0xf4

enum debug_kind {
	DEBUG_SW_BP,
	DEBUG_HW_BP,
	DEBUG_WATCH_WRITE,
	DEBUG_WATCH_READ,
	DEBUG_WATCH_ACCESS,
};

struct sw_breakpoint {
	uint64_t addr;
	uint8_t orig;		/* the guest's byte under the planted HLT */
};

struct hw_slot {
	bool used;
	enum debug_kind kind;	/* HW_BP, WATCH_READ or WATCH_ACCESS */
	uint64_t addr;
	uint64_t len;		/* 1, 2, 4 or 8 for data breakpoints */
};

struct write_watch {
	uint64_t addr;
	uint64_t len;
};

/* Whether the host delivers a debug feature: unknown until probed. */
enum host_support { HOST_UNKNOWN, HOST_YES, HOST_NO };

struct debug_state {
	struct sw_breakpoint sw[DEBUG_MAX_SW_BP];
	unsigned nsw;
	struct hw_slot hw[DEBUG_NUM_HW];
	struct write_watch ww[DEBUG_MAX_WATCH];
	unsigned nww;
	bool single_step;
	bool step_over;		/* hardware breakpoints off for one step */
	/* What KVM_SET_GUEST_DEBUG last set: applying the same state again
	 * costs no ioctl, so a run of stepi leaves single-step on in between. */
	struct kvm_guest_debug applied;
	bool applied_valid;
	unsigned nslots;	/* memory slots now registered */
	enum host_support hw_exec, hw_data, readonly_mem;
	const char *kvm_device;	/* for the probes */
};

void debug_init(struct debug_state *d, const char *kvm_device);

/* Insert or remove; 0, -ENOSPC, -EOPNOTSUPP (host cannot), -EFAULT, -EINVAL. */
int debug_insert(struct machine *m, enum debug_kind kind, uint64_t addr, uint64_t len);
int debug_remove(struct machine *m, enum debug_kind kind, uint64_t addr, uint64_t len);
void debug_remove_all(struct machine *m);

/* Push single-step and hardware breakpoints into KVM_SET_GUEST_DEBUG, unless
 * KVM has that state already.  Every KVM_RUN under a debugger comes after
 * one (debug_run.c), so changing the flags alone never reaches the vCPU. */
int debug_apply(struct machine *m);

/* The planted breakpoint at addr, or NULL. */
struct sw_breakpoint *debug_sw_at(struct debug_state *d, uint64_t addr);

/* Is a hardware execution breakpoint set at addr? */
bool debug_hw_exec_at(const struct debug_state *d, uint64_t addr);

/* Put the guest's own bytes back over planted HLTs in a copy of memory. */
void debug_unplant_copy(const struct debug_state *d, uint64_t addr, uint8_t *buf, uint64_t len);

/* A debugger write to guest memory: planted bytes stay planted, the
 * guest's byte under them takes the new value. 0 or -EFAULT. */
int debug_write_memory(struct machine *m, uint64_t addr, const uint8_t *buf, uint64_t len);

/*
 * After a run: a planted HLT the guest has stored over gives its place to
 * the guest's byte (what memory reads show and removal restores), and is
 * planted again, so the breakpoint holds as gdb expects.  A guest that
 * stores 0xf4 there itself cannot be told from the breakpoint.
 */
void debug_adopt_guest_writes(struct machine *m);

/* Temporarily restore / replant one software breakpoint (step-over). */
void debug_unplant(struct machine *m, struct sw_breakpoint *bp);
void debug_replant(struct machine *m, struct sw_breakpoint *bp);

/* Is addr inside a page made read-only for a write watchpoint? */
bool debug_in_watched_page(const struct debug_state *d, uint64_t addr, uint64_t len);

/* The first write watchpoint [addr, addr+len) overlaps, or NULL. */
const struct write_watch *debug_write_hit(const struct debug_state *d, uint64_t addr,
					  uint64_t len);

/* Probe the host once for each debug feature (cached). */
enum host_support debug_host_hw_exec(struct debug_state *d);
enum host_support debug_host_hw_data(struct debug_state *d);

#endif
