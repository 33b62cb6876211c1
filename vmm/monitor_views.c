/*
 * monitor_views.c - info mode, info gdt, info idt, info tab and translate
 * (see monitor_views.h).
 */
#include "monitor_views.h"
#include "location.h"
#include "paging.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define DESC_S (UINT64_C(1) << 44)
#define DESC_P (UINT64_C(1) << 47)
#define DESC_L (UINT64_C(1) << 53)
#define DESC_DB (UINT64_C(1) << 54)
#define DESC_G (UINT64_C(1) << 55)
#define PTE_P (UINT64_C(1) << 0)
#define PTE_PS (UINT64_C(1) << 7)
#define TABLE_32BIT UINT64_C(0xfffff000)
#define TABLE_WIDE UINT64_C(0x000ffffffffff000)

static void say(const struct view_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(const struct view_out *o, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	o->line(o->ctx, line);
}

static uint64_t le(const uint8_t *b, unsigned n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | b[n];
	return v;
}

static bool long_mode(const struct kvm_sregs *s)
{
	return s->efer & PAGING_EFER_LMA;
}

/* ---- info mode ---- */

void view_mode(const struct view_out *o, const struct kvm_regs *regs,
	       const struct kvm_sregs *sregs)
{
	enum guest_mode gm = guest_mode(regs, sregs);
	struct paging_state st = guest_paging_state(sregs);
	enum paging_mode pm = paging_mode(&st);
	/* SS.DPL is the CPL in protected and long mode (Intel SDM 5.5). */
	unsigned cpl = gm == GUEST_REAL ? 0 : gm == GUEST_VM86 ? 3 : sregs->ss.dpl;

	say(o, "mode: %s\n", guest_mode_name(gm));
	if (pm == PAGING_OFF)
		say(o, "paging: off\n");
	else
		say(o, "paging: %s, cr3 0x%llx\n", paging_mode_name(pm),
		    (unsigned long long)sregs->cr3);
	say(o, "cpl: %u\n", cpl);
}

/* ---- info gdt ---- */

static const char *system_type(unsigned type, bool lm)
{
	static const char *const legacy[16] = {
		[1] = "tss16", [2] = "ldt", [3] = "tss16-busy", [4] = "call16", [5] = "task-gate",
		[6] = "int16", [7] = "trap16", [9] = "tss32", [11] = "tss32-busy",
		[12] = "call32", [14] = "int32", [15] = "trap32",
	};
	static const char *const wide[16] = {
		[2] = "ldt", [9] = "tss64", [11] = "tss64-busy", [12] = "call64",
		[14] = "int64", [15] = "trap64",
	};
	const char *name = (lm ? wide : legacy)[type & 15];

	return name ? name : "reserved";
}

/* Bits 63:32 of a long-mode LDT or TSS base, from the descriptor's second
 * half (0 for every other descriptor). */
static uint64_t high_base(const struct guest_mem *mem, const struct paging_state *st,
			  uint64_t gbase, uint32_t limit, uint32_t off, unsigned type, bool lm)
{
	uint8_t b[8];

	if (!lm || !(type == 2 || type == 9 || type == 11) || off + 15 > limit ||
	    paging_read(mem, st, gbase + off + 8, b, 8) < 0)
		return 0;
	return (le(b, 8) & 0xffffffff) << 32;
}

void view_gdt(const struct view_out *o, const struct guest_mem *mem,
	      const struct kvm_sregs *sregs)
{
	struct paging_state st = guest_paging_state(sregs);
	bool lm = long_mode(sregs);
	uint64_t gbase = sregs->gdt.base;
	uint32_t limit = sregs->gdt.limit;
	unsigned lines = 0;

	say(o, "gdt base 0x%llx limit 0x%x\n", (unsigned long long)gbase, limit);
	for (uint32_t off = 8; off + 7 <= limit; off += 8) {
		uint8_t b[8];
		uint64_t d, base, lim;
		unsigned type, dpl;
		int err = paging_read(mem, &st, gbase + off, b, 8);

		if (err) {
			say(o, "0x%04x not readable: %s\n", off, paging_strerror(err));
			return;
		}
		d = le(b, 8);
		if (!d)
			continue;
		if (lines++ == VIEW_MAX_LINES) {
			say(o, "... more descriptors not shown (at most %u)\n", VIEW_MAX_LINES);
			return;
		}
		base = ((d >> 16) & 0xffffff) | ((d >> 56) & 0xff) << 24;
		lim = (d & 0xffff) | ((d >> 48) & 0xf) << 16;
		if (d & DESC_G)
			lim = lim << 12 | 0xfff;
		type = (unsigned)(d >> 40) & 0xf;
		dpl = (unsigned)(d >> 45) & 3;
		if (d & DESC_S) {
			bool code = type & 8;
			const char *width = code && lm && (d & DESC_L) ? "64-bit"
					    : (d & DESC_DB) ? "32-bit" : "16-bit";

			say(o, "0x%04x %016llx %s base 0x%llx limit 0x%llx dpl %u %s%s\n", off,
			    (unsigned long long)d, code ? "code" : "data", (unsigned long long)base,
			    (unsigned long long)lim, dpl, width, (d & DESC_P) ? "" : " not-present");
			continue;
		}
		say(o, "0x%04x %016llx %s base 0x%llx limit 0x%llx dpl %u%s\n", off,
		    (unsigned long long)d, system_type(type, lm),
		    (unsigned long long)(base | high_base(mem, &st, gbase, limit, off, type, lm)),
		    (unsigned long long)lim, dpl, (d & DESC_P) ? "" : " not-present");
		/* Long mode's LDT and TSS descriptors take two slots. */
		if (lm && (type == 2 || type == 9 || type == 11))
			off += 8;
	}
	if (!lines)
		say(o, "no descriptors\n");
}

/* ---- info idt ---- */

void view_idt(const struct view_out *o, const struct guest_mem *mem,
	      const struct kvm_regs *regs, const struct kvm_sregs *sregs)
{
	struct paging_state st = guest_paging_state(sregs);
	bool lm = long_mode(sregs);
	bool real = guest_mode(regs, sregs) == GUEST_REAL;
	unsigned size = real ? 4 : lm ? 16 : 8, lines = 0;
	uint64_t base = sregs->idt.base;
	uint32_t limit = sregs->idt.limit;

	say(o, "idt base 0x%llx limit 0x%x (%s)\n", (unsigned long long)base, limit,
	    real ? "real-mode vector table" : lm ? "64-bit gates" : "32-bit gates");
	for (unsigned v = 0; v < 256 && (uint64_t)v * size + size - 1 <= limit; v++) {
		uint8_t b[16];
		uint64_t d, hi = 0, offset;
		unsigned type, sel, dpl;
		int err = paging_read(mem, &st, base + (uint64_t)v * size, b, size);

		if (err) {
			say(o, "0x%02x not readable: %s\n", v, paging_strerror(err));
			return;
		}
		d = le(b, size < 8 ? size : 8);
		if (size == 16)
			hi = le(b + 8, 8);
		if (real ? d == 0 : !(d & DESC_P))
			continue;
		if (lines++ == VIEW_MAX_LINES) {
			say(o, "... more vectors not shown (at most %u)\n", VIEW_MAX_LINES);
			return;
		}
		if (real) {
			say(o, "0x%02x %04x:%04x\n", v, (unsigned)(d >> 16), (unsigned)(d & 0xffff));
			continue;
		}
		type = (unsigned)(d >> 40) & 0xf;
		sel = (unsigned)(d >> 16) & 0xffff;
		dpl = (unsigned)(d >> 45) & 3;
		offset = (d & 0xffff) | ((d >> 48) & 0xffff) << 16 | (hi & 0xffffffff) << 32;
		if (!lm && type == 5)
			say(o, "0x%02x task-gate tss %04x dpl %u\n", v, sel, dpl);
		else
			say(o, "0x%02x %s %04x:0x%llx dpl %u\n", v, system_type(type, lm), sel,
			    (unsigned long long)offset, dpl);
	}
	if (!lines)
		say(o, "no gates\n");
}

/* ---- info tab ---- */

struct tab_walk {
	const struct view_out *o;
	const struct guest_mem *mem;
	const struct paging_state *st;
	enum paging_mode mode;
	int width;		/* hex digits of a virtual address */
	unsigned entries, lines, outside;
	bool stopped, full;
	bool have;		/* a range is open: */
	uint64_t vfirst, vlast, pfirst;
	struct paging_rights r;
};

static void flush(struct tab_walk *t)
{
	if (!t->have)
		return;
	t->have = false;
	if (t->lines == VIEW_MAX_LINES) {
		t->full = true;
		return;
	}
	t->lines++;
	say(t->o, "0x%0*llx-0x%0*llx -> 0x%llx size 0x%llx %s %s %s\n", t->width,
	    (unsigned long long)t->vfirst, t->width, (unsigned long long)t->vlast,
	    (unsigned long long)t->pfirst, (unsigned long long)(t->vlast - t->vfirst + 1),
	    t->r.writable ? "rw" : "ro", t->r.user ? "user" : "sup", t->r.noexec ? "nx" : "x");
}

/* One mapped page: it extends the open range, or starts the next. */
static void add_page(struct tab_walk *t, uint64_t v, uint64_t p, uint64_t size,
		     struct paging_rights r)
{
	if (t->have && v == t->vlast + 1 && p == t->pfirst + (v - t->vfirst) &&
	    r.writable == t->r.writable && r.user == t->r.user && r.noexec == t->r.noexec) {
		t->vlast = v + size - 1;
		return;
	}
	flush(t);
	if (t->full)
		return;
	t->have = true;
	t->vfirst = v;
	t->vlast = v + size - 1;
	t->pfirst = p;
	t->r = r;
}

static uint64_t canonical(enum paging_mode mode, uint64_t v)
{
	unsigned s = mode == PAGING_5LEVEL ? 7 : mode == PAGING_4LEVEL ? 16 : 0;

	return s ? (uint64_t)((int64_t)(v << s) >> s) : v;
}

static void walk_table(struct tab_walk *t, int level, uint64_t table, uint64_t vbase)
{
	bool narrow = t->mode == PAGING_32BIT;
	unsigned esize = narrow ? 4 : 8;
	unsigned n = narrow ? 1024 : (t->mode == PAGING_PAE && level == 3) ? 4 : 512;
	unsigned shift = narrow ? (level == 2 ? 22 : 12) : 12 + 9 * (unsigned)(level - 1);

	for (unsigned i = 0; i < n && !t->stopped && !t->full; i++) {
		uint8_t b[8];
		uint64_t e, v;
		bool leaf;

		if (++t->entries > VIEW_MAX_ENTRIES) {
			t->stopped = true;
			return;
		}
		if (mem_read(t->mem, table + (uint64_t)i * esize, b, esize) < 0) {
			t->outside++;
			return;
		}
		e = le(b, esize);
		if (!(e & PTE_P))
			continue;
		v = vbase | (uint64_t)i << shift;
		leaf = level == 1 ||
		       ((e & PTE_PS) && level == 2 && (!narrow || (t->st->cr4 & PAGING_CR4_PSE))) ||
		       ((e & PTE_PS) && level == 3 && t->mode >= PAGING_4LEVEL &&
			t->mode <= PAGING_5LEVEL);
		if (leaf) {
			/* The CPU's own walk decides: reserved bits, rights. */
			struct paging_walk w;
			uint64_t cv = canonical(t->mode, v);

			if (paging_translate(t->mem, t->st, cv, &w) == 0)
				add_page(t, cv, w.phys, w.page_size, paging_walk_rights(t->st, &w));
			continue;
		}
		walk_table(t, level - 1, e & (narrow ? TABLE_32BIT : TABLE_WIDE), v);
	}
}

static int top_level(enum paging_mode mode)
{
	return mode == PAGING_5LEVEL ? 5 : mode == PAGING_4LEVEL ? 4 : mode == PAGING_PAE ? 3 : 2;
}

static uint64_t top_table(enum paging_mode mode, uint64_t cr3)
{
	return mode == PAGING_32BIT ? cr3 & TABLE_32BIT
	       : mode == PAGING_PAE ? cr3 & UINT64_C(0xffffffe0) : cr3 & TABLE_WIDE;
}

void view_tab(const struct view_out *o, const struct guest_mem *mem,
	      const struct kvm_sregs *sregs)
{
	struct paging_state st = guest_paging_state(sregs);
	struct tab_walk t = { .o = o, .mem = mem, .st = &st, .mode = paging_mode(&st) };

	if (t.mode == PAGING_OFF) {
		say(o, "paging off: linear addresses are physical\n");
		return;
	}
	if (t.mode == PAGING_INVALID) {
		say(o, "paging invalid: %s\n", paging_strerror(-PAGING_ERR_BAD_STATE));
		return;
	}
	t.width = t.mode >= PAGING_4LEVEL ? 16 : 8;
	say(o, "%s paging, cr3 0x%llx\n", paging_mode_name(t.mode), (unsigned long long)sregs->cr3);
	walk_table(&t, top_level(t.mode), top_table(t.mode, sregs->cr3), 0);
	flush(&t);
	if (t.full)
		say(o, "... more ranges not shown (at most %u)\n", VIEW_MAX_LINES);
	if (t.stopped)
		say(o, "... stopped after %u page-table entries\n", VIEW_MAX_ENTRIES);
	if (t.outside)
		say(o, "%u page tables outside guest RAM skipped\n", t.outside);
	if (!t.lines && !t.full)
		say(o, "no pages mapped\n");
}

/* ---- translate ADDR ---- */

static unsigned level_index(enum paging_mode mode, int level, uint64_t linear)
{
	if (mode == PAGING_32BIT)
		return (unsigned)(linear >> (level == 2 ? 22 : 12)) & 0x3ff;
	return (unsigned)(linear >> (12 + 9 * (level - 1))) &
	       (mode == PAGING_PAE && level == 3 ? 3 : 0x1ff);
}

static const char *page_size_name(uint64_t size)
{
	return size == (UINT64_C(1) << 30) ? "1 GiB" : size == (UINT64_C(1) << 22) ? "4 MiB"
	       : size == (UINT64_C(1) << 21) ? "2 MiB" : "4 KiB";
}

int view_translate(const struct view_out *o, const struct guest_mem *mem,
		   const struct kvm_sregs *sregs, const char *arg)
{
	struct paging_state st = guest_paging_state(sregs);
	enum paging_mode mode = paging_mode(&st);
	struct paging_walk w;
	unsigned long long linear;
	char *end;
	int err;

	errno = 0;
	linear = strtoull(arg, &end, 0);
	if (!*arg || *arg == '-' || *end || errno)
		return -EINVAL;
	if (mode == PAGING_OFF) {
		say(o, "linear 0x%llx: paging off, physical 0x%llx\n", linear, linear);
		return 0;
	}
	say(o, "linear 0x%llx, %s paging, cr3 0x%llx\n", linear, paging_mode_name(mode),
	    (unsigned long long)sregs->cr3);
	err = paging_translate(mem, &st, linear, &w);
	if (mode == PAGING_32BIT || mode == PAGING_PAE)
		linear &= 0xffffffff;
	for (int level = top_level(mode); w.level && level >= w.level; level--) {
		bool large = !err && level == w.level && w.page_size > 4096;

		say(o, "%s[%u] at 0x%llx = 0x%llx%s%s%s\n", paging_level_name(mode, level),
		    level_index(mode, level, linear), (unsigned long long)w.path_addr[level],
		    (unsigned long long)w.path_entry[level], large ? " (" : "",
		    large ? page_size_name(w.page_size) : "", large ? " page)" : "");
	}
	if (err)
		say(o, "not mapped: %s\n", paging_strerror(err));
	else
		say(o, "physical 0x%llx\n", (unsigned long long)w.phys);
	return 0;
}
