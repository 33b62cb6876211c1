/*
 * gdb_views.c - where each register of the three views lives in the vCPU
 * state (see gdb_views.h): one table per layout, one reader and one writer.
 */
#include "gdb_views.h"
#include "cpu.h"
#include "location.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

enum loc_kind {
	LOC_NONE,	/* gdb has it, KVM keeps nothing: reads 0, writes ignored */
	LOC_GPR,	/* a kvm_regs field (rip included, for the amd64 view) */
	LOC_FLAGS,	/* rflags: bit 1 always set */
	LOC_LINEAR_PC,	/* CS.base + IP */
	LOC_SEL,	/* a segment's selector */
	LOC_BASE,	/* a segment's base */
	LOC_CTL,	/* a read-only kvm_sregs field (cr0, cr3, cr4, efer) */
	LOC_CR2,	/* cr2: writable */
	LOC_ST,		/* x87 register i */
	LOC_FCW, LOC_FSW, LOC_FTAG, LOC_FIOFF, LOC_FOOFF, LOC_FOP,
	LOC_XMM,	/* xmm register i */
	LOC_MXCSR,
};

struct reg_loc {
	enum loc_kind kind;
	unsigned off;	/* field offset (GPR, SEL, BASE, CTL), or index (ST, XMM) */
};

#define GPR(f) { LOC_GPR, offsetof(struct kvm_regs, f) }
#define SEL(f) { LOC_SEL, offsetof(struct kvm_sregs, f) }
#define BASE(f) { LOC_BASE, offsetof(struct kvm_sregs, f) }
#define CTL(f) { LOC_CTL, offsetof(struct kvm_sregs, f) }
#define STI(i) { LOC_ST, i }
#define XMMI(i) { LOC_XMM, i }
#define X87_CONTROL \
	{ LOC_FCW, 0 }, { LOC_FSW, 0 }, { LOC_FTAG, 0 }, { LOC_NONE, 0 }, \
	{ LOC_FIOFF, 0 }, { LOC_NONE, 0 }, { LOC_FOOFF, 0 }, { LOC_FOP, 0 }

/* i8086 and i386 (gdbstub/regs.c's regs32). */
static const struct reg_loc loc32[] = {
	GPR(rax), GPR(rcx), GPR(rdx), GPR(rbx), GPR(rsp), GPR(rbp), GPR(rsi), GPR(rdi),
	{ LOC_LINEAR_PC, 0 }, { LOC_FLAGS, 0 },
	SEL(cs), SEL(ss), SEL(ds), SEL(es), SEL(fs), SEL(gs),
	STI(0), STI(1), STI(2), STI(3), STI(4), STI(5), STI(6), STI(7),
	X87_CONTROL,
	CTL(cr0), { LOC_CR2, 0 }, CTL(cr3), CTL(cr4), CTL(efer),
	BASE(cs), BASE(ss), BASE(ds), BASE(es), BASE(fs), BASE(gs),
};

/* amd64 (regs64). */
static const struct reg_loc loc64[] = {
	GPR(rax), GPR(rbx), GPR(rcx), GPR(rdx), GPR(rsi), GPR(rdi), GPR(rbp), GPR(rsp),
	GPR(r8), GPR(r9), GPR(r10), GPR(r11), GPR(r12), GPR(r13), GPR(r14), GPR(r15),
	GPR(rip), { LOC_FLAGS, 0 },
	SEL(cs), SEL(ss), SEL(ds), SEL(es), SEL(fs), SEL(gs),
	STI(0), STI(1), STI(2), STI(3), STI(4), STI(5), STI(6), STI(7),
	X87_CONTROL,
	XMMI(0), XMMI(1), XMMI(2), XMMI(3), XMMI(4), XMMI(5), XMMI(6), XMMI(7),
	XMMI(8), XMMI(9), XMMI(10), XMMI(11), XMMI(12), XMMI(13), XMMI(14), XMMI(15),
	{ LOC_MXCSR, 0 },
	BASE(fs), BASE(gs),
	CTL(cr0), { LOC_CR2, 0 }, CTL(cr3), CTL(cr4), CTL(efer),
	BASE(cs), BASE(ss), BASE(ds), BASE(es),
};

_Static_assert(sizeof(loc32) / sizeof(loc32[0]) <= GDB_NUM_REGS_MAX, "loc32");
_Static_assert(sizeof(loc64) / sizeof(loc64[0]) <= GDB_NUM_REGS_MAX, "loc64");

static const struct reg_loc *locations(const struct gdb_arch *view)
{
	return view == &gdb_arch_amd64 ? loc64 : loc32;
}

unsigned gdb_view_table_len(const struct gdb_arch *view)
{
	return view == &gdb_arch_amd64 ? sizeof(loc64) / sizeof(loc64[0])
				       : sizeof(loc32) / sizeof(loc32[0]);
}

