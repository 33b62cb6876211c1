/*
 * gdb_target.c - the target operations behind the gdb stub (see
 * gdb_target.h).
 *
 * Real-mode model: gdb's pc ("eip") is the linear address CS.base + IP, so
 * breakpoints, memory and disassembly all agree whatever the CS:IP split.
 * Writing pc moves IP within the current CS.  Segment registers are the
 * selectors; in real mode writing one sets its base to selector * 16.
 */
#include "gdb_target.h"
#include "cpu.h"
#include "debug.h"
#include "debug_run.h"
#include "monitor.h"
#include "signals.h"
#include "location.h"
#include "vaddr.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

static int get_state(struct machine *m, struct cpu_state *s)
{
	/* A breakpoint stop has the registers already (run.c), once. */
	if (m->stop_regs_valid) {
		m->stop_regs_valid = false;
		s->regs = m->stop_regs;
		s->sregs = m->stop_sregs;
		return ioctl(m->kvm.vcpu_fd, KVM_GET_FPU, &s->fpu) < 0 ? -errno : 0;
	}
	if (ioctl(m->kvm.vcpu_fd, KVM_GET_REGS, &s->regs) < 0 ||
	    ioctl(m->kvm.vcpu_fd, KVM_GET_SREGS, &s->sregs) < 0 ||
	    ioctl(m->kvm.vcpu_fd, KVM_GET_FPU, &s->fpu) < 0)
		return -errno;
	return 0;
}

static int set_state(struct machine *m, const struct cpu_state *s)
{
	m->stop_regs_valid = false;
	if (ioctl(m->kvm.vcpu_fd, KVM_SET_SREGS, &s->sregs) < 0 ||
	    ioctl(m->kvm.vcpu_fd, KVM_SET_REGS, &s->regs) < 0 ||
	    ioctl(m->kvm.vcpu_fd, KVM_SET_FPU, &s->fpu) < 0)
		return -errno;
	return 0;
}

static struct kvm_segment *segment_of(struct cpu_state *s, unsigned regno)
{
	switch (regno) {
	case GDB_REG_CS: return &s->sregs.cs;
	case GDB_REG_SS: return &s->sregs.ss;
	case GDB_REG_DS: return &s->sregs.ds;
	case GDB_REG_ES: return &s->sregs.es;
	case GDB_REG_FS: return &s->sregs.fs;
	case GDB_REG_GS: return &s->sregs.gs;
	default: return NULL;
	}
}

static __u64 *gpr_of(struct cpu_state *s, unsigned regno)
{
	switch (regno) {
	case GDB_REG_EAX: return &s->regs.rax;
	case GDB_REG_ECX: return &s->regs.rcx;
	case GDB_REG_EDX: return &s->regs.rdx;
	case GDB_REG_EBX: return &s->regs.rbx;
	case GDB_REG_ESP: return &s->regs.rsp;
	case GDB_REG_EBP: return &s->regs.rbp;
	case GDB_REG_ESI: return &s->regs.rsi;
	case GDB_REG_EDI: return &s->regs.rdi;
	case GDB_REG_EFLAGS: return &s->regs.rflags;
	default: return NULL;
	}
}

static bool real_mode(const struct cpu_state *s)
{
	return !(s->sregs.cr0 & CR0_PE);
}

/* The full x87 tag word from FXSAVE's abridged one: empty (11) or valid (00). */
static uint32_t full_tag_word(uint8_t abridged)
{
	uint32_t tw = 0;

	for (unsigned i = 0; i < 8; i++)
		if (!(abridged & (1u << i)))
			tw |= 3u << (2 * i);
	return tw;
}

static uint8_t abridged_tag(uint32_t full)
{
	uint8_t tw = 0;

	for (unsigned i = 0; i < 8; i++)
		if (((full >> (2 * i)) & 3) != 3)
			tw |= (uint8_t)(1u << i);
	return tw;
}

