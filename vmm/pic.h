/*
 * pic.h - the PC's two 8259A programmable interrupt controllers: the
 * master at ports 0x20/0x21 (IRQ 0-7) and the slave at 0xA0/0xA1 (IRQ
 * 8-15) on the master's input 2.
 *
 * Each chip has its interrupt request, in-service and mask registers
 * (IRR, ISR, IMR), is initialised by the ICW1-ICW4 sequence (vector
 * offset, cascade, automatic EOI, special fully nested mode), and takes
 * the operation commands: OCW1 (mask), OCW2 (specific and non-specific
 * EOI, rotation, set priority) and OCW3 (read IRR or ISR, poll, special
 * mask).  Inputs are edge triggered (a rising edge latches the request)
 * or, after ICW1's LTIM bit, level triggered; either way a request whose
 * line falls before the acknowledge is gone.  Pure: no KVM; the
 * interrupt work (irq.c) asks pic_pending() and acknowledges with
 * pic_acknowledge() when the vCPU takes the interrupt.
 */
#ifndef GDBVM_PIC_H
#define GDBVM_PIC_H

#include <stdbool.h>
#include <stdint.h>

#define PIC_MASTER_PORT	0x20
#define PIC_SLAVE_PORT	0xa0
#define PIC_NPORTS	2
#define PIC_CASCADE_IRQ	2
#define PIC_NIRQ	16

struct pic_chip {
	uint8_t irr, isr, imr;
	uint8_t input;		/* the input lines' levels */
	uint8_t vector_base;	/* ICW2, bits 7-3 */
	uint8_t cascade;	/* ICW3: master: inputs with a slave; slave: its id */
	uint8_t lowest;		/* the input with the lowest priority (rotation) */
	uint8_t init_step;	/* 0: initialised; 2-4: the ICW expected next */
	bool initialised;	/* ICW1 has been written at least once */
	bool need_icw4;
	bool single;		/* ICW1 SNGL: no cascade, no ICW3 */
	bool level;		/* ICW1 LTIM: level triggered inputs */
	bool x86;		/* ICW4 uPM (an 8080-mode chip delivers nothing) */
	bool auto_eoi;
	bool rotate_on_auto_eoi;
	bool fully_nested;	/* ICW4 SFNM */
	bool special_mask;	/* OCW3 SMM */
	bool read_isr;		/* OCW3 RIS: the even port reads ISR, not IRR */
	bool poll;		/* OCW3 P: the next even-port read polls */
};

struct pic {
	struct pic_chip chip[2];	/* master, slave */
	uint64_t acknowledged;		/* interrupts handed to the vCPU */
};

/* Power-on: both chips uninitialised, every input masked. */
void pic_init(struct pic *p);

/* The state a PC BIOS leaves: vectors 08h and 70h, cascade on IRQ 2,
 * non-automatic EOI, inputs unmasked where unmask has the bit set. */
void pic_init_like_bios(struct pic *p, uint16_t unmask);

/* An input line (0-15) goes high or low. */
void pic_set_irq(struct pic *p, unsigned irq, bool high);

/* The vector the master would present now (an unmasked request of higher
 * priority than everything in service), or -1. */
int pic_pending(const struct pic *p);

/* The vCPU takes the interrupt (INTA): the request moves to in-service
 * (unless automatic EOI) on the master and, through IRQ 2, the slave.
 * Returns the vector, or the master's spurious (default) IRQ 7 vector if
 * the request went away: a slave's request that goes away takes the
 * master's IR 2 request with it. */
uint8_t pic_acknowledge(struct pic *p);

/* Whether a request on irq would be delivered if it came now: unmasked
 * on its chip (and the cascade), and not held back by one in service. */
bool pic_irq_open(const struct pic *p, unsigned irq);

/* pio_handlers; ctx is the struct pic. */
void pic_master_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);
void pic_slave_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);

#endif
