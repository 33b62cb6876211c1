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

struct machine;
struct stop;

struct irq_state {
	struct pic pic;
	uint64_t pit_edges_seen;	/* channel 0's rising edges passed to IRQ 0 */
	bool while_stepping;	/* monitor irq-while-stepping on */
	bool halted;		/* stopped while waiting in HLT: resume the wait */
	bool wake;		/* that wait ended: inject even while stepping */
	uint64_t halted_pc;	/* the linear pc after that HLT */
	uint64_t armed_at;	/* host time the wake-up timer is set for (0: none) */
	uint64_t injected;	/* interrupts injected */
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

/* Whether injection is held back now (gdb is single-stepping). */
bool irq_blocked_by_stepping(const struct machine *m);

#endif