static void put32(uint8_t *buf, unsigned regno, uint64_t v)
{
	uint32_t x = (uint32_t)v;

	memcpy(buf + gdb_regs[regno].offset, &x, 4);
}

static void state_to_gdb(struct cpu_state *s, uint8_t *buf)
{
	static const unsigned fpu_ctl[] = { GDB_REG_FCTRL, GDB_REG_FSTAT, GDB_REG_FTAG,
					    GDB_REG_FISEG, GDB_REG_FIOFF, GDB_REG_FOSEG,
					    GDB_REG_FOOFF, GDB_REG_FOP };
	uint64_t fpu_vals[8] = { s->fpu.fcw, s->fpu.fsw, full_tag_word(s->fpu.ftwx), 0,
				 s->fpu.last_ip, 0, s->fpu.last_dp, s->fpu.last_opcode };

	memset(buf, 0, GDB_REGS_SIZE);
	for (unsigned r = 0; r < GDB_NUM_REGS; r++) {
		__u64 *gpr = gpr_of(s, r);
		struct kvm_segment *seg = segment_of(s, r);

		if (gpr)
			put32(buf, r, *gpr);
		else if (seg)
			put32(buf, r, seg->selector);
	}
	put32(buf, GDB_REG_EIP, cpu_linear_pc(&s->regs, &s->sregs));
	for (unsigned i = 0; i < 8; i++)
		memcpy(buf + gdb_regs[GDB_REG_ST0 + i].offset, s->fpu.fpr[i], 10);
	for (unsigned i = 0; i < 8; i++)
		put32(buf, fpu_ctl[i], fpu_vals[i]);
}

/* Set one register in the state from gdb's bytes. */
static int set_from_gdb(struct cpu_state *s, unsigned regno, const uint8_t *val)
{
	__u64 *gpr = gpr_of(s, regno);
	struct kvm_segment *seg = segment_of(s, regno);
	uint32_t v = 0;

	if (gdb_regs[regno].size == 4)
		memcpy(&v, val, 4);
	if (regno >= GDB_REG_ST0 && regno <= GDB_REG_ST7) {
		memcpy(s->fpu.fpr[regno - GDB_REG_ST0], val, 10);
		return 0;
	}
	if (gpr) {
		if (regno == GDB_REG_EFLAGS)
			v |= RFLAGS_RESERVED_1;
		*gpr = (*gpr & ~0xffffffffULL) | v;
		return 0;
	}
	if (seg) {
		if (v > 0xffff)
			return -ERANGE;
		if (real_mode(s))
			cpu_real_mode_segment(seg, (uint16_t)v);
		else
			seg->selector = (uint16_t)v;	/* descriptor caches stay */
		return 0;
	}
	switch (regno) {
	case GDB_REG_EIP:
		/* A linear pc: IP must reach it from the current CS. */
		if (v < s->sregs.cs.base || (real_mode(s) && v - s->sregs.cs.base > 0xffff))
			return -ERANGE;
		s->regs.rip = v - s->sregs.cs.base;
		return 0;
	case GDB_REG_FCTRL: s->fpu.fcw = (uint16_t)v; return 0;
	case GDB_REG_FSTAT: s->fpu.fsw = (uint16_t)v; return 0;
	case GDB_REG_FTAG: s->fpu.ftwx = abridged_tag(v); return 0;
	case GDB_REG_FIOFF: s->fpu.last_ip = v; return 0;
	case GDB_REG_FOOFF: s->fpu.last_dp = v; return 0;
	case GDB_REG_FOP: s->fpu.last_opcode = (uint16_t)v; return 0;
	default: return 0;	/* FISEG, FOSEG: KVM keeps no such fields */
	}
}

