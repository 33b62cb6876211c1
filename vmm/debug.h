/*
 * debug.h - the debugger's view of the VM: breakpoint and watchpoint
 * tables, and how each is carried out on the host.
 *
 * - Software breakpoints plant HLT (0xf4): with no in-kernel irqchip HLT
 *   exits to the VMM on every KVM host, where int3 with KVM_GUESTDBG_USE_SW_BP
 *   does not (kvm_pvm hands it to the guest).  A HLT exit one byte past a
 *   planted address is a breakpoint hit; a HLT the guest copied from a
 *   planted one is put back as the original byte (debug_copies.h); any
 *   other HLT is the guest's own.
 * - Code copied or loaded over a planted HLT wipes it out, and with no
 *   exit in between (a copy loop, then a jump) nothing tells the VMM.  So
 *   the debug registers gdb leaves free also watch software breakpoints
 *   (execution breakpoints at the same addresses): first those planted on
 *   memory that looks unwritten (zeros: a destination the guest has not
 *   copied to yet), then the newest.  A backup that fires is reported as
 *   the software breakpoint, and the byte the guest put there is adopted.
 *   (Making those pages read-only instead was tried and rejected: KVM
 *   reports only the last of the several stores of one instruction, such as
 *   PUSHA or a real-mode INT, to a read-only slot, and the others are lost,
 *   so a stack sharing a page with a breakpoint was corrupted.)
 * - In a page the guest maps user-accessible (code that may run at CPL 3,
 *   where HLT faults) a software breakpoint takes a free debug register,
 *   else int3 (0xcc), planted and kept like a HLT, where the host reports
 *   int3 to the VMM (probed: not kvm_pvm); KVM_GUESTDBG_USE_SW_BP is on
 *   while one is planted, and an int3 that is not ours goes back to the
 *   guest (KVM_GUESTDBG_INJECT_BP).
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

#include "paging.h"

struct machine;

#define DEBUG_MAX_SW_BP 256
#define DEBUG_NUM_HW 4
#define DEBUG_MAX_WATCH 32
#define DEBUG_MAX_SLOTS 128
#define TRAP_CONTEXT 8		/* bytes kept on each side of a planted HLT */
#define TRAP_MATCH_MIN 8	/* of them that must match in a copy */
#define DEBUG_MAX_RETIRED 64	/* removed breakpoints whose copies are recognised */
#define HLT_OPCODE 0xf4
#define INT3_OPCODE 0xcc

enum debug_kind {
	DEBUG_SW_BP,
	DEBUG_HW_BP,
	DEBUG_WATCH_WRITE,
	DEBUG_WATCH_READ,
	DEBUG_WATCH_ACCESS,
};

/* A planted HLT and what was around it when it was planted. */
struct trap_context {
	uint64_t addr;
	uint8_t orig;				/* the guest's byte under the HLT */
	uint8_t before[TRAP_CONTEXT];		/* before[i]: the byte at addr - 1 - i */
	uint8_t after[TRAP_CONTEXT];		/* after[i]: the byte at addr + 1 + i */
	uint8_t nbefore, nafter;		/* how many of each lie in RAM */
};

struct sw_breakpoint {
	uint64_t addr;		/* guest-physical: where the HLT is planted */
	uint64_t vaddr;		/* gdb's (linear) address, as inserted */
	uint8_t orig;		/* the guest's byte under the planted HLT */
	/* The guest stored HLT over the planted one: a copied trap or its own
	 * HLT, decided by trap_pending_resolve (debug_copies.h). */
	bool pending;
	bool lifted;		/* the original is back for a step over it */
	/* In a user page, where HLT faults at CPL 3: int3 (0xcc) is planted
	 * instead, on a host that reports it (KVM_GUESTDBG_USE_SW_BP). */
	bool int3;
	uint64_t seq;		/* insertion order: newer breakpoints get backups first */
	struct trap_context ctx;
};

/* Guest-physical pages [first, end) registered as a read-only slot. */
struct page_range {
	uint64_t first, end;
};

struct hw_slot {
	bool used;
	enum debug_kind kind;	/* HW_BP, WATCH_READ or WATCH_ACCESS */
	uint64_t addr;
	uint64_t len;		/* 1, 2, 4 or 8 for data breakpoints */
	bool sw;		/* a software breakpoint (Z0) in a user page */
};

