/*
 * gdbstub.h - the public face of the GDB Remote Serial Protocol server.
 *
 * The stub knows nothing of KVM.  It drives its target only through
 * struct gdb_target_ops; the VMM fills that table in (vmm/gdb_target.c) and
 * the unit tests fill it with a fake.  Every operation returns 0 or -errno;
 * the stub turns errors into "Exx" replies in one place.
 */
#ifndef GDBSTUB_H
#define GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regs.h"

/* Breakpoint and watchpoint kinds, numbered as in Z0..Z4. */
enum gdb_bp_type {
	GDB_BP_SW = 0,
	GDB_BP_HW = 1,
	GDB_WP_WRITE = 2,
	GDB_WP_READ = 3,
	GDB_WP_ACCESS = 4,
};

/* Why the target stopped, as the stub reports it. */
enum gdb_stop_kind {
	GDB_STOP_SIGNAL,	/* plain stop with a signal (step done: 5, Ctrl-C: 2) */
	GDB_STOP_SWBREAK,	/* a software breakpoint (signal 5) */
	GDB_STOP_HWBREAK,	/* a hardware breakpoint (signal 5) */
	GDB_STOP_WATCH,		/* a watchpoint; type and addr say which */
	GDB_STOP_EXITED,	/* the guest ended; code is the exit status */
};

#define GDB_STOP_MESSAGE_MAX 160

/* Where a stop left the recorded execution history (reverse debugging). */
enum gdb_history {
	GDB_HISTORY_NONE,	/* not at an end (or no history): a plain stop */
	GDB_HISTORY_BEGIN,	/* going back reached the oldest recorded state */
	GDB_HISTORY_END,	/* replaying forward reached the end of the history
				 * and the target could not go on live */
};

struct gdb_stop {
	enum gdb_stop_kind kind;
	int signal;		/* GDB signal number for SIGNAL/SWBREAK/HWBREAK/WATCH */
	enum gdb_bp_type watch_type;
	uint64_t watch_addr;
	int exit_code;		/* for EXITED; for a fatal stop, the VMM's status */
	bool fatal;		/* the guest cannot go on (a crash): with no gdb
				 * attached, the run ends with exit_code */
	char message[GDB_STOP_MESSAGE_MAX];	/* when not empty, a line gdb prints
						 * (an 'O' packet) before the stop */
	enum gdb_history history;	/* BEGIN/END: the stop reply says
					 * "replaylog:begin/end", gdb prints "No more
					 * reverse-execution history." and ignores
					 * the signal */
};

/* GDB's signal numbers (not the host's). */
#define GDB_SIGINT 2
#define GDB_SIGILL 4
#define GDB_SIGTRAP 5
#define GDB_SIGSEGV 11

enum gdb_resume_mode {
	GDB_RESUME_CONTINUE,
	GDB_RESUME_STEP,
};

/*
 * The target operations.  All run on the thread that runs gdb_server_run,
 * which is also the only thread that runs the target: the stub serves gdb
 * between the target's runs, never beside them.
 *
 * resume() prepares a continue or a single step and returns at once.
 * run() then runs the target until it stops (returns 0 and fills *stop) or
 * until a signal arrives while it runs (returns -EINTR): the stub then
 * serves its sockets, checks should_quit(), and calls run() again to go on.
 * The stub's sockets raise cfg.async_signal when data arrives, so a target
 * that runs for long must return -EINTR when a signal interrupts it.
 * interrupt() asks a resumed target to stop: its next run() returns at once
 * with a GDB_SIGINT stop (or with the stop it reached first).
 */
