/*
 * irq_line.h - a device's interrupt request line: how a device (the 8042,
 * the RTC) tells the interrupt controller that its IRQ input went high or
 * low, without knowing what is on the other end.  A line with no set
 * function is not connected (unit tests, or a device that cannot
 * interrupt): setting it does nothing.
 */
#ifndef GDBVM_IRQ_LINE_H
#define GDBVM_IRQ_LINE_H

#include <stdbool.h>

struct irq_line {
	void (*set)(void *ctx, unsigned irq, bool high);
	void *ctx;
	unsigned irq;		/* the controller's input number (0-15) */
};

static inline void irq_line_set(const struct irq_line *l, bool high)
{
	if (l->set)
		l->set(l->ctx, l->irq, high);
}

/* A rising edge: low then high (an edge-triggered input latches it even
 * when the line was already high). */
static inline void irq_line_pulse(const struct irq_line *l)
{
	irq_line_set(l, false);
	irq_line_set(l, true);
}

#endif