/* One page's part of a write watchpoint: physical, with the linear
 * address it was set at (gdb's), and the whole range gdb named. */
struct write_watch {
	uint64_t addr;
	uint64_t len;
	uint64_t linear;	/* of addr */
	uint64_t vaddr, vlen;	/* the watchpoint as gdb inserted it */
};

/* Whether the host delivers a debug feature: unknown until probed. */
enum host_support { HOST_UNKNOWN, HOST_YES, HOST_NO };

struct debug_state {
	struct sw_breakpoint sw[DEBUG_MAX_SW_BP];
	unsigned nsw;
	struct hw_slot hw[DEBUG_NUM_HW];
	uint64_t sw_seq;
	/* Debug registers gdb left free, watching software breakpoints as the
	 * last debug_apply set them: backup_addr[i] when backup[i]. */
	bool backup[DEBUG_NUM_HW];
	uint64_t backup_addr[DEBUG_NUM_HW];
	struct write_watch ww[DEBUG_MAX_WATCH];
	unsigned nww;
	bool single_step;
	bool step_over;		/* hardware breakpoints off for one step */
	/* A step took an interrupt: gdbvm's HLT at the handler (step_irq.h). */
	bool irq_trap_armed;
	uint64_t irq_trap;	/* its linear address */
	/* What KVM_SET_GUEST_DEBUG last set: applying the same state again
	 * costs no ioctl, so a run of stepi leaves single-step on in between. */
	struct kvm_guest_debug applied;
	bool applied_valid;
	uint64_t applied_writes;	/* vcpu_writes() then (see debug_apply) */
	unsigned nslots;	/* memory slots now registered */
	uint64_t slot_gpa[DEBUG_MAX_SLOTS + 1];	/* where each begins, and its size */
	uint64_t slot_size[DEBUG_MAX_SLOTS + 1];
	bool log_dirty;		/* every RAM slot keeps KVM's dirty log (record.h) */
	/* The read-only ranges those slots now make: write-watched pages and
	 * (best effort) pages with planted breakpoints. */
	struct page_range ro[DEBUG_MAX_SLOTS];
	unsigned nro;
	bool ro_dirty;		/* the tables changed since the slots were made */
	unsigned max_slots;	/* what the host allows (KVM_CAP_NR_MEMSLOTS) */
	/* Removed breakpoints, newest last, for recognising their copies. */
	struct trap_context retired[DEBUG_MAX_RETIRED];
	unsigned nretired;
	enum host_support hw_exec, hw_data, readonly_mem;
	/* Does an int3 under KVM_GUESTDBG_USE_SW_BP exit to the VMM, and how
	 * far past the int3 is the pc it reports (0 or 1)? */
	enum host_support sw_int3;
	uint8_t int3_pc_after;
	const char *kvm_device;	/* for the probes */
};

void debug_init(struct debug_state *d, const char *kvm_device);

/*
 * Insert or remove at gdb's (linear) address addr, translated through the
 * paging registers st (paging.h; NULL or paging off: addr is physical).
 * 0, -ENOSPC, -EOPNOTSUPP (host cannot), -EFAULT (not mapped, not RAM),
 * -EINVAL.  A software breakpoint in a page the guest maps user-accessible
 * may be code that runs at CPL 3, where HLT faults instead of exiting: it
 * takes a free debug register (an execution breakpoint at the linear
 * address), else an int3 planted like a HLT where the host reports int3 to
 * the VMM, else it is refused with -EOPNOTSUPP.
 */
int debug_insert(struct machine *m, const struct paging_state *st, enum debug_kind kind,
		 uint64_t addr, uint64_t len);
int debug_remove(struct machine *m, enum debug_kind kind, uint64_t addr, uint64_t len);

/* A breakpoint of gdbvm's own at linear vaddr (physical phys), always a
 * planted HLT, for code that runs at CPL 0 whatever the page's rights (an
 * interrupt handler: step_irq.h).  Removed with debug_remove.  0, -EEXIST
 * (one is there already), -EFAULT, -ENOSPC. */
int debug_insert_hlt(struct machine *m, uint64_t vaddr, uint64_t phys);

