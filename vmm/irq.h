/*
 * irq.h - interrupts from gdbvm's devices to the vCPU: the interrupt
 * sources (the PIT on IRQ 0, the RTC on IRQ 8; each a row of a table in
 * irq.c), the 8259A pair they feed, injection with KVM_INTERRUPT when the
 * vCPU can take an interrupt (else an interrupt window is requested), the
 * wake-up timer that kicks KVM_RUN when a source's next event is due, and
 * the rule for the guest's HLT:
 *
 *   A HLT with IF clear, or with no source that can ever raise an unmasked
 *   interrupt, ends the guest (exit status 0, as before).  A HLT with IF
 *   set while a source is armed (the PIT counting into an unmasked IRQ 0,
 *   the RTC's enabled interrupt into an unmasked IRQ 8, the keyboard while
 *   stdin is open) waits for the interrupt, sleeping in the host.
 *
 * While gdb single-steps the guest no interrupt is injected (unless
 * `monitor irq-while-stepping on`), so a step lands on the next
 * instruction of the code being stepped; guest time (guest_clock.h) stands
 * still while gdb holds the guest, so no ticks pile up meanwhile.
 */
#ifndef GDBVM_IRQ_H
#define GDBVM_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "pic.h"

#include <linux/kvm.h>

struct machine;
struct stop;

/* Timer ticks kept for an IRQ 0 that could not take them at once. */
#define IRQ_PIT_OWED_MAX 100

struct irq_state {
	struct pic pic;
	uint64_t pit_edges_seen;	/* channel 0's rising edges seen so far */
	unsigned pit_owed;	/* of those, ticks not yet latched at IRQ 0 */
	bool while_stepping;	/* monitor irq-while-stepping on */
	bool halted;		/* stopped while waiting in HLT: resume the wait */
	bool wake;		/* that wait ended: inject even while stepping */
	uint64_t halted_pc;	/* the linear pc after that HLT */
	uint64_t armed_at;	/* host time the wake-up timer is set for (0: none) */
	uint64_t kbd_pumped_at;	/* host time stdin was last looked at for keys */
	uint64_t injected;	/* interrupts injected */
	uint8_t last_vector;	/* the last one's vector (when injected > 0) */
	uint64_t windows;	/* interrupt-window exits */
	uint64_t waits;		/* HLTs that waited */
};

/* Power-on state; like_bios: the PIC as a PC BIOS leaves it (--boot). */
void irq_init(struct machine *m, bool like_bios);

/* Register the PIC's ports. 0/-errno. */
int irq_register(struct machine *m);

/*
 * Before each KVM_RUN: bring the sources' lines up to date, inject the
 * interrupt the PIC presents if the vCPU can take it (else ask for an
 * interrupt window), and arm the wake-up timer for the next event.
 * 0, or -errno from KVM_INTERRUPT.
 */
int irq_before_run(struct machine *m);

/*
 * The guest's own HLT exited (the vCPU is past it): apply the HLT rule.
 * Returns false when the guest goes on (an interrupt is ready to inject),
 * true with *stop filled when the run ends: STOP_HALT (nothing can wake
 * it) or STOP_INTERRUPTED (a signal or gdb came while it waited; the next
 * run waits again, see irq_resume_halted).
 */
bool irq_hlt(struct machine *m, struct stop *stop);

/*
 * At the start of a run: if the last run stopped while the guest waited in
 * HLT and its pc has not moved, wait again.  Same results as irq_hlt, and
 * false also when there was no wait to resume.
 */
bool irq_resume_halted(struct machine *m, struct stop *stop);

/* The PIC pair, the sources and the counters, one line at a time (for
 * `monitor irq`). */
void irq_describe(struct machine *m, void (*line)(void *ctx, const char *text), void *ctx);

/*
 * gdb steps the guest's HLT (the vCPU's pc is on it): when the HLT rule
 * says it waits, carry it out here (pc past it, the vCPU waiting: the
 * next resume waits for the interrupt, which a step then enters) and
 * return true; false when the HLT ends the guest.  0 < *err on a vCPU
 * error (then true).
 */
bool irq_step_hlt(struct machine *m, struct kvm_regs *regs, const struct kvm_sregs *sregs,
		  int *err);

/*
 * A real-mode step may take an interrupt (the debugger carries the
 * delivery out itself, as it does INT n): when the guest waits in HLT at
 * this pc the step waits for the interrupt and takes it; with
 * irq-while-stepping on and IF set it takes one that is pending.  Returns
 * the vector (acknowledged at the PIC), IRQ_STEP_NONE (step normally), or
 * IRQ_STEP_STOPPED with *stop filled (the wait ended without one).
 */
#define IRQ_STEP_NONE (-1)
#define IRQ_STEP_STOPPED (-2)
int irq_step_vector(struct machine *m, const struct kvm_regs *regs,
		    const struct kvm_sregs *sregs, struct stop *stop);

/* Whether injection is held back now (gdb is single-stepping). */
bool irq_blocked_by_stepping(const struct machine *m);

#endif
