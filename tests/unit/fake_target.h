/*
 * fake_target.h - a struct gdb_target_ops implementation over a small fake
 * machine, for the gdbstub tests: a register file in the 'g' layout, 64 KiB
 * of RAM, a breakpoint list and a log of every call the stub makes.
 *
 * resume() marks it running; run() returns the configured stop at once,
 * or, with hold_until_interrupt set, only after interrupt(): until then each
 * run() sleeps up to 20 ms (a signal, such as the stub's async_signal, cuts
 * that short) and returns -EINTR, as a long-running target does.
 *
 * A second pipe carries events to the test ('R' for remove_all_breakpoints,
 * 'I' for interrupt, 'B' when "monitor block" starts waiting) so a test can
 * wait, bounded, for something the stub does on its own thread.  A third,
 * the gate, releases "monitor block".
 */
#ifndef GDBVM_TEST_FAKE_TARGET_H
#define GDBVM_TEST_FAKE_TARGET_H

#include "gdbstub.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAKE_RAM_SIZE 0x10000
#define FAKE_MAX_BPS 32
#define FAKE_MAX_HW 4
#define FAKE_MAX_CALLS 64

struct fake_bp {
	enum gdb_bp_type type;
	uint64_t addr, len;
};

struct fake_bp_call {
	bool insert;
	enum gdb_bp_type type;
	uint64_t addr, len;
	int result;
};

struct fake_target {
	uint8_t regs[GDB_REGS_SIZE];
	uint8_t ram[FAKE_RAM_SIZE];

	/* Breakpoints now inserted, and every insert/remove call. */
	struct fake_bp bps[FAKE_MAX_BPS];
	unsigned nbps;
	struct fake_bp_call calls[FAKE_MAX_CALLS];
	unsigned ncalls;
	bool no_rw_watch;	/* Z3/Z4 give -EOPNOTSUPP */

	/* Configuration. */
	struct gdb_stop stop;		/* what run() reports */
	bool hold_until_interrupt;	/* resume makes no stop until interrupt() */
	int read_regs_err;		/* read_registers fails with this when nonzero */
	const char *exec_file;		/* what exec_file() names (NULL: none) */

	/* Call log. */
	unsigned read_regs_calls, write_regs_calls, write_reg_calls;
	unsigned last_write_regno;
	unsigned read_mem_calls, write_mem_calls;
	unsigned set_pc_calls;
	uint64_t last_pc;
	unsigned resume_calls;
	enum gdb_resume_mode last_mode;
	unsigned interrupt_calls;
	unsigned run_calls;
	unsigned remove_all_calls;
	unsigned monitor_calls;
	char last_monitor[256];
	char order[64];		/* one letter per call: P set_pc, R resume, A remove_all,
				 * I interrupt, W run() returning a stop (truncated
				 * when full) */

	/* Running state, and operations other than interrupt() called while
	 * running (the contract forbids them). */
	bool running;
	bool interrupted;	/* interrupt() came while running */
	unsigned violations;
	char violation[64];	/* the name of the first offending op */

	int event_r, event_w;
	int gate_r, gate_w;
};

extern const struct gdb_target_ops fake_ops;

/* A fresh fake (zeroed registers and RAM, stop = SIGNAL 5), or NULL. */
struct fake_target *fake_new(void);
void fake_free(struct fake_target *f);

/* Mark the target stopped (for tests that call handlers directly, with no
 * server loop to run it). */
void fake_settle(struct fake_target *f);

/* Wait up to timeout_ms for event byte ev; true when it came. */
bool fake_wait_event(struct fake_target *f, char ev, int timeout_ms);

/* Release one "monitor block". */
void fake_open_gate(struct fake_target *f);

/* Little-endian 32-bit register access in the 'g' layout. */
void fake_set_reg32(struct fake_target *f, unsigned regno, uint32_t v);
uint32_t fake_reg32(const struct fake_target *f, unsigned regno);

#endif
