/*
 * step_irq.c - ending a step that takes an interrupt at the handler's first
 * instruction, outside real mode (see step_irq.h).
 */
#include "step_irq.h"
#include "cpu.h"
#include "debug.h"
#include "location.h"
#include "machine.h"
#include "vaddr.h"
#include "vcpu.h"

#include <string.h>

#define GATE_PRESENT 0x80
#define GATE_TYPE(attr) ((attr) & 0x0f)
#define GATE_INTERRUPT 0x0e	/* 32-bit and 64-bit interrupt gates */
#define GATE_TRAP 0x0f
#define GATE_INTERRUPT16 0x06
#define GATE_TRAP16 0x07
#define SELECTOR_TI 0x04	/* in the LDT */

/* Read len bytes at a linear address through sregs' paging. */
static bool read_linear(const struct machine *m, const struct kvm_sregs *sregs, uint64_t linear,
			uint8_t *buf, size_t len)
{
	struct paging_state st = guest_paging_state(sregs);

	for (size_t done = 0; done < len;) {
		uint64_t phys, room;
		size_t n;

		if (vaddr_translate(&m->mem, &st, linear + done, &phys, &room, NULL) < 0)
			return false;
		n = len - done < room ? len - done : (size_t)room;
		if (mem_read((struct guest_mem *)&m->mem, phys, buf + done, n) < 0)
			return false;
		done += n;
	}
	return true;
}

/* The base of the code segment selector names, from the GDT. */
static bool segment_base(const struct machine *m, const struct kvm_sregs *sregs, uint16_t sel,
			 uint64_t *base)
{
	uint8_t d[8];

	if ((sel & SELECTOR_TI) || (uint32_t)(sel & ~7u) + 7 > sregs->gdt.limit ||
	    !read_linear(m, sregs, sregs->gdt.base + (sel & ~7u), d, sizeof(d)))
		return false;
	*base = (uint64_t)d[2] | (uint64_t)d[3] << 8 | (uint64_t)d[4] << 16 | (uint64_t)d[7] << 24;
	return true;
}

bool step_irq_handler(const struct machine *m, const struct kvm_sregs *sregs, uint8_t vector,
		      uint64_t *linear)
{
	bool long_mode = sregs->efer & EFER_LMA;
	unsigned size = long_mode ? 16 : 8;
	uint8_t g[16];
	uint64_t offset, base = 0;
	uint16_t sel;
	uint8_t attr, type;

	if ((uint32_t)vector * size + size - 1 > sregs->idt.limit ||
	    !read_linear(m, sregs, sregs->idt.base + (uint64_t)vector * size, g, size))
		return false;
	attr = g[5];
	type = GATE_TYPE(attr);
	if (!(attr & GATE_PRESENT))
		return false;
	sel = (uint16_t)(g[2] | g[3] << 8);
	offset = (uint64_t)g[0] | (uint64_t)g[1] << 8;
	if (type == GATE_INTERRUPT || type == GATE_TRAP) {
		offset |= (uint64_t)g[6] << 16 | (uint64_t)g[7] << 24;
		if (long_mode)
			for (unsigned i = 0; i < 4; i++)
				offset |= (uint64_t)g[8 + i] << (32 + 8 * i);
	} else if (long_mode || (type != GATE_INTERRUPT16 && type != GATE_TRAP16)) {
		return false;	/* a task gate, or no gate */
	}
	if (!long_mode && !segment_base(m, sregs, sel, &base))
		return false;
	*linear = long_mode ? offset : (uint32_t)(base + offset);
	return true;
}

void step_irq_arm(struct machine *m, uint8_t vector)
{
	struct debug_state *d = &m->debug;
	struct kvm_sregs sregs;
	struct paging_state st;
	uint64_t linear, phys, room;

	if (d->irq_trap_armed || vcpu_get_sregs(m->kvm.vcpu_fd, &sregs) < 0 ||
	    !(sregs.cr0 & CR0_PE) || !step_irq_handler(m, &sregs, vector, &linear))
		return;
	st = guest_paging_state(&sregs);
	if (vaddr_translate(&m->mem, &st, linear, &phys, &room, NULL) < 0)
		return;
	/* A breakpoint of gdb's already there ends the step by itself. */
	if (debug_insert_hlt(m, linear, phys) == 0) {
		d->irq_trap_armed = true;
		d->irq_trap = linear;
	}
}

void step_irq_disarm(struct machine *m, struct gdb_stop *out)
{
	struct debug_state *d = &m->debug;
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	if (!d->irq_trap_armed)
		return;
	d->irq_trap_armed = false;
	debug_remove(m, DEBUG_SW_BP, d->irq_trap, 1);
	if (out->kind == GDB_STOP_SWBREAK && vcpu_get_location(m->kvm.vcpu_fd, &regs, &sregs) == 0 &&
	    cpu_linear_pc(&regs, &sregs) == d->irq_trap)
		*out = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
}
