/*
 * gdb_target.c - the target operations behind the gdb stub (see
 * gdb_target.h).
 *
 * The registers are served in the view of the CPU's mode (gdb_views.h):
 * in the 16- and 32-bit views gdb's pc ("eip") is the linear address
 * CS.base + IP, so breakpoints, memory and disassembly all agree whatever
 * the CS:IP split, and writing it moves IP within the current CS; in the
 * amd64 view it is RIP.  Segment registers are the selectors; in real mode
 * writing one sets its base to selector * 16.
 */
#include "gdb_target.h"
#include "cpu.h"
#include "vcpu.h"
#include "debug.h"
#include "debug_run.h"
#include "monitor.h"
#include "signals.h"
#include "location.h"
#include "record.h"
#include "replay.h"
#include "vaddr.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

static int get_state(struct machine *m, struct cpu_state *s)
{
	/* A breakpoint stop has the registers already (run.c), once. */
	if (m->stop_regs_valid) {
		m->stop_regs_valid = false;
		s->regs = m->stop_regs;
		s->sregs = m->stop_sregs;
		return vcpu_get(m->kvm.vcpu_fd, s, VCPU_FPU, NULL);
	}
	return vcpu_get(m->kvm.vcpu_fd, s, VCPU_ALL, NULL);
}

static int set_state(struct machine *m, const struct cpu_state *s)
{
	m->stop_regs_valid = false;
	return vcpu_set(m->kvm.vcpu_fd, s, VCPU_ALL, NULL);
}

/*
 * gdb changed registers or memory: with recording on, the change is a step
 * of its own in the history (replay.h).  A failure to keep it is said on
 * stderr; the write itself stands.
 */
static int note_write(struct gdb_target *g)
{
	int err = record_debugger_write(g->m);

	if (err && err != -E2BIG)
		fprintf(stderr, "gdbvm: recording: gdb's write could not be kept (%s); the "
			"history begins after it\n", strerror(-err));
	return 0;
}

/* The registers of the stop, read once (see regs_cache). */
static int load_state(struct gdb_target *g)
{
	int err;

	if (g->state_valid)
		return 0;
	err = get_state(g->m, &g->state);
	if (err)
		return err;
	g->state_valid = true;
	g->cache_view = NULL;
	return 0;
}

static const struct gdb_arch *op_arch(void *t)
{
	struct gdb_target *g = t;

	/* A failed read leaves the view as it was: the next register read
	 * reports the error. */
	if (load_state(g))
		return g->cache_view ? g->cache_view : &gdb_arch_i8086;
	return gdb_view_of(&g->state.sregs);
}

static int op_read_registers(void *t, const struct gdb_arch *view, uint8_t *buf)
{
	struct gdb_target *g = t;
	int err = load_state(g);

	if (err)
		return err;
	if (g->cache_view != view) {
		gdb_view_read(view, &g->state, g->regs_cache);
		g->cache_view = view;
	}
	memcpy(buf, g->regs_cache, view->size);
	return 0;
}

static int op_write_registers(void *t, const struct gdb_arch *view, const uint8_t *buf)
{
	struct gdb_target *g = t;
	struct cpu_state s;
	int err;

	g->state_valid = false;
	err = get_state(g->m, &s);

	/* The pc last: a linear pc needs the new CS base. */
	for (unsigned r = 0; !err && r < view->num_regs; r++)
		if (r != view->pc)
			err = gdb_view_write(view, &s, r, buf + view->regs[r].offset);
	if (!err)
		err = gdb_view_write(view, &s, view->pc, buf + view->regs[view->pc].offset);
	if (!err)
		err = set_state(g->m, &s);
	return err ? err : note_write(g);
}

static int op_write_register(void *t, const struct gdb_arch *view, unsigned regno,
			     const uint8_t *val)
{
	struct gdb_target *g = t;
	struct cpu_state s;
	int err;

	if (regno >= view->num_regs)
		return -ENOENT;
	g->state_valid = false;
	err = get_state(g->m, &s);
	if (!err)
		err = gdb_view_write(view, &s, regno, val);
	if (!err)
		err = set_state(g->m, &s);
	return err ? err : note_write(g);
}

/* The paging registers gdb's addresses go through now (vaddr.h). */
static int paging_now(struct gdb_target *g, struct paging_state *st)
{
	struct kvm_sregs sregs;
	int err;

	if (g->state_valid) {
		*st = guest_paging_state(&g->state.sregs);
		return 0;
	}
	err = vcpu_get_sregs(g->m->kvm.vcpu_fd, &sregs);
	if (!err)
		*st = guest_paging_state(&sregs);
	return err;
}

struct mem_access {
	struct machine *m;
	uint8_t *in;		/* a read's buffer */
	const uint8_t *out;	/* a write's bytes */
};