static int op_read_registers(void *t, uint8_t *buf)
{
	struct gdb_target *g = t;
	int err;

	if (!g->regs_valid) {
		err = get_state(g->m, &g->state);
		if (err)
			return err;
		state_to_gdb(&g->state, g->regs_cache);
		g->regs_valid = true;
	}
	memcpy(buf, g->regs_cache, GDB_REGS_SIZE);
	return 0;
}

static int op_write_registers(void *t, const uint8_t *buf)
{
	struct gdb_target *g = t;
	struct cpu_state s;
	int err;

	g->regs_valid = false;
	err = get_state(g->m, &s);

	/* Segments first: eip is linear and needs the new CS base. */
	for (unsigned r = GDB_REG_CS; !err && r <= GDB_REG_GS; r++)
		err = set_from_gdb(&s, r, buf + gdb_regs[r].offset);
	for (unsigned r = 0; !err && r < GDB_NUM_REGS; r++)
		if (!segment_of(&s, r))
			err = set_from_gdb(&s, r, buf + gdb_regs[r].offset);
	return err ? err : set_state(g->m, &s);
}

static int op_write_register(void *t, unsigned regno, const uint8_t *val)
{
	struct gdb_target *g = t;
	struct cpu_state s;
	int err;

	if (regno >= GDB_NUM_REGS)
		return -ENOENT;
	g->regs_valid = false;
	err = get_state(g->m, &s);
	if (!err)
		err = set_from_gdb(&s, regno, val);
	return err ? err : set_state(g->m, &s);
}

/* The paging registers gdb's addresses go through now (vaddr.h). */
static int paging_now(struct gdb_target *g, struct paging_state *st)
{
	struct kvm_sregs sregs;

	if (g->regs_valid) {
		*st = guest_paging_state(&g->state.sregs);
		return 0;
	}
	if (ioctl(g->m->kvm.vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return -errno;
	*st = guest_paging_state(&sregs);
	return 0;
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
	return err;
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

static void op_remove_all_breakpoints(void *t)
{
	struct gdb_target *g = t;

	debug_remove_all(g->m);
}

static int op_set_pc(void *t, uint64_t addr)
{
	uint8_t val[4];
	uint32_t v = (uint32_t)addr;

	if (addr > 0xffffffffULL)
		return -ERANGE;
	memcpy(val, &v, 4);
	return op_write_register(t, GDB_REG_EIP, val);
}

static int op_resume(void *t, enum gdb_resume_mode mode)
{
	struct gdb_target *g = t;

	/* A kick or an interrupt from before this resume must not cut it
	 * short: the stub looks at its sockets before the first run(). */
	g->m->interrupt_requested = 0;
	g->m->kvm.run->immediate_exit = 0;
	g->mode = mode;
	g->resuming = true;
	return 0;
}

static int op_run(void *t, struct gdb_stop *stop)
{
	struct gdb_target *g = t;
	/* The registers of the stop reply are where the vCPU still is: the
	 * step or continue starts from them without reading them again. */
	const struct cpu_state *at = g->resuming && g->regs_valid ? &g->state : NULL;
	bool resuming = g->resuming;

	/* The stub has served its sockets since the last signal (COM1 output
	 * stops waiting for a stalled reader while the flag is up). */
	signals_clear_async();
	g->resuming = false;
	g->regs_valid = false;
	return debug_run(g->m, g->mode, resuming, at ? &at->regs : NULL, at ? &at->sregs : NULL,
			 stop);
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

	g->regs_valid = false;	/* a command may touch the vCPU */
	g->m->stop_regs_valid = false;
	return monitor_command(g->m, cmd, out, ctx);
}

static const char *op_exec_file(void *t)
{
	return ((struct gdb_target *)t)->exec_file;
}

const struct gdb_target_ops gdb_target_ops = {
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
};

void gdb_target_init(struct gdb_target *t, struct machine *m)
{
	t->m = m;
	t->mode = GDB_RESUME_CONTINUE;
	t->resuming = false;
	t->regs_valid = false;
	t->exec_file = NULL;
	m->debugging = true;
}