/*
 * The recorder's dirty log on the RAM slots (record.h): on or off on every
 * slot now registered and every slot made later.  Harvest ORs each slot's
 * dirty pages since the last harvest into map (one bit per 4 KiB page of
 * guest RAM, from physical 0); scratch holds as many words as map.  Slots
 * are made again only between runs, when the recorder has harvested the
 * last step, so no dirty bit is lost with them.  0 or -errno.
 */
int debug_dirty_log(struct machine *m, bool on);
int debug_harvest_dirty(struct machine *m, uint64_t *map, uint64_t *scratch);

/*
 * The guest may have changed its page tables since a software breakpoint
 * went in: move each planted HLT to where its linear address maps under st
 * now (called before every resume).  An address that no longer translates
 * keeps its HLT where it was.
 */
void debug_retranslate(struct machine *m, const struct paging_state *st);

/* The physical address of linear under st, or linear itself when it does
 * not translate (then nothing planted matches it). */
uint64_t debug_phys(const struct machine *m, const struct paging_state *st, uint64_t linear);

/* The software breakpoint gdb inserted at linear address vaddr, or NULL. */
struct sw_breakpoint *debug_sw_at_vaddr(struct debug_state *d, uint64_t vaddr);
void debug_remove_all(struct machine *m);

/* Push single-step and hardware breakpoints into KVM_SET_GUEST_DEBUG, unless
 * KVM has that state already.  Every KVM_RUN under a debugger comes after
 * one (debug_run.c), so changing the flags alone never reaches the vCPU. */
int debug_apply(struct machine *m);

/* The planted breakpoint at addr, or NULL. */
struct sw_breakpoint *debug_sw_at(struct debug_state *d, uint64_t addr);

/* Is a hardware execution breakpoint set at addr? */
bool debug_hw_exec_at(const struct debug_state *d, uint64_t addr);

/* A debug register holding a software breakpoint in a user page? */
bool debug_hw_is_sw(const struct debug_state *d, unsigned slot);

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

/* Is any of [addr, addr+len) in a page registered read-only (for a write
 * watchpoint or a planted breakpoint)? */
bool debug_in_protected_page(const struct debug_state *d, uint64_t addr, uint64_t len);

/*
 * The guest stored into a read-only page (KVM_EXIT_MMIO): carry the store
 * out in RAM, and let any planted breakpoint it covered adopt the stored
 * byte while its HLT stays planted.
 */
void debug_guest_store(struct machine *m, uint64_t addr, const uint8_t *data, uint32_t len);

/* What a HLT exit at addr (the HLT's own address) means. */
enum hlt_meaning {
	HLT_GUEST,		/* the guest's own HLT */
	HLT_BREAKPOINT,		/* a planted breakpoint */
	HLT_COPIED_TRAP,	/* a copied trap, now repaired: run the byte again */
};
enum hlt_meaning debug_hlt_meaning(struct machine *m, uint64_t addr);

/* Before gdb or a step looks at memory: settle breakpoints the guest
 * stored HLT over, and repair copied traps in [addr, addr+len). */
void debug_settle(struct machine *m, uint64_t addr, uint64_t len);

/* The first write watchpoint [addr, addr+len) overlaps, or NULL. */
const struct write_watch *debug_write_hit(const struct debug_state *d, uint64_t addr,
					  uint64_t len);

/* Probe the host once for each debug feature (cached). */
enum host_support debug_host_hw_exec(struct debug_state *d);
enum host_support debug_host_hw_data(struct debug_state *d);
/* Does KVM_GUESTDBG_USE_SW_BP report int3 as KVM_EXIT_DEBUG (exception 3)?
 * Sets d->int3_pc_after from the pc the exit reported. */
enum host_support debug_host_int3(struct debug_state *d);

/* Give the guest the #BP of an int3 of its own that KVM_GUESTDBG_USE_SW_BP
 * brought to the VMM (KVM_GUESTDBG_INJECT_BP): 0 or -errno. */
int debug_inject_bp(struct machine *m);

/* Is an int3 planted (KVM_GUESTDBG_USE_SW_BP wanted)? */
bool debug_any_int3(const struct debug_state *d);

/* The planted byte of bp: HLT, or int3 in a user page. */
uint8_t debug_trap_opcode(const struct sw_breakpoint *bp);

#endif