const struct gdb_arch *gdb_view_of(const struct kvm_sregs *sregs)
{
	struct kvm_regs none = { 0 };

	switch (guest_mode(&none, sregs)) {
	case GUEST_LONG64:
		return &gdb_arch_amd64;
	case GUEST_PROT32:
		return &gdb_arch_i386;
	case GUEST_COMPAT:
		return sregs->cs.db ? &gdb_arch_i386 : &gdb_arch_i8086;
	default:
		return &gdb_arch_i8086;
	}
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

static const struct kvm_segment *seg_at(const struct cpu_state *s, unsigned off)
{
	return (const struct kvm_segment *)((const char *)&s->sregs + off);
}

static uint64_t u64_at(const void *base, unsigned off)
{
	uint64_t v;

	memcpy(&v, (const char *)base + off, sizeof(v));
	return v;
}

/* The value of an integer register (every kind but ST and XMM). */
static uint64_t read_value(const struct reg_loc *l, const struct cpu_state *s)
{
	switch (l->kind) {
	case LOC_GPR: return u64_at(&s->regs, l->off);
	case LOC_FLAGS: return s->regs.rflags;
	case LOC_LINEAR_PC: return cpu_linear_pc(&s->regs, &s->sregs);
	case LOC_SEL: return seg_at(s, l->off)->selector;
	case LOC_BASE: return seg_at(s, l->off)->base;
	case LOC_CTL: return u64_at(&s->sregs, l->off);
	case LOC_CR2: return s->sregs.cr2;
	case LOC_FCW: return s->fpu.fcw;
	case LOC_FSW: return s->fpu.fsw;
	case LOC_FTAG: return full_tag_word(s->fpu.ftwx);
	case LOC_FIOFF: return s->fpu.last_ip;
	case LOC_FOOFF: return s->fpu.last_dp;
	case LOC_FOP: return s->fpu.last_opcode;
	case LOC_MXCSR: return s->fpu.mxcsr;
	default: return 0;
	}
}

void gdb_view_read(const struct gdb_arch *view, const struct cpu_state *s, uint8_t *buf)
{
	const struct reg_loc *loc = locations(view);

	memset(buf, 0, view->size);
	for (unsigned r = 0; r < view->num_regs; r++) {
		const struct gdb_reg *g = &view->regs[r];
		uint8_t *p = buf + g->offset;
		uint64_t v;

		if (loc[r].kind == LOC_ST) {
			memcpy(p, s->fpu.fpr[loc[r].off], 10);
		} else if (loc[r].kind == LOC_XMM) {
			memcpy(p, s->fpu.xmm[loc[r].off], 16);
		} else {
			v = read_value(&loc[r], s);
			for (unsigned i = 0; i < g->size && i < 8; i++)
				p[i] = (uint8_t)(v >> (8 * i));
		}
	}
}

static bool real_mode(const struct cpu_state *s)
{
	return !(s->sregs.cr0 & CR0_PE);
}

/* v into a field of size bytes: a 32-bit view keeps the upper half. */
static uint64_t merge(uint64_t old, uint64_t v, unsigned size)
{
	return size >= 8 ? v : (old & ~0xffffffffULL) | (v & 0xffffffffULL);
}

int gdb_view_write(const struct gdb_arch *view, struct cpu_state *s, unsigned regno,
		   const uint8_t *val)
{
	const struct reg_loc *l;
	unsigned size;
	uint64_t v = 0, base;

	if (regno >= view->num_regs)
		return -ENOENT;
	l = &locations(view)[regno];
	size = view->regs[regno].size;
	if (l->kind == LOC_ST) {
		memcpy(s->fpu.fpr[l->off], val, 10);
		return 0;
	}
	if (l->kind == LOC_XMM) {
		memcpy(s->fpu.xmm[l->off], val, 16);
		return 0;
	}
	for (unsigned i = 0; i < size && i < 8; i++)
		v |= (uint64_t)val[i] << (8 * i);
	switch (l->kind) {
	case LOC_GPR: {
		uint64_t *f = (uint64_t *)((char *)&s->regs + l->off);

		*f = merge(*f, v, size);
		return 0;
	}
	case LOC_FLAGS:
		s->regs.rflags = merge(s->regs.rflags, v, size) | RFLAGS_RESERVED_1;
		return 0;
	case LOC_LINEAR_PC:
		/* A linear pc: IP must reach it from the current CS. */
		base = s->sregs.cs.base;
		if (v < base || (real_mode(s) && v - base > 0xffff) || v - base > 0xffffffffULL)
			return -ERANGE;
		s->regs.rip = v - base;
		return 0;
	case LOC_SEL: {
		struct kvm_segment *seg = (struct kvm_segment *)((char *)&s->sregs + l->off);

		if (v > 0xffff)
			return -ERANGE;
		if (real_mode(s))
			cpu_real_mode_segment(seg, (uint16_t)v);
		else
			seg->selector = (uint16_t)v;	/* descriptor caches stay */
		return 0;
	}
	case LOC_BASE:
		((struct kvm_segment *)((char *)&s->sregs + l->off))->base = v;
		return 0;
	case LOC_CTL:
		/* Changing these would change the mode or the page tables
		 * under gdb's feet: shown, not written. */
		return v == u64_at(&s->sregs, l->off) ? 0 : -EPERM;
	case LOC_CR2: s->sregs.cr2 = v; return 0;
	case LOC_FCW: s->fpu.fcw = (uint16_t)v; return 0;
	case LOC_FSW: s->fpu.fsw = (uint16_t)v; return 0;
	case LOC_FTAG: s->fpu.ftwx = abridged_tag((uint32_t)v); return 0;
	case LOC_FIOFF: s->fpu.last_ip = v; return 0;
	case LOC_FOOFF: s->fpu.last_dp = v; return 0;
	case LOC_FOP: s->fpu.last_opcode = (uint16_t)v; return 0;
	case LOC_MXCSR: s->fpu.mxcsr = (uint32_t)v; return 0;
	default: return 0;	/* FISEG, FOSEG: KVM keeps no such fields */
	}
}

int gdb_view_set_pc(const struct gdb_arch *view, struct cpu_state *s, uint64_t pc)
{
	const struct gdb_reg *r = &view->regs[view->pc];
	uint8_t val[8];

	if (r->size < 8 && pc > 0xffffffffULL)
		return -ERANGE;
	for (unsigned i = 0; i < 8; i++)
		val[i] = (uint8_t)(pc >> (8 * i));
	return gdb_view_write(view, s, view->pc, val);
}
