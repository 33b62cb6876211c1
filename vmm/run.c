/*
 * run.c - the KVM_RUN loop and the table of exit handlers (see run.h).
 *
 * Each handler either finishes the exit and lets the vCPU go on (returns
 * false) or fills in the stop and ends the run (returns true).
 */
#include "run.h"
#include "report.h"
#include "cpu.h"
#include "vcpu.h"
#include "location.h"
#include "irq.h"
#include "signals.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/ioctl.h>

typedef bool (*exit_handler)(struct machine *m, struct stop *stop);

/*
 * KVM finishes an I/O or MMIO instruction only on the next KVM_RUN.  Before
 * a debugger looks at the vCPU, re-enter with immediate_exit set: KVM then
 * completes it and returns (EINTR, or a debug exit for a finished step)
 * without running anything further, so IP and memory are final on every
 * host.
 */
static void complete_pending_exit(struct machine *m)
{
	m->kvm.run->immediate_exit = 1;
	if (ioctl(m->kvm.vcpu_fd, KVM_RUN, 0) < 0 && errno != EINTR && errno != EAGAIN) {
		/* Nothing better to do: the stop is reported all the same. */
	}
	vcpu_note_run();
	m->kvm.run->immediate_exit = 0;
}

/* After an exit the VMM finished itself: does a single-step end here? */
static bool step_ends_here(struct machine *m, struct stop *stop)
{
	if (debug_cov_step_done(m))
		return false;	/* a step over a kept coverage trap, not gdb's */
	if (!m->debugging || !m->debug.single_step)
		return false;
	complete_pending_exit(m);
	stop->kind = STOP_STEP_DONE;
	return true;
}

static bool exit_io(struct machine *m, struct stop *stop)
{
	struct kvm_run *run = m->kvm.run;
	uint64_t span = (uint64_t)run->io.size * run->io.count;

	/* The data sits inside the kvm_run mapping; a bogus offset from a
	 * broken host must not make us touch anything outside it. */
	if (run->io.data_offset > m->kvm.run_size || span > m->kvm.run_size - run->io.data_offset ||
	    (run->io.size != 1 && run->io.size != 2 && run->io.size != 4)) {
		stop->kind = STOP_UNEXPECTED;
		return true;
	}
	pio_dispatch(&m->pio, run->io.port, (uint8_t *)run + run->io.data_offset, run->io.size,
		     run->io.count, run->io.direction == KVM_EXIT_IO_OUT);
	if (run->io.direction == KVM_EXIT_IO_IN)	/* replay will need what was read */
		record_note_input(m, (uint8_t *)run + run->io.data_offset, (size_t)span);
	if (m->exitport.requested) {
		stop->kind = STOP_EXIT_PORT;
		stop->value = m->exitport.value;
		return true;
	}
	if (m->kbd.reset_requested) {	/* the keyboard controller (kbd) */
		m->kbd.reset_requested = false;
		if (m->debugging)
			complete_pending_exit(m);
		fprintf(stderr, "gdbvm: the guest reset the machine through the keyboard controller "
			"(port 0x64); gdbvm does not reboot: stopped\n");
		stop->kind = STOP_RESET;
		return true;
	}
	if (m->bios.stop_requested) {
		m->bios.stop_requested = false;
		if (m->debugging)
			complete_pending_exit(m);
		stop->kind = STOP_BIOS_CALL;
		return true;
	}
	return step_ends_here(m, stop);
}

/* A guest write into a page made read-only for a write watchpoint or a
 * planted breakpoint: carry it out, and stop after the instruction when it
 * touches a watched range. */
static bool protected_write(struct machine *m, struct stop *stop)
{
	struct kvm_run *run = m->kvm.run;
	uint64_t addr = run->mmio.phys_addr;
	uint32_t len = run->mmio.len <= 8 ? run->mmio.len : 8;
	const struct write_watch *w;

	debug_guest_store(m, addr, run->mmio.data, len);
	w = debug_write_hit(&m->debug, addr, len);
	if (!w)
		return step_ends_here(m, stop);
	complete_pending_exit(m);
	stop->kind = STOP_WATCH;
	/* gdb's (linear) address of the first watched byte written. */
	stop->addr = w->linear + ((addr > w->addr ? addr : w->addr) - w->addr);
	return true;
}

static bool exit_mmio(struct machine *m, struct stop *stop)
{
	struct kvm_run *run = m->kvm.run;

	if (run->mmio.is_write && run->mmio.len <= 8 &&
	    mem_range_ok(&m->mem, run->mmio.phys_addr, run->mmio.len) &&
	    debug_in_protected_page(&m->debug, run->mmio.phys_addr, run->mmio.len))
		return protected_write(m, stop);
	mmio_access(&m->mmio, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
		    run->mmio.is_write);
	return step_ends_here(m, stop);
}

