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
 *
 * Software breakpoints at scale (coverage plants one trap per source line,
 * tens of thousands): the table (debug_table.h) finds a trap by physical
 * or linear address in constant time and walks the traps of a page
 * without a walk over the table, and nothing done per run or per stop
 * walks the whole table:
 * - After a run, traps the guest stored over are adopted (above).  Only
 *   pages the guest wrote can hold one, and KVM's dirty log of the
 *   read-write slots names them (KVM_GET_DIRTY_LOG: a bitmap, one ioctl
 *   per slot per stop).  Measured on kvm_pvm with a raw RSP client
 *   (make bench, figure 14), median per breakpoint hit in a loop: 64 us with
 *   no other breakpoint, 72-75 us with 1,000, 10,000 or 100,000 (the old
 *   256-entry table: 4.9 ms with 250); stepi 45-47 us throughout.  The
 *   work left grows with the traps in the pages the guest wrote (600 in
 *   one written page: ~300 us more per stop).  The read-only slot trick
 *   is out (above), and looking only at the exits that matter cannot see
 *   a copy loop.  The log costs the guest nothing measurable here (200,000
 *   OUT exits: 1.78 s with it, 1.82 s without); it starts at the first
 *   adoption (which looks at every trap once: 100 ms at 100,000), so runs
 *   nobody adopts for (coverage alone) never have it.  A host that
 *   refuses the log gets every trap looked at after every run.  The
 *   recorder (record.h) reads the same log after every recorded step:
 *   KVM_GET_DIRTY_LOG clears KVM's bits, so one harvest, whoever asks for
 *   it, ORs the pages into both consumers' sets (debug_dirty_harvest).
 * - Backup debug registers go to gdb's breakpoints only, chosen among its
 *   newest DEBUG_BACKUP_WINDOW (the old table's size: the same choice as
 *   before up to that many).  They are what a run with breakpoints that
 *   never hit pays for (200,000 OUT exits: 2.20 s with 10,000 of gdb's
 *   breakpoints, 1.61 s with them and no backups, 1.68 s with none):
 *   KVM_GUESTDBG_USE_HW_BP on every entry, however many breakpoints.
 * - Before each resume with paging on, each linear page with traps is
 *   translated once, and skipped while it maps where it did (a walk over
 *   100,000 entries alone takes ~1.5 ms here).
 * - A HLT exit looks up the address; only a HLT that is no trap (the
 *   guest's own, or a copied trap) compares the contexts of every trap,
 *   and the guest's own is remembered until anything changes.
 *
 * Owners: gdb (Z0) and coverage.  One entry per linear address carries
 * both owners when both want it; entries at one physical byte (aliases,
 * or a coverage trap set at a physical address) share one planted trap,
 * lifted when the last goes.  gdb never sees coverage's traps: memory
 * reads show the guest's byte, z0 and a detach drop only gdb's ownership,
 * a HLT exit at a coverage-only trap calls coverage's hook (which counts
 * it, and lifts it or keeps it: a kept trap is stepped over with one
 * single-step and planted again) and the guest runs on with no stop, and
 * a step over a trap (gdb's stepi) tells the hook its line ran.
 */
#ifndef GDBVM_DEBUG_H
#define GDBVM_DEBUG_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/kvm.h>

#include "paging.h"

struct machine;

/* Software breakpoints and coverage traps together (debug_table.h). */
#define DEBUG_MAX_SW_BP (256u * 1024u)
#define SW_CHUNK 1024u		/* entries allocated together */
#define DEBUG_NUM_HW 4
#define DEBUG_MAX_WATCH 32
#define DEBUG_MAX_SLOTS 128
#define TRAP_CONTEXT 8		/* bytes kept on each side of a planted HLT */
#define TRAP_MATCH_MIN 8	/* of them that must match in a copy */
#define DEBUG_MAX_RETIRED 64	/* removed breakpoints whose copies are recognised */
#define DEBUG_BACKUP_WINDOW 256	/* gdb's newest breakpoints that may get a backup */
#define DEBUG_PAGE_SIZE 4096ULL
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

/* Who wants a trap: it stays planted while any owner is left. */
enum debug_owner {
	DEBUG_OWNER_GDB = 1,		/* a Z0 */
	DEBUG_OWNER_COVERAGE = 2,	/* a line not yet seen to run */
};

/* An entry's places in the table's chains: index + 1, 0 for none. */
struct sw_links {
	uint32_t phys_prev, phys_next;
	uint32_t vaddr_prev, vaddr_next;
	uint32_t page_prev, page_next;
	uint32_t gdb_prev, gdb_next;	/* gdb's entries, oldest first */
	uint32_t vg_prev, vg_next;	/* the entries of one linear page */
};

/* The entries (not fixed) of one linear page: what debug_retranslate
 * translates once, and skips while it maps where it did. */
struct sw_vgroup {
	uint64_t vpage;		/* linear address of the page */
	uint64_t ppage;		/* where it mapped at the last retranslation */
	bool settled;		/* every entry planted at ppage since then */
	uint32_t count;
	uint32_t head;		/* entries, through link.vg_* */
	uint32_t hnext;		/* the group hash chain: group index + 1 */
};

struct sw_breakpoint {
	uint64_t addr;		/* guest-physical: where the HLT is planted */
	uint64_t vaddr;		/* gdb's (linear) address, as inserted */
	uint8_t owners;		/* enum debug_owner bits */
	/* Set at a physical address (coverage): never moved by paging. */
	bool fixed;
	bool used;		/* the table's own: a live entry */
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
	uint32_t index;		/* the table's own: where it is */
	struct sw_links link;
};

/* The table of software breakpoints (debug_table.h); zeroed is empty. */
struct sw_table {
	struct sw_breakpoint *chunk[DEBUG_MAX_SW_BP / SW_CHUNK];
	uint32_t nchunks;
	uint32_t count;		/* live entries */
	uint32_t free_head;	/* free slots, linked through link.phys_next */
	uint32_t *phys_head, *vaddr_head, *page_head;
	uint32_t nbuckets;	/* a power of two, or 0 before the first entry */
	uint32_t gdb_oldest, gdb_newest;
	uint32_t ngdb, nint3;
	struct sw_vgroup *vg;	/* dense, nvg of vgcap */
	uint32_t nvg, vgcap;
	uint32_t *vg_head;	/* hash of vpage: group index + 1 */
	uint32_t vg_nbuckets;
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

/* What coverage wants done with a trap that just ran. */
enum debug_cov_action {
	DEBUG_COV_LIFT,		/* the line ran: take the trap out */
	DEBUG_COV_KEEP,		/* count every run: step over it and plant it again */
};
/* Coverage's hook: the instruction at addr (linear, or physical when fixed)
 * is about to run. */
typedef enum debug_cov_action (*debug_cov_hook)(void *ctx, uint64_t addr, bool fixed);

struct debug_state {
	struct sw_table swt;
	unsigned nsw;		/* entries in swt (gdb's and coverage's) */
	unsigned npending;	/* of them with pending set */
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
	unsigned nslots;	/* memory slots now registered */
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
	/* KVM's dirty log on the read-write slots, one log for two consumers
	 * (debug_dirty_harvest): adoption's, on since the first adoption, the
	 * pages the guest wrote gathered into dirty[] until adopted; and the
	 * recorder's (debug_dirty_log), into rec_dirty[] while recording.  The
	 * slots log while either is on. */
	enum host_support dirty_log;
	uint64_t *dirty, *dirty_scratch;
	uint64_t dirty_pages;
	uint64_t *rec_dirty;
	/* Coverage: told of every run of a coverage trap's instruction. */
	debug_cov_hook cov_hook;
	void *cov_ctx;
	/* A coverage trap kept (counts) is stepped over: its address while
	 * the one-instruction step is under way. */
	bool cov_stepping;
	uint64_t cov_step_phys;
	uint64_t cov_hits;	/* coverage exits, for the bench */
	/* The last HLT exit found to be the guest's own (an idle loop's HLT
	 * exits again and again): its address and the bytes around it, valid
	 * while copy_gen, bumped by every change that could make it a copied
	 * trap, stays the same.  Spares a look at every trap's context. */
	uint64_t copy_gen, guest_hlt_gen, guest_hlt_addr;
	uint8_t guest_hlt_around[2 * TRAP_CONTEXT + 1];
	bool guest_hlt_known;
};

void debug_init(struct debug_state *d, const char *kvm_device);
/* Give back what the tables allocated (a zeroed state is fine too). */
void debug_free(struct debug_state *d);

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
 * The recorder's consumer of KVM's dirty log (record.h): from now on each
 * debug_dirty_harvest, whoever calls it (the recorder after a step, or
 * adoption after a run), ORs into map (one bit per 4 KiB page of guest
 * RAM, from physical 0) the pages the guest wrote since the harvest
 * before; NULL stops that.  The recorder clears the bits it has looked
 * at.  0, -ENOMEM or -errno (the log refused: map is not taken).
 */
int debug_dirty_log(struct machine *m, uint64_t *map);

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
/* Is any trap planted in [addr, addr+len)?  (Costs the traps of the pages
 * touched, never the table: a page with none needs no copy to unplant.) */
bool debug_any_trap_in(const struct debug_state *d, uint64_t addr, uint64_t len);

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

/* The VMM itself replaced guest memory [addr, addr+len) (a BIOS disk
 * read): the traps there take the new bytes as the guest's and are
 * planted again. */
void debug_loaded(struct machine *m, uint64_t addr, uint64_t len);

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
	HLT_COVERAGE,		/* coverage's trap, counted and lifted or being
				 * stepped over: run the byte again, no stop */
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

/*
 * Coverage's traps.  They share the table with gdb's breakpoints: one
 * trap per byte whoever wants it, lifted when nobody does; gdb never sees
 * them (memory reads show the guest's byte, a z0 or a detach leaves them,
 * a HLT exit at one is no stop).  Plant at linear address addr under st
 * (followed through the guest's page tables like gdb's), or at a physical
 * address (never moved).  In a user page only where the host reports
 * int3 (coverage takes no debug register).  0, -ENOSPC (DEBUG_MAX_SW_BP),
 * -ENOMEM, -EFAULT, -EOPNOTSUPP.
 */
void debug_cov_set_hook(struct debug_state *d, debug_cov_hook hook, void *ctx);
int debug_cov_plant(struct machine *m, const struct paging_state *st, uint64_t addr);
int debug_cov_plant_phys(struct machine *m, uint64_t phys);
/* Coverage no longer wants the trap at addr (physical when fixed): 0 or
 * -ENOENT.  debug_cov_lift_all: every one of them. */
int debug_cov_lift(struct machine *m, uint64_t addr, bool fixed);
void debug_cov_lift_all(struct machine *m);
/* Is a coverage trap planted at linear addr (physical when fixed)? */
bool debug_cov_planted(struct debug_state *d, uint64_t addr, bool fixed);

/* A HLT exit (int3: an int3 exit) at a coverage-only trap at phys: the
 * hook is told, the trap lifted or a one-instruction step over it armed.
 * False: no coverage trap there, or gdb's too (a stop).
 * (debug_hlt_meaning calls it for HLT.) */
bool debug_cov_hit(struct machine *m, uint64_t phys, bool int3);
/* A debug exit or a finished I/O while a kept coverage trap is stepped
 * over: the trap goes back, single-step off.  True: the exit was that
 * step's, and the guest runs on. */
bool debug_cov_step_done(struct machine *m);
/* The trap at phys is lifted for a step (gdb's stepi, or stepping over a
 * breakpoint): its instruction runs, so coverage hears of it. */
void debug_cov_note_step(struct machine *m, uint64_t phys);

/*
 * KVM's dirty log, for debug_adopt_guest_writes: turned on for the
 * read-write slots by the first adoption (which looks at every trap), once
 * only (a no-op when the host refuses: adoption then looks at every trap).
 * harvest: one KVM_GET_DIRTY_LOG per read-write slot (which clears KVM's
 * bits), the pages written since the last harvest ORed into both
 * consumers' sets (adoption's, the recorder's: whichever is on), so each
 * sees every page written since it last looked; 0, -EOPNOTSUPP (no slot
 * logs) or -errno.  first/next walk adoption's set, clear empties it.
 */
void debug_dirty_start(struct machine *m);
int debug_dirty_harvest(struct machine *m);
bool debug_dirty_first(const struct debug_state *d, uint64_t *page);
bool debug_dirty_next(const struct debug_state *d, uint64_t *page);
void debug_dirty_clear(struct debug_state *d);

#endif
