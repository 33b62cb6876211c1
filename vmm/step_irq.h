/*
 * step_irq.h - a single step that takes an interrupt outside real mode.
 *
 * Entering a handler through an interrupt or trap gate, the CPU clears TF,
 * the flag KVM single-steps with: the handler would run on untrapped until
 * its next VM exit (measured on AMD SVM in the nested VM: a step that took
 * IRQ 0 ended after the handler's `out` to the PIC).  So when gdbvm injects
 * an interrupt during a step in protected or long mode, it plants a HLT of
 * its own at the handler's first instruction, found through the IDT gate;
 * the step then ends there, before that instruction, as a real-mode step
 * that takes an interrupt does (debug_run.c).  Task gates, and gates that
 * cannot be read, are left alone (the step ends where KVM stops it).
 */
#ifndef GDBVM_STEP_IRQ_H
#define GDBVM_STEP_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "gdbstub.h"

struct machine;
struct kvm_sregs;

/* The linear address of vector's handler under sregs (protected or long
 * mode), or false for a gate that is not an interrupt or trap gate, or
 * that cannot be read. */
bool step_irq_handler(const struct machine *m, const struct kvm_sregs *sregs, uint8_t vector,
		      uint64_t *linear);

/* irq.c injected vector while single-stepping: arm the handler's trap. */
void step_irq_arm(struct machine *m, uint8_t vector);

/* After the step: lift the trap; a stop on it is the step's end (SIGTRAP). */
void step_irq_disarm(struct machine *m, struct gdb_stop *out);

#endif