static bool exit_hlt(struct machine *m, struct stop *stop)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	enum hlt_meaning meaning;
	int err;

	stop->kind = STOP_HALT;
	if (m->debug.nsw == 0 && m->debug.nretired == 0)
		return irq_hlt(m, stop);	/* no breakpoint was ever planted */
	/* IP is past the HLT: one byte back is a planted breakpoint, a copy
	 * of one, or the guest's own HLT. */
	if (vcpu_get_location(m->kvm.vcpu_fd, &regs, &sregs) < 0)
		return true;
	{
		struct paging_state st = guest_paging_state(&sregs);

		/* Planted HLTs are physical: the one the pc went through. */
		meaning = debug_hlt_meaning(m, debug_phys(m, &st, cpu_linear_pc(&regs, &sregs) - 1));
	}
	if (meaning == HLT_GUEST)
		return irq_hlt(m, stop);
	regs.rip -= 1;
	err = vcpu_set_regs(m->kvm.vcpu_fd, &regs);
	if (err) {
		/* not the guest's HLT: the breakpoint cannot be shown */
		stop_set_vcpu_error(stop, "KVM_SET_REGS", err);
		return true;
	}
	/* A kept coverage trap is stepped over (debug_cov_hit), and KVM keeps
	 * its single-step only at the pc it was set up at: one byte on, before
	 * this rewind.  Set it up again here (VT-x and AMD-V; kvm_pvm does not
	 * mind), or the guest runs on untrapped. */
	if (meaning == HLT_COVERAGE && m->debug.cov_stepping && (err = debug_apply(m)) != 0) {
		stop_set_vcpu_error(stop, "KVM_SET_GUEST_DEBUG", err);
		return true;
	}
	if (meaning == HLT_COPIED_TRAP || meaning == HLT_COVERAGE)
		return false;	/* the guest's own byte runs now */
	stop->kind = STOP_BREAKPOINT;
	/* The stop reply reads these next: save it two ioctls. */
	m->stop_regs = regs;
	m->stop_sregs = sregs;
	m->stop_regs_valid = true;
	return true;
}

#define VECTOR_BP 3

/*
 * An int3 under KVM_GUESTDBG_USE_SW_BP (on while an int3 is planted in a
 * user page): one of ours is a breakpoint, with IP put back on it; any
 * other is the guest's own and goes back to it, to its own handler.
 */
static bool exit_int3(struct machine *m, struct stop *stop)
{
	struct debug_state *d = &m->debug;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct paging_state st;
	const struct sw_breakpoint *bp;
	uint64_t phys;
	int err;

	err = vcpu_get_location(m->kvm.vcpu_fd, &regs, &sregs);
	if (err) {
		stop_set_vcpu_error(stop, "KVM_GET_REGS/KVM_GET_SREGS", err);
		return true;
	}
	st = guest_paging_state(&sregs);
	phys = debug_phys(m, &st, m->kvm.run->debug.arch.pc - d->int3_pc_after);
	bp = debug_sw_at(d, phys);
	if (bp && bp->int3 && !bp->lifted && debug_cov_hit(m, phys, true)) {
		/* Coverage's: counted, no stop; the guest's byte runs now.  A
		 * step over a kept trap is set up again after the rewind (see
		 * exit_hlt). */
		regs.rip -= d->int3_pc_after;
		err = d->int3_pc_after ? vcpu_set_regs(m->kvm.vcpu_fd, &regs) : 0;
		if (err) {
			stop_set_vcpu_error(stop, "KVM_SET_REGS", err);
			return true;
		}
		err = d->int3_pc_after && d->cov_stepping ? debug_apply(m) : 0;
		if (err)
			stop_set_vcpu_error(stop, "KVM_SET_GUEST_DEBUG", err);
		return err != 0;
	}
	if (!bp || !bp->int3 || bp->lifted) {
		err = debug_inject_bp(m);
		if (err) {
			stop_set_vcpu_error(stop, "KVM_SET_GUEST_DEBUG (KVM_GUESTDBG_INJECT_BP)", err);
			return true;
		}
		return false;
	}
	if (d->int3_pc_after) {
		regs.rip -= d->int3_pc_after;
		err = vcpu_set_regs(m->kvm.vcpu_fd, &regs);
		if (err) {
			stop_set_vcpu_error(stop, "KVM_SET_REGS", err);
			return true;
		}
	}
	stop->kind = STOP_BREAKPOINT;
	m->stop_regs = regs;
	m->stop_sregs = sregs;
	m->stop_regs_valid = true;
	return true;
}

static bool exit_debug(struct machine *m, struct stop *stop)
{
	if (debug_cov_step_done(m))
		return false;	/* the step over a kept coverage trap ended */
	if (m->kvm.run->debug.arch.exception == VECTOR_BP)
		return exit_int3(m, stop);
	stop->kind = STOP_DEBUG;
	stop->addr = m->kvm.run->debug.arch.pc;
	stop->dr6 = m->kvm.run->debug.arch.dr6;
	return true;
}

/* The guest can take the interrupt it could not before: the next run
 * injects it. */