struct gdb_target_ops {
	/*
	 * Optional (NULL: always gdb_arch_i8086): the view of the CPU's mode
	 * now, one of the gdb_arch_* descriptions (regs.h).  The stub serves
	 * registers in the layout of the description gdb last read, and when
	 * a stop finds the CPU in another view, it reports the switch as an
	 * exec stop first, so that gdb reads the new description.
	 */
	const struct gdb_arch *(*arch)(void *t);
	/* Fill buf with all registers in arch's layout (arch->size bytes). */
	int (*read_registers)(void *t, const struct gdb_arch *arch, uint8_t *buf);
	/* Write all registers from buf (same layout). */
	int (*write_registers)(void *t, const struct gdb_arch *arch, const uint8_t *buf);
	/* Write one register (regno indexes arch->regs), value of its size. */
	int (*write_register)(void *t, const struct gdb_arch *arch, unsigned regno,
			      const uint8_t *val);
	/* Guest memory at gdb's (linear) addresses: 0, -EFAULT when nothing
	 * can be read, or for a read that stops early the bytes read (> 0). */
	int (*read_memory)(void *t, uint64_t addr, uint8_t *buf, size_t len);
	int (*write_memory)(void *t, uint64_t addr, const uint8_t *buf, size_t len);
	/* -ENOSPC when no slot is free, -EOPNOTSUPP when the host cannot. */
	int (*insert_breakpoint)(void *t, enum gdb_bp_type type, uint64_t addr, uint64_t len);
	int (*remove_breakpoint)(void *t, enum gdb_bp_type type, uint64_t addr, uint64_t len);
	/* Remove every breakpoint and watchpoint (on detach and disconnect: the
	 * session ends, and with it whatever else the target kept for it). */
	void (*remove_all_breakpoints)(void *t);
	/* Set IP so that the pc of the CPU's view is addr (the "c ADDR"/"s ADDR"
	 * forms). */
	int (*set_pc)(void *t, uint64_t addr);
	int (*resume)(void *t, enum gdb_resume_mode mode);
	/* Run what resume() prepared: 0 with *stop, or -EINTR (see above). */
	int (*run)(void *t, struct gdb_stop *stop);
	/* Ask a resumed target to stop (it then reports GDB_SIGINT). */
	void (*interrupt)(void *t);
	/*
	 * A "monitor" command line.  Output goes through out(); returns 0,
	 * GDB_MONITOR_QUIT to end the session and the VMM, or -ENOENT for an
	 * unknown command.
	 */
	int (*monitor)(void *t, const char *cmd, void (*out)(void *ctx, const char *text),
		       void *ctx);
	/*
	 * Optional (may be NULL): the absolute path of the file the guest was
	 * loaded from, when gdb can read its symbols (an ELF guest), or NULL
	 * when there is none (a flat binary, a disk image).  gdb asks for it
	 * with qXfer:exec-file:read, so "target remote" alone finds the
	 * symbols; an exec stop (a mode switch) names it as the program.
	 * Asked at each use: the answer may change with the CPU's mode.
	 */
	const char *(*exec_file)(void *t);
	/*
	 * Optional (NULL: no reverse execution; qSupported does not offer it
	 * and "bs"/"bc" get the empty reply): prepare a step (GDB_RESUME_STEP,
	 * gdb's "bs") or a continue (GDB_RESUME_CONTINUE, "bc") backwards
	 * through the recorded history, and return at once, as resume() does;
	 * run() then carries it out and reports the stop: a breakpoint or
	 * watchpoint met on the way back, a step's SIGTRAP, or a stop with
	 * history = GDB_HISTORY_BEGIN at the oldest recorded state.  When it
	 * cannot (no recording), it returns -errno with a line for the user
	 * in why (up to why_len bytes, NUL-terminated; empty: the stub says
	 * "cannot execute backwards: <errno text>"): gdb prints that line and
	 * "No more reverse-execution history.", and the target stays where it
	 * is (see cmds.c for why not an error reply).
	 */
	int (*reverse)(void *t, enum gdb_resume_mode mode, char *why, size_t why_len);
	/*
	 * Optional: a gdb has connected and the target is stopped for it (the
	 * session begins; remove_all_breakpoints marks its end).
	 */
	void (*attached)(void *t);
};

#define GDB_MONITOR_QUIT 1

/* Why gdb_server_run returned. */
enum gdb_end {
	GDB_END_EXITED,		/* the guest ended (code: its exit status) */
	GDB_END_CRASHED,	/* a fatal stop with no gdb attached (code: status) */
	GDB_END_KILLED,		/* gdb sent 'k' */
	GDB_END_QUIT,		/* "monitor quit" */
	GDB_END_SIGNALLED,	/* should_quit() said so (SIGINT, SIGTERM, ...) */
	GDB_END_ERROR,		/* the listening socket or the target failed */
};

struct gdb_server_config {
	const char *host;	/* numeric IPv4 or IPv6 address, or a name */
	const char *port;	/* "0" picks a free port */
	bool start_stopped;	/* -S: the target waits for gdb before running */
	bool kill_on_quit;	/* answer qAttached with 0, so gdb kills, not detaches,
				 * when it quits (--gdb-batch) */
	/* Checked whenever poll() is interrupted by a signal. */
	bool (*should_quit)(void);
	/* Optional: when should_quit() ends the run while gdb waits for the
	 * target, the GDB signal number gdb is told the target was killed by
	 * (an "X" reply, so gdb says why); 0 for none. */
	int (*quit_signal)(void);
	/* The signal the sockets raise on this thread when data or a
	 * connection arrives (fcntl O_ASYNC, F_SETSIG), so that a running
	 * target's run() returns -EINTR; its handler must not use SA_RESTART.
	 * 0: none (then run() must always return by itself). */
	int async_signal;
	/* Called once listening, with the bound address (for "waiting for gdb"). */
	void (*on_listen)(void *ctx, const char *host, unsigned port);
	void *ctx;
};

struct gdb_stub;

/* Bind and listen; on failure writes a message to errbuf and returns -errno. */
int gdb_server_open(struct gdb_stub **out, const struct gdb_server_config *cfg,
		    const struct gdb_target_ops *ops, void *target, char *errbuf, size_t errlen);

/* Serve gdb until the session and the VM end; *code gets the exit status
 * for GDB_END_EXITED and GDB_END_CRASHED, and otherwise the status of the
 * last fatal stop gdb was told about (0 when the guest never crashed). */
enum gdb_end gdb_server_run(struct gdb_stub *s, int *code);

void gdb_server_close(struct gdb_stub *s);

#endif
