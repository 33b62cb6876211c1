/*
 * toy_target.h - a struct gdb_target_ops implementation over a toy machine,
 * for the fuzzer (fuzz_rsp.c) and the seed recorder (record_server.c).
 *
 * The machine has the register file of the 'g' packet and 64 KiB of RAM at
 * linear address 0, and runs a handful of x86-looking opcodes at EIP, so
 * that real gdb sessions (stepi, break, continue, watch) behave sensibly and
 * the fuzzer can steer stops by writing memory and registers:
 *
 *   f4        hlt: the guest exits with status AL
 *   cc        int3: a SIGTRAP stop after it
 *   0f 0b     ud2: a fatal SIGILL stop (status 8)
 *   eb rel8   jmp short; "eb fe" spins until interrupted
 *   e2 rel8   loop: CX - 1, jump while CX != 0
 *   b0 imm8   mov al, imm8
 *   a0 lo hi  mov al, [imm16]   (read and access watchpoints)
 *   a2 lo hi  mov [imm16], al   (write and access watchpoints)
 *   40 / 48   inc ax / dec ax
 *   other     a one-byte no-op
 *
 * An EIP outside RAM is a fatal SIGSEGV stop (status 10).  "monitor faulty"
 * makes the register operations and resume fail, for the stub's error paths.  A continue that
 * meets no breakpoint, watchpoint or stop within TOY_RUN_BUDGET instructions
 * keeps "running" until interrupt(): run() then returns -EINTR, at once
 * (nothing ever blocks or sleeps) unless nap is set.
 *
 * The stub's side of the contract in gdbstub.h is checked with abort():
 * operations other than interrupt() and run() while running, run() while
 * stopped, register numbers out of the table, memory lengths a reply or
 * packet cannot hold, ranges that wrap, breakpoint types or kinds the stub
 * should have refused.
 */
#ifndef GDBVM_FUZZ_TOY_TARGET_H
#define GDBVM_FUZZ_TOY_TARGET_H

#include "gdbstub.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOY_RAM_SIZE 0x10000
#define TOY_MAX_BPS 32
#define TOY_MAX_HW 4
#define TOY_RUN_BUDGET 4096
#define TOY_LOAD_ADDR 0x1000

struct toy_bp {
	enum gdb_bp_type type;
	uint64_t addr, len;
};

struct toy_target {
	uint8_t regs[GDB_REGS_SIZE];
	uint8_t ram[TOY_RAM_SIZE];
	struct toy_bp bps[TOY_MAX_BPS];
	unsigned nbps;
	bool faulty;		/* "monitor faulty": register ops and resume
				 * fail with -EIO */
	bool running;		/* resumed, stop not yet collected */
	bool stop_ready;	/* run() returns stop */
	struct gdb_stop stop;	/* the stop to collect */
	bool nap;		/* run() with no stop sleeps 10 ms (a real
				 * session, record_server.c, rather than spin) */
};

extern const struct gdb_target_ops toy_ops;

/* Zero it all; toy_reset must follow. */
void toy_init(struct toy_target *t);

/* The power-on state: the demo program at TOY_LOAD_ADDR, EIP there, SP
 * 0xfffe, FLAGS 2, no breakpoints, stopped, no stop waiting. */
void toy_reset(struct toy_target *t);

#endif