static int read_piece(void *ctx, uint64_t phys, size_t off, size_t n)
{
	struct mem_access *a = ctx;
	int err;

	/* Copied traps in the range become the guest's bytes again. */
	debug_settle(a->m, phys, n);
	err = mem_read(&a->m->mem, phys, a->in + off, n);
	if (!err)
		debug_unplant_copy(&a->m->debug, phys, a->in + off, n);
	return err;
}

static int write_piece(void *ctx, uint64_t phys, size_t off, size_t n)
{
	struct mem_access *a = ctx;

	return debug_write_memory(a->m, phys, a->out + off, n);
}

/* A read that runs into a page that does not translate (or is not RAM)
 * returns the bytes before it, as gdb expects of a partial read. */
static int op_read_memory(void *t, uint64_t addr, uint8_t *buf, size_t len)
{
	struct gdb_target *g = t;
	struct mem_access a = { .m = g->m, .in = buf };
	struct paging_state st;
	size_t done;
	int err = paging_now(g, &st);

	if (err)
		return err;
	if (len == 0) {	/* still an address that must be in RAM */
		uint64_t phys, room;

		if (vaddr_translate(&g->m->mem, &st, addr, &phys, &room, NULL) < 0)
			return -EFAULT;
		return mem_read(&g->m->mem, phys, buf, 0);
	}
	done = vaddr_for_each(&g->m->mem, &st, addr, len, read_piece, &a, &err);
	if (done == len)
		return 0;
	return done ? (int)(done < (size_t)INT32_MAX ? done : INT32_MAX) : err;
}

/* A write goes in only when every page of it translates. */
static int op_write_memory(void *t, uint64_t addr, const uint8_t *buf, size_t len)
{
	struct gdb_target *g = t;
	struct mem_access a = { .m = g->m, .out = buf };
	struct paging_state st;
	int err = paging_now(g, &st);

	if (err)
		return err;
	vaddr_for_each(&g->m->mem, &st, addr, len, NULL, NULL, &err);
	if (!err)
		vaddr_for_each(&g->m->mem, &st, addr, len, write_piece, &a, &err);
	return err ? err : note_write(g);
}

static int kind_of(enum gdb_bp_type type, enum debug_kind *kind)
{
	static const enum debug_kind map[] = {
		[GDB_BP_SW] = DEBUG_SW_BP, [GDB_BP_HW] = DEBUG_HW_BP,
		[GDB_WP_WRITE] = DEBUG_WATCH_WRITE, [GDB_WP_READ] = DEBUG_WATCH_READ,
		[GDB_WP_ACCESS] = DEBUG_WATCH_ACCESS,
	};

	if ((unsigned)type > GDB_WP_ACCESS)
		return -EINVAL;
	*kind = map[type];
	return 0;
}

static int op_insert_breakpoint(void *t, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	struct gdb_target *g = t;
	enum debug_kind kind;
	int err = kind_of(type, &kind);

	struct paging_state st;

	if (!err)
		err = paging_now(g, &st);
	return err ? err : debug_insert(g->m, &st, kind, addr, len);
}

static int op_remove_breakpoint(void *t, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	struct gdb_target *g = t;
	enum debug_kind kind;
	int err = kind_of(type, &kind);

	return err ? err : debug_remove(g->m, kind, addr, len);
}

/*
 * The gdb session ends (detach, disconnect): its breakpoints go, and so
 * does its recording.  A guest left in the recorded past is first brought
 * to the end of the history, where its devices are, so that it runs on
 * from there.
 */
static void op_remove_all_breakpoints(void *t)
{
	struct gdb_target *g = t;
	int err;

	debug_remove_all(g->m);
	if (!g->m->rec.on)
		return;
	err = replay_to_end(g->m);
	if (err)
		fprintf(stderr, "gdbvm: recording: cannot return to the end of the history: %s\n",
			strerror(-err));
	record_stop(g->m);
	g->state_valid = false;
}

/* A gdb connected: with --record, its session is recorded from here. */
static void op_attached(void *t)
{
	struct gdb_target *g = t;
	int err;

	if (!g->record_on_attach || g->m->rec.on)
		return;
	err = record_start(g->m, g->m->record_limit);
	if (err)
		fprintf(stderr, "gdbvm: --record: cannot record: %s\n",
			err == -EOPNOTSUPP ? "this KVM has no KVM_CAP_SYNC_REGS" : strerror(-err));
}

static int op_set_pc(void *t, uint64_t addr)
{
	struct gdb_target *g = t;
	struct cpu_state s;
	int err;

	g->state_valid = false;
	err = get_state(g->m, &s);
	if (!err)
		err = gdb_view_set_pc(gdb_view_of(&s.sregs), &s, addr);
	if (!err)
		err = set_state(g->m, &s);
	return err ? err : note_write(g);
}

