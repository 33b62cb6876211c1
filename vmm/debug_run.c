/*
 * debug_run.c - step and continue under a debugger (see debug_run.h).
 */
#include "debug_run.h"
#include "irq.h"
#include "step_irq.h"
#include "cpu.h"
#include "vcpu.h"
#include "location.h"
#include "report.h"
#include "run.h"
#include "status.h"

#include <errno.h>
#include <stdio.h>
#include <sys/ioctl.h>

static void exited(struct gdb_stop *out, int code)
{
	*out = (struct gdb_stop){ .kind = GDB_STOP_EXITED, .exit_code = code };
}

/* Map a debug exit onto what gdb asked for: which debug register fired. */
static void debug_exit(struct machine *m, const struct stop *st, struct gdb_stop *out)
{
	*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++) {
		const struct hw_slot *h = &m->debug.hw[i];

		if (!(st->dr6 & (1u << i)))
			continue;
		if ((m->debug.backup[i] && debug_sw_at_vaddr(&m->debug, m->debug.backup_addr[i])) ||
		    debug_hw_is_sw(&m->debug, i)) {
			/* A software breakpoint whose HLT the guest may have
			 * overwritten: reported as what gdb set. */
			out->kind = GDB_STOP_SWBREAK;
			return;
		}
		if (!h->used)
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
 * Turn a run's stop into a gdb stop, by its rule (stop.h).  A fatal stop is
 * reported on stderr, and a vCPU error also to gdb (the stop's message).
 * Returns false when the run should simply go on (a signal that was not
 * gdb's interrupt).
 */
static bool convert(struct machine *m, const struct stop *st, struct gdb_stop *out)
{
	const struct stop_rule *rule = stop_rule(st, true);

	switch (st->kind) {
	case STOP_INTERRUPTED:
		if (!m->interrupt_requested)
			return false;
		m->interrupt_requested = 0;
		break;
	case STOP_BREAKPOINT:
		*out = (struct gdb_stop){ .kind = GDB_STOP_SWBREAK, .signal = rule->gdb_signal };
		return true;
	case STOP_DEBUG:
		debug_exit(m, st, out);
		return true;
	case STOP_WATCH:
		*out = (struct gdb_stop){ .kind = GDB_STOP_WATCH, .signal = rule->gdb_signal,
					  .watch_type = GDB_WP_WRITE, .watch_addr = st->addr };
		return true;
	default:
		break;
	}
	if (!rule->gdb_signal) {
		exited(out, stop_status(st, true));
		return true;
	}
	*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = rule->gdb_signal,
				  .fatal = rule->fatal, .exit_code = rule->fatal ? rule->status : 0 };
	if (rule->report == STOP_SAYS_ERROR)
		stop_error_message(st, out->message, sizeof(out->message));
	if (rule->fatal)
		report_stop(m, st, stderr);
	return true;
}

/* A vCPU call failed before or after a run: a fatal stop that says so. */
static void vcpu_error(struct machine *m, const char *failed, int err, struct gdb_stop *out)
{
	struct stop st;

	stop_set_vcpu_error(&st, failed, err);
	convert(m, &st, out);
}

/* Run until a stop gdb must hear about: 0, or -EINTR when a signal came
 * and the run may be interrupted (a continue). */
static int run_until_stop(struct machine *m, bool interruptible, struct gdb_stop *out)
{
	struct stop st;

	/* Single-step and hardware breakpoints as the flags now say (a step
	 * leaves KVM's single-step on until a run without it). */
	int err = debug_apply(m);

	if (err) {
		vcpu_error(m, "KVM_SET_GUEST_DEBUG", err, out);
		return 0;
	}
	for (;;) {
		run_vcpu(m, &st);
		if (convert(m, &st, out))
			return 0;
		if (interruptible && st.kind == STOP_INTERRUPTED)
			return -EINTR;
	}
}

#define FLAGS_TF 0x0100
#define FLAGS_IF 0x0200
#define FLAGS_AC 0x40000

/*
 * KVM single-steps by setting the trap flag in the guest's FLAGS.  Two
 * real-mode instructions would let the guest see that: INT pushes FLAGS and
 * clears TF, so the handler would run untrapped and the step would end
 * after its IRET; PUSHF pushes TF into guest memory.  INT is therefore
 * carried out here, exactly as the CPU does in real mode, and a PUSHF has
 * TF cleared from its stack image after the step.  So is the #UD that UD2
 * raises: a fault, whose pushed IP is the UD2 itself (stepped by KVM, its
 * handler would run untrapped, and one that faults again, or never
 * returns, would never end the step).
 */
struct real_mode_insn {
	bool is_int;		/* INT n, INT3, INTO with OF set, or UD2 (#UD) */
	bool is_fault;		/* the pushed IP is the instruction's own */
	uint8_t vector;
	unsigned len;
	bool is_pushf;		/* PUSHF or PUSHFD */
};

/* Decode the instructions single_step treats specially from code[0..2]
 * (the guest's own bytes, breakpoints lifted). */
static bool decode_real_mode(const uint8_t *code, const struct kvm_regs *regs,
			     struct real_mode_insn *insn)
{
	*insn = (struct real_mode_insn){ 0 };
	switch (code[0]) {
	case 0xcd:
		*insn = (struct real_mode_insn){ .is_int = true, .vector = code[1], .len = 2 };
		return true;
	case 0xcc:
		*insn = (struct real_mode_insn){ .is_int = true, .vector = 3, .len = 1 };
		return true;
	case 0xce:
		if (!(regs->rflags & 0x800))
			return false;	/* INTO without OF: an ordinary step */
		*insn = (struct real_mode_insn){ .is_int = true, .vector = 4, .len = 1 };
		return true;
	case 0x9c:
		insn->is_pushf = true;
		return true;
	case 0x66:
		insn->is_pushf = code[1] == 0x9c;	/* PUSHFD */
		return insn->is_pushf;
	case 0x0f:
		if (code[1] != 0x0b)
			return false;
		*insn = (struct real_mode_insn){ .is_int = true, .is_fault = true, .vector = 6,
						 .len = 2 };	/* UD2 */
		return true;
	default:
		return false;
	}
}

/* Push a 16-bit value in real mode (SP wraps within the stack segment). */
static int push16(struct machine *m, struct kvm_regs *regs, const struct kvm_sregs *sregs,
		  uint16_t v)
{
	uint16_t sp = (uint16_t)(regs->rsp - 2);
	uint8_t bytes[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	if (mem_write(&m->mem, sregs->ss.base + sp, bytes, 2) < 0)
		return -EFAULT;
	regs->rsp = (regs->rsp & ~0xffffULL) | sp;
	return 0;
}

#define VECTOR_GP 13
#define VECTOR_DF 8

/*
 * Which vector a real-mode interrupt really goes through.  The IVT is
 * where IDTR says (lidt moves it) and ends at its limit: a vector whose
 * 4-byte entry lies past the limit raises #GP instead, #GP past it a
 * double fault, and a double fault past it shuts the CPU down (a triple
 * fault).  Returns the vector, or -1 for the shutdown.
 */
static int deliverable_vector(const struct kvm_sregs *sregs, uint8_t vector)
{
	static const int escalation[] = { VECTOR_GP, VECTOR_DF };
	int v = vector;

	for (unsigned i = 0;; i++) {
		if ((uint64_t)v * 4 + 3 <= sregs->idt.limit)
			return v;
		if (i == sizeof(escalation) / sizeof(escalation[0]))
			return -1;
		v = escalation[i];
	}
}

/*
 * INT n (or a fault) in real mode, as one step: push FLAGS, CS, IP; clear
 * IF, TF, AC; jump through the vector table at IDTR.  The step ends on the
 * handler (SIGTRAP), in a triple fault when no vector can be delivered, with
 * SIGSEGV when the table or the stack is not in RAM, or in a vCPU error.
 */
static void emulate_int(struct machine *m, const struct real_mode_insn *insn,
			struct kvm_regs regs, struct kvm_sregs sregs, struct gdb_stop *out)
{
	int vector = deliverable_vector(&sregs, insn->vector);
	bool fault = insn->is_fault || vector != insn->vector;
	uint8_t vec[4];
	uint16_t ret_ip;
	const char *failed;
	int err;

	*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	if (vector < 0) {
		struct stop st = { .kind = STOP_SHUTDOWN, .exit_reason = KVM_EXIT_SHUTDOWN };

		convert(m, &st, out);
		return;
	}
	if (mem_read(&m->mem, sregs.idt.base + (uint64_t)vector * 4, vec, sizeof(vec)) < 0) {
		out->signal = GDB_SIGSEGV;
		return;
	}
	/* A fault (#UD, or the #GP of a vector past the limit) returns to the
	 * instruction itself. */
	ret_ip = (uint16_t)(regs.rip + (fault ? 0 : insn->len));
	if (push16(m, &regs, &sregs, (uint16_t)regs.rflags) < 0 ||
	    push16(m, &regs, &sregs, sregs.cs.selector) < 0 ||
	    push16(m, &regs, &sregs, ret_ip) < 0) {
		out->signal = GDB_SIGSEGV;
		return;
	}
	regs.rflags &= ~(uint64_t)(FLAGS_IF | FLAGS_TF | FLAGS_AC);
	regs.rip = (uint16_t)(vec[0] | vec[1] << 8);
	cpu_real_mode_segment(&sregs.cs, (uint16_t)(vec[2] | vec[3] << 8));
	err = vcpu_set_location(m->kvm.vcpu_fd, &regs, &sregs, &failed);
	if (err)
		vcpu_error(m, failed, err, out);
}

/* After stepping PUSHF: the image on the stack gets the guest's own TF. */
static void fix_pushed_flags(struct machine *m, bool guest_tf)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	uint8_t hi;
	uint64_t at;

	if (vcpu_get_location(m->kvm.vcpu_fd, &regs, &sregs) < 0)
		return;
	at = sregs.ss.base + (uint16_t)regs.rsp + 1;	/* byte holding TF (bit 8) */
	if (mem_read(&m->mem, at, &hi, 1) < 0)
		return;
	hi = (uint8_t)(guest_tf ? hi | 1 : hi & ~1);
	mem_write(&m->mem, at, &hi, 1);
}

static void step_instruction(struct machine *m, uint64_t pc, struct sw_breakpoint *bp,
			     struct gdb_stop *out);

/* Execute exactly one instruction with every breakpoint out of the way. */
static void single_step(struct machine *m, const struct kvm_regs *regs,
			const struct kvm_sregs *sregs, struct gdb_stop *out)
{
	struct paging_state st = guest_paging_state(sregs);
	/* Planted traps live at physical addresses: pc's, through paging. */
	uint64_t pc = debug_phys(m, &st, cpu_linear_pc(regs, sregs));
	struct sw_breakpoint *bp;
	bool real = !(sregs->cr0 & CR0_PE);
	struct real_mode_insn insn;
	uint8_t code[3] = { 0 };

	/* A trap the guest copied here is the instruction it was copied from. */
	debug_settle(m, pc, sizeof(code));
	bp = debug_sw_at(&m->debug, pc);
	/* The guest's own bytes at pc (a planted HLT shows its original). */
	if (mem_read(&m->mem, pc, code, sizeof(code)) < 0)
		mem_read(&m->mem, pc, code, 1);
	debug_unplant_copy(&m->debug, pc, code, sizeof(code));
	/* HLT under single-step would run on into whatever follows it on some
	 * hosts: the guest's own HLT at pc waits here (irq.h's rule), or it
	 * is the end of the guest. */
	if (code[0] == HLT_OPCODE) {
		struct kvm_regs after = *regs;
		int err;

		/* The guest's HLT runs here, not in KVM: a line coverage sees
		 * (the trap on it, if coverage's alone, goes; bp is not used). */
		if (bp)
			debug_cov_note_step(m, pc);
		if (!irq_step_hlt(m, &after, sregs, &err))
			exited(out, STATUS_HALTED);
		else if (err)
			vcpu_error(m, "KVM_SET_REGS", err, out);
		else
			*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
		return;
	}
	if (real && decode_real_mode(code, regs, &insn)) {
		if (insn.is_int) {
			emulate_int(m, &insn, *regs, *sregs, out);
			return;
		}
		step_instruction(m, pc, bp, out);
		if (out->kind == GDB_STOP_SIGNAL && out->signal == GDB_SIGTRAP)
			fix_pushed_flags(m, regs->rflags & FLAGS_TF);
		return;
	}
	step_instruction(m, pc, bp, out);
}

/* The single-step proper, with bp (the breakpoint at pc, if any) lifted. */
static void step_instruction(struct machine *m, uint64_t pc, struct sw_breakpoint *bp,
			     struct gdb_stop *out)
{
	struct debug_state *d = &m->debug;

	if (bp)
		debug_unplant(m, bp);
	d->single_step = true;
	d->step_over = true;
	run_until_stop(m, false, out);
	step_irq_disarm(m, out);
	/* Left on in KVM until the next run that does not step. */
	d->single_step = false;
	d->step_over = false;
	if (bp && debug_sw_at(d, pc) == bp) {
		/* The stepped instruction may have stored over its own first byte. */
		mem_read(&m->mem, pc, &bp->orig, 1);
		debug_replant(m, bp);
	}
}

/*
 * A real-mode step that takes an interrupt (irq.h: the guest waits in
 * HLT, or irq-while-stepping is on): delivered here like INT n, so the
 * step ends on the handler's first instruction and the FLAGS image on the
 * stack is the guest's own.  1: done, *out filled; 0: step normally;
 * -EINTR: a signal or gdb came during the wait (the guest still waits).
 */
static int step_interrupt(struct machine *m, const struct kvm_regs *regs,
			  const struct kvm_sregs *sregs, struct gdb_stop *out)
{
	struct real_mode_insn insn = { .is_int = true, .is_fault = true };
	struct stop st = { 0 };
	int vector;

	if (sregs->cr0 & CR0_PE)
		return 0;	/* KVM delivers it (irq.c) */
	vector = irq_step_vector(m, regs, sregs, &st);
	if (vector == IRQ_STEP_NONE)
		return 0;
	if (vector == IRQ_STEP_STOPPED) {
		if (st.kind == STOP_INTERRUPTED)
			return -EINTR;
		convert(m, &st, out);
		return 1;
	}
	insn.vector = (uint8_t)vector;
	record_note_vector(m, insn.vector);	/* replay delivers it before this step */
	emulate_int(m, &insn, *regs, *sregs, out);
	return 1;
}

static int run_or_step(struct machine *m, enum gdb_resume_mode mode,
		       const struct kvm_regs *known_regs, const struct kvm_sregs *known_sregs,
		       struct gdb_stop *out)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct paging_state st;
	uint64_t pc;

	if (known_regs && known_sregs) {
		regs = *known_regs;
		sregs = *known_sregs;
	} else {
		int err = vcpu_get_location(m->kvm.vcpu_fd, &regs, &sregs);

		if (err) {
			vcpu_error(m, "KVM_GET_REGS/KVM_GET_SREGS", err, out);
			return 0;
		}
	}
	/* Breakpoints follow their linear addresses into the page tables the
	 * guest has now. */
	st = guest_paging_state(&sregs);
	debug_retranslate(m, &st);
	if (mode == GDB_RESUME_STEP) {
		int rc = step_interrupt(m, &regs, &sregs, out);

		if (rc)
			return rc < 0 ? rc : 0;
		single_step(m, &regs, &sregs, out);
		return 0;
	}
	/* Continuing from a breakpoint: step over it first, or it would hit at
	 * once. */
	pc = cpu_linear_pc(&regs, &sregs);
	if (debug_sw_at(&m->debug, debug_phys(m, &st, pc)) || debug_hw_exec_at(&m->debug, pc)) {
		single_step(m, &regs, &sregs, out);
		if (out->kind != GDB_STOP_SIGNAL || out->signal != GDB_SIGTRAP)
			return 0;
	}
	return run_until_stop(m, true, out);
}

int debug_run(struct machine *m, enum gdb_resume_mode mode, bool resuming,
	      const struct kvm_regs *regs, const struct kvm_sregs *sregs, struct gdb_stop *out)
{
	int rc = resuming ? run_or_step(m, mode, regs, sregs, out) : run_until_stop(m, true, out);

	if (rc == 0)
		debug_adopt_guest_writes(m);
	return rc;
}
