/*
 * debug_run.c - step and continue under a debugger (see debug_run.h).
 */
#include "debug_run.h"
#include "cpu.h"
#include "report.h"
#include "run.h"
#include "status.h"

#include <stdio.h>

static bool linear_pc(struct machine *m, uint64_t *pc)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	if (cpu_read_location(m->kvm.vcpu_fd, &regs, &sregs) < 0)
		return false;
	*pc = cpu_linear_pc(&regs, &sregs);
	return true;
}

static void exited(struct gdb_stop *out, int code)
{
	*out = (struct gdb_stop){ .kind = GDB_STOP_EXITED, .exit_code = code };
}

static void crashed(struct machine *m, const struct stop *st, struct gdb_stop *out, int signal,
		    int status)
{
	report_crash(m, st, stderr);
	*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = signal, .fatal = true,
				  .exit_code = status };
}

/* Map a debug exit onto what gdb asked for: which debug register fired. */
static void debug_exit(struct machine *m, const struct stop *st, struct gdb_stop *out)
{
	*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++) {
		const struct hw_slot *h = &m->debug.hw[i];

		if (!(st->dr6 & (1u << i)) || !h->used)
			continue;
		if (h->kind == DEBUG_HW_BP) {
			out->kind = GDB_STOP_HWBREAK;
		} else {
			out->kind = GDB_STOP_WATCH;
			out->watch_type = h->kind == DEBUG_WATCH_READ ? GDB_WP_READ : GDB_WP_ACCESS;
			out->watch_addr = h->addr;
		}
		return;
	}
}

/*
 * Turn a run's stop into a gdb stop.  Returns false when the run should
 * simply go on (a signal that was not gdb's interrupt).
 */
static bool convert(struct machine *m, const struct stop *st, struct gdb_stop *out)
{
	switch (st->kind) {
	case STOP_HALT:
		exited(out, STATUS_HALTED);
		return true;
	case STOP_EXIT_PORT:
		exited(out, exitport_status(st->value));
		return true;
	case STOP_SHUTDOWN:
		crashed(m, st, out, GDB_SIGSEGV, STATUS_TRIPLE_FAULT);
		return true;
	case STOP_INTERNAL_ERROR:
		crashed(m, st, out, GDB_SIGILL, STATUS_INTERNAL_ERROR);
		return true;
	case STOP_FAIL_ENTRY:
		crashed(m, st, out, GDB_SIGSEGV, STATUS_FAIL_ENTRY);
		return true;
	case STOP_UNEXPECTED:
		crashed(m, st, out, GDB_SIGSEGV, STATUS_UNEXPECTED_EXIT);
		return true;
	case STOP_RUN_FAILED:
		fprintf(stderr, "gdbvm: KVM_RUN failed: %d\n", st->err);
		*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGSEGV,
					  .fatal = true, .exit_code = STATUS_RUN_ERROR };
		return true;
	case STOP_INTERRUPTED:
		if (!m->interrupt_requested)
			return false;
		m->interrupt_requested = 0;
		*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGINT };
		return true;
	case STOP_BREAKPOINT:
		*out = (struct gdb_stop){ .kind = GDB_STOP_SWBREAK, .signal = GDB_SIGTRAP };
		return true;
	case STOP_DEBUG:
		debug_exit(m, st, out);
		return true;
	case STOP_WATCH:
		*out = (struct gdb_stop){ .kind = GDB_STOP_WATCH, .signal = GDB_SIGTRAP,
					  .watch_type = GDB_WP_WRITE, .watch_addr = st->addr };
		return true;
	case STOP_STEP_DONE:
		*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
		return true;
	}
	return false;
}

static void run_until_stop(struct machine *m, struct gdb_stop *out)
{
	struct stop st;

	do
		run_vcpu(m, &st);
	while (!convert(m, &st, out));
}

/* Execute exactly one instruction with every breakpoint out of the way. */
static void single_step(struct machine *m, uint64_t pc, struct gdb_stop *out)
{
	struct debug_state *d = &m->debug;
	struct sw_breakpoint *bp = debug_sw_at(d, pc);
	uint8_t byte;

	/* HLT under single-step would run on into whatever follows it on some
	 * hosts: the guest's own HLT at pc is the end of the guest. */
	if (mem_read(&m->mem, pc, &byte, 1) == 0 && (bp ? bp->orig : byte) == HLT_OPCODE) {
		exited(out, STATUS_HALTED);
		return;
	}
	if (bp)
		debug_unplant(m, bp);
	d->single_step = true;
	d->step_over = true;
	if (debug_apply(m) < 0) {
		*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGSEGV };
	} else {
		run_until_stop(m, out);
	}
	d->single_step = false;
	d->step_over = false;
	debug_apply(m);
	if (bp && debug_sw_at(d, pc) == bp)
		debug_replant(m, bp);
}

void debug_run(struct machine *m, enum gdb_resume_mode mode, struct gdb_stop *out)
{
	uint64_t pc;

	if (!linear_pc(m, &pc)) {
		*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGSEGV };
		return;
	}
	if (mode == GDB_RESUME_STEP) {
		single_step(m, pc, out);
		return;
	}
	/* Continuing from a breakpoint: step over it first, or it would hit at
	 * once. */
	if (debug_sw_at(&m->debug, pc) || debug_hw_exec_at(&m->debug, pc)) {
		single_step(m, pc, out);
		if (out->kind != GDB_STOP_SIGNAL || out->signal != GDB_SIGTRAP)
			return;
	}
	run_until_stop(m, out);
}