static int op_resume(void *t, enum gdb_resume_mode mode)
{
	struct gdb_target *g = t;

	/* A kick or an interrupt from before this resume must not cut it
	 * short: the stub looks at its sockets before the first run(). */
	g->m->interrupt_requested = 0;
	g->m->kvm.run->immediate_exit = 0;
	g->mode = mode;
	g->backward = false;
	g->resuming = true;
	return 0;
}

static int op_run(void *t, struct gdb_stop *stop)
{
	struct gdb_target *g = t;
	/* The registers of the stop reply are where the vCPU still is: the
	 * step or continue starts from them without reading them again. */
	const struct cpu_state *at = g->resuming && g->state_valid ? &g->state : NULL;
	bool resuming = g->resuming;
	int err;

	/* The stub has served its sockets since the last signal (COM1 output
	 * stops waiting for a stalled reader while the flag is up). */
	signals_clear_async();
	g->resuming = false;
	g->state_valid = false;
	if (g->m->rec.on) {
		/* Guest time runs only while live steps run (replay.c). */
		g->m->stop_regs_valid = false;
		err = replay_run(g->m, g->backward, g->mode, stop);
	} else {
		/* Guest time runs only from here to the stop: while gdb holds
		 * the guest the timers stand still. */
		guest_clock_resume(&g->m->clock);
		err = debug_run(g->m, g->mode, resuming, at ? &at->regs : NULL,
				at ? &at->sregs : NULL, stop);
	}
	guest_clock_pause(&g->m->clock);
	/* No wake-up kicks while gdb holds the guest. */
	signals_arm_wakeup(0);
	g->m->irq.armed_at = 0;
	return err;
}

static void op_interrupt(void *t)
{
	struct gdb_target *g = t;

	g->m->interrupt_requested = 1;	/* run_vcpu stops before entering */
}

static int op_monitor(void *t, const char *cmd, void (*out)(void *ctx, const char *text),
		      void *ctx)
{
	struct gdb_target *g = t;
	int rc;

	g->state_valid = false;	/* a command may touch the vCPU */
	g->m->stop_regs_valid = false;
	rc = monitor_command(g->m, cmd, out, ctx);
	note_write(g);
	return rc;
}

/*
 * The guest's file only while the CPU's view has the file's word size: at
 * a switch gdb loads the program the exec stop names, and an ELF32 file
 * would pin the 64-bit view to i386 (gdb then refuses the description).
 * Without it gdb keeps the new view and drops the file's symbols.
 */
static const char *op_exec_file(void *t)
{
	struct gdb_target *g = t;

	if (!g->exec_file || (op_arch(t) == &gdb_arch_amd64) != g->exec_file_is64)
		return NULL;
	return g->exec_file;
}

/*
 * Reverse execution (issue 19): offered to gdb always, so that gdb's
 * reverse commands reach gdbvm and, with recording off, the user learns how
 * to turn it on, rather than gdb's "Target remote does not support this
 * command."  gdb prints the advice before "No more reverse-execution
 * history." (gdbstub/cmds.c).
 */
static int op_reverse(void *t, enum gdb_resume_mode mode, char *why, size_t why_len)
{
	struct gdb_target *g = t;

	if (!g->m->rec.on) {
		snprintf(why, why_len, "recording is off: use --record or monitor record on");
		return -ENODATA;
	}
	op_resume(t, mode);
	g->backward = true;
	return 0;
}

const struct gdb_target_ops gdb_target_ops = {
	.arch = op_arch,
	.read_registers = op_read_registers,
	.write_registers = op_write_registers,
	.write_register = op_write_register,
	.read_memory = op_read_memory,
	.write_memory = op_write_memory,
	.insert_breakpoint = op_insert_breakpoint,
	.remove_breakpoint = op_remove_breakpoint,
	.remove_all_breakpoints = op_remove_all_breakpoints,
	.set_pc = op_set_pc,
	.resume = op_resume,
	.run = op_run,
	.interrupt = op_interrupt,
	.monitor = op_monitor,
	.exec_file = op_exec_file,
	.reverse = op_reverse,
	.attached = op_attached,
};

void gdb_target_init(struct gdb_target *t, struct machine *m)
{
	t->m = m;
	t->mode = GDB_RESUME_CONTINUE;
	t->resuming = false;
	t->state_valid = false;
	t->cache_view = NULL;
	t->exec_file = NULL;
	t->exec_file_is64 = false;
	t->backward = false;
	t->record_on_attach = false;
	m->debugging = true;
	guest_clock_pause(&m->clock);	/* the guest waits for gdb's first resume */
}