static bool exit_irq_window(struct machine *m, struct stop *stop)
{
	(void)stop;
	m->irq.windows++;
	return false;
}

static bool exit_shutdown(struct machine *m, struct stop *stop)
{
	(void)m;
	stop->kind = STOP_SHUTDOWN;
	return true;
}

static bool exit_internal_error(struct machine *m, struct stop *stop)
{
	stop->kind = STOP_INTERNAL_ERROR;
	stop->value = m->kvm.run->internal.suberror;
	return true;
}

static bool exit_fail_entry(struct machine *m, struct stop *stop)
{
	stop->kind = STOP_FAIL_ENTRY;
	stop->value = (uint32_t)m->kvm.run->fail_entry.hardware_entry_failure_reason;
	return true;
}

/* Only the wake-up timer kicked the vCPU: not a stop, the loop goes on
 * (and injects what came due). */
static bool only_wakeup(struct machine *m)
{
	if (!signals_take_wakeup() || signals_stop_pending() || m->interrupt_requested)
		return false;
	m->kvm.run->immediate_exit = 0;
	m->irq.armed_at = 0;
	return true;
}

/* KVM_EXIT_INTR: a signal arrived while the guest ran; same as EINTR. */
static bool exit_intr(struct machine *m, struct stop *stop)
{
	if (only_wakeup(m))
		return false;
	stop->kind = STOP_INTERRUPTED;
	return true;
}

static bool exit_unexpected(struct machine *m, struct stop *stop)
{
	(void)m;
	stop->kind = STOP_UNEXPECTED;
	return true;
}

#define EXIT_ENTRY(reason, fn) [reason] = fn

static const exit_handler exit_table[] = {
	EXIT_ENTRY(KVM_EXIT_UNKNOWN, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_EXCEPTION, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_IO, exit_io),
	EXIT_ENTRY(KVM_EXIT_HYPERCALL, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_DEBUG, exit_debug),
	EXIT_ENTRY(KVM_EXIT_HLT, exit_hlt),
	EXIT_ENTRY(KVM_EXIT_MMIO, exit_mmio),
	EXIT_ENTRY(KVM_EXIT_IRQ_WINDOW_OPEN, exit_irq_window),
	EXIT_ENTRY(KVM_EXIT_SHUTDOWN, exit_shutdown),
	EXIT_ENTRY(KVM_EXIT_FAIL_ENTRY, exit_fail_entry),
	EXIT_ENTRY(KVM_EXIT_INTR, exit_intr),
	EXIT_ENTRY(KVM_EXIT_SET_TPR, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_TPR_ACCESS, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_NMI, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_INTERNAL_ERROR, exit_internal_error),
	EXIT_ENTRY(KVM_EXIT_SYSTEM_EVENT, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_IOAPIC_EOI, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_HYPERV, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_X86_RDMSR, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_X86_WRMSR, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_DIRTY_RING_FULL, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_X86_BUS_LOCK, exit_unexpected),
	EXIT_ENTRY(KVM_EXIT_NOTIFY, exit_unexpected),
};

#define EXIT_TABLE_SIZE (sizeof(exit_table) / sizeof(exit_table[0]))

void run_vcpu(struct machine *m, struct stop *stop)
{
	struct kvm_run *run = m->kvm.run;

	for (;;) {
		exit_handler handler = exit_unexpected;
		uint32_t reason;
		int err, rc;

		*stop = (struct stop){ 0 };
		m->stop_regs_valid = false;
		/* --display: a frame if one is due (the wake-up timer below
		 * comes back here when it is); its quit key stops the run. */
		if (m->display)
			display_refresh(m->display, display_now_ns());
		if (m->interrupt_requested || display_quit_requested(m->display)) {
			stop->kind = STOP_INTERRUPTED;
			return;
		}
		if (irq_resume_halted(m, stop))
			return;
		err = irq_before_run(m);
		if (err) {
			stop_set_vcpu_error(stop, "KVM_INTERRUPT", err);
			return;
		}
		rc = ioctl(m->kvm.vcpu_fd, KVM_RUN, 0);
		vcpu_note_run();
		if (rc < 0) {
			if ((errno == EINTR || errno == EAGAIN) && only_wakeup(m))
				continue;
			if (errno == EINTR || errno == EAGAIN) {
				/* A signal handler set immediate_exit (or the
				 * signal came mid-run); the caller decides. */
				run->immediate_exit = 0;
				stop->kind = STOP_INTERRUPTED;
			} else {
				stop_set_vcpu_error(stop, "KVM_RUN", -errno);
			}
			return;
		}
		reason = run->exit_reason;
		stop->exit_reason = reason;
		m->exit_counts[reason < EXIT_REASON_MAX ? reason : EXIT_REASON_MAX]++;
		if (m->trace)
			report_trace_exit(m, m->trace);
		if (reason < EXIT_TABLE_SIZE && exit_table[reason])
			handler = exit_table[reason];
		if (handler(m, stop))
			return;
	}
}
