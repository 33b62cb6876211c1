/*
 * fake_target.h - the one fake struct gdb_target_ops implementation, shared
 * by the gdbstub unit tests (tests/unit/), the protocol fuzzer and its seed
 * recorder (tests/fuzz/fuzz_rsp.c, record_server.c): a register file in the
 * 'g' layout, 64 KiB of RAM at linear address 0, a breakpoint list, a log
 * of every call the stub makes, and the stub's side of the contract in
 * gdbstub.h checked on every call.
 *
 * Two ways to run:
 *
 * - Scripted (the unit tests' default): resume() marks it running; run()
 *   returns the configured stop at once, or, with hold_until_interrupt
 *   set, only after interrupt(): until then each run() sleeps up to 20 ms
 *   (a signal, such as the stub's async_signal, cuts that short) and
 *   returns -EINTR, as a long-running target does.
 *
 * - The toy machine (machine = true; the fuzzer and the recorder): resume()
 *   runs a handful of x86-looking opcodes at EIP, so that real gdb sessions
 *   (stepi, break, continue, watch) behave sensibly and the fuzzer can
 *   steer stops by writing memory and registers:
 *
 *     f4        hlt: the guest exits with status AL
 *     cc        int3: a SIGTRAP stop after it
 *     0f 0b     ud2: a fatal SIGILL stop (status 8)
 *     eb rel8   jmp short; "eb fe" spins until interrupted
 *     e2 rel8   loop: CX - 1, jump while CX != 0
 *     b0 imm8   mov al, imm8         b1 imm8   mov cl, imm8
 *     a0 lo hi  mov al, [imm16]   (read and access watchpoints)
 *     a2 lo hi  mov [imm16], al   (write and access watchpoints)
 *     40 / 48   inc ax / dec ax
 *     other     a one-byte no-op
 *
 *   An EIP outside RAM is a fatal SIGSEGV stop (status 10).  A continue
 *   that meets no breakpoint, watchpoint or stop within FAKE_RUN_BUDGET
 *   instructions, or reaches a "jmp $" (which nothing but a breakpoint on
 *   it could end), keeps "running" until interrupt(): run() then returns
 *   -EINTR, at once (nothing blocks) unless nap is set.
 *
 * The contract (operations other than interrupt() and run() while running,
 * run() while stopped, register numbers out of the table, memory lengths a
 * reply or packet cannot hold, ranges that wrap, breakpoint types or kinds
 * the stub should have refused, a stop resumed over before it was
 * collected): a broken promise is counted in violations, or, with strict
 * set (the fuzzer), aborts the process so that the fuzzer reports it.
 *
 * Breakpoints: 32 in all; read and access watchpoints and hardware
 * breakpoints share four debug-register slots, and read/access
 * watchpoints must be 1, 2, 4 or 8 bytes, aligned, like x86's.
 *
 * A pipe carries events to a test ('R' for remove_all_breakpoints, 'I' for
 * interrupt, 'B' when "monitor block" starts waiting) so a test can wait,
 * bounded, for something the stub does on its own thread.  A second, the
 * gate, releases "monitor block".
 *
 * Monitor commands: help, regs, long (4,500 bytes of output in three
 * pieces of 1,500), fail (-EIO), faulty (register operations and resume fail with
 * -EIO until the next "faulty"), reset (the machine's power-on state),
 * record on / record off (the machine's history), quit, and block
 * (scripted mode only: waits for the gate).
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
#define FAKE_RUN_BUDGET 1024
#define FAKE_LOAD_ADDR 0x1000	/* the toy machine's demo program */
#define FAKE_HISTORY 64		/* instructions the toy machine can undo */

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

/* One executed instruction of the toy machine, as needed to undo it. */
struct fake_undo {
	uint8_t regs[GDB_REGS_MAX];	/* before it */
	int32_t addr;			/* the byte it wrote, or -1 */
	uint8_t old;			/* that byte before it */
};

struct fake_target {
	/* The CPU's view (gdb_arch_i8086 unless a test switches it) and the
	 * register file in its layout. */
	const struct gdb_arch *arch;
	uint8_t regs[GDB_REGS_MAX];
	uint8_t ram[FAKE_RAM_SIZE];

	/* Breakpoints now inserted, and every insert/remove call. */
	struct fake_bp bps[FAKE_MAX_BPS];
	unsigned nbps;
	struct fake_bp_call calls[FAKE_MAX_CALLS];
	unsigned ncalls;
	bool no_rw_watch;	/* Z3/Z4 give -EOPNOTSUPP */

	/* Configuration. */
	bool machine;			/* the toy machine runs (see above) */
	bool strict;			/* a broken contract aborts */
	bool nap;			/* a running machine's run() sleeps 10 ms
					 * (a served session, not the fuzzer) */
	struct gdb_stop stop;		/* scripted: what run() reports;
					 * machine: the stop it made */
	bool hold_until_interrupt;	/* resume makes no stop until interrupt() */
	int read_regs_err;		/* read_registers fails with this when nonzero */
	bool faulty;			/* "monitor faulty": register ops and resume
					 * fail with -EIO */
	const char *exec_file;		/* what exec_file() names (NULL: none) */

	/* Reverse execution.  Scripted: reverse() fails with reverse_err
	 * (and says reverse_why) when nonzero, else it runs like resume().
	 * The machine keeps the last FAKE_HISTORY instructions it ran (a ring:
	 * hist_len of them end at hist_top) unless record_off ("monitor
	 * record off"); bs/bc undo them, stopping at a breakpoint, at the
	 * writer of a watched byte, or at the oldest one (replaylog:begin).
	 * Going forward again simply runs the machine, which is deterministic. */
	int reverse_err;
	const char *reverse_why;
	bool record_off;
	struct fake_undo hist[FAKE_HISTORY];
	unsigned hist_top, hist_len;
	unsigned reverse_calls;
	enum gdb_resume_mode last_reverse_mode;

	/* Call log. */
	unsigned arch_calls;
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
	char order[64];		/* one letter per call: P set_pc, R resume, B reverse,
				 * A remove_all,
				 * I interrupt, W run() returning a stop (truncated
				 * when full) */

	/* Running state, and broken promises of the stub. */
	bool running;
	bool interrupted;	/* interrupt() came while running */
	bool stop_ready;	/* machine: run() returns stop */
	unsigned violations;
	char violation[96];	/* the first broken promise */

	int event_r, event_w;
	int gate_r, gate_w;
};

extern const struct gdb_target_ops fake_ops;

/* A fresh fake (zeroed registers and RAM, stop = SIGNAL 5, scripted), or
 * NULL. */
struct fake_target *fake_new(void);
void fake_free(struct fake_target *f);

/* The toy machine's power-on state: the demo program at FAKE_LOAD_ADDR,
 * EIP there, SP 0xfffe, FLAGS 2, the rest of RAM and the registers zero,
 * no breakpoints, not faulty, stopped, no stop waiting, recording with an
 * empty history. */
void fake_machine_reset(struct fake_target *f);

/* Mark the target stopped (for tests that call handlers directly, with no
 * server loop to run it). */
void fake_settle(struct fake_target *f);

/* Wait up to timeout_ms for event byte ev; true when it came. */
bool fake_wait_event(struct fake_target *f, char ev, int timeout_ms);

/* Release one "monitor block". */
void fake_open_gate(struct fake_target *f);

/* Little-endian 32-bit register access in the i8086 'g' layout. */
void fake_set_reg32(struct fake_target *f, unsigned regno, uint32_t v);
uint32_t fake_reg32(const struct fake_target *f, unsigned regno);

#endif
