/*
 * record.c - recording under KVM and restoring from the history (see
 * record.h; how it was chosen and measured: docs in record.h and the
 * recording probes' results).
 */
#include "record.h"
#include "cpu.h"
#include "fpu_insn.h"
#include "location.h"
#include "machine.h"
#include "vaddr.h"
#include "vcpu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#define PAGE MEM_PAGE_SIZE

static void free_buffers(struct recorder *r, uint64_t ram_size)
{
	if (r->shadow)
		munmap(r->shadow, ram_size);
	free(r->dirty);
	free(r->written);
	free(r->input);
	free(r->page);
	r->page = NULL;
	r->shadow = NULL;
	r->dirty = r->written = NULL;
	r->input = NULL;
	r->input_cap = r->ninput = 0;
}

/* The pages the guest wrote since the last look, ORed into rec.dirty
 * (adoption's harvests after a run feed it too: debug.h). */
static int get_dirty_log(struct machine *m)
{
	return debug_dirty_harvest(m);
}

/* The vCPU's registers into state: from kvm_run when they are current
 * there, otherwise with the ioctls (after gdbvm wrote registers itself).
 * The FPU words are read when fpu says so or with the ioctls, else kept
 * from the last step (kvm_run has no copy of them). */
static int read_state(struct machine *m, uint64_t *state, bool fpu)
{
	struct recorder *r = &m->rec;
	struct cpu_state cpu;
	unsigned parts = VCPU_REGS | VCPU_SREGS | VCPU_FPU;

	memcpy(&cpu, r->state, sizeof(cpu));
	if (vcpu_runs() > r->runs_at_start && vcpu_run_copy_current()) {
		cpu.regs = m->kvm.run->s.regs.regs;
		cpu.sregs = m->kvm.run->s.regs.sregs;
		parts = fpu ? VCPU_FPU : 0;
	} else {
		r->state_reads++;
	}
	if (parts & VCPU_FPU)
		r->fpu_reads++;
	if (parts && vcpu_get(m->kvm.vcpu_fd, &cpu, parts, NULL) < 0)
		return -errno;
	memcpy(state, &cpu, sizeof(cpu));
	return 0;
}

/* Might the instruction the step ran from state have changed the FPU?
 * Its bytes come from the shadow: RAM as it was before the step. */
static bool step_may_touch_fpu(struct machine *m, const uint64_t *state)
{
	struct cpu_state cpu;
	struct paging_state st;
	uint8_t code[15];
	size_t n = 0;
	uint64_t linear;

	memcpy(&cpu, state, sizeof(cpu));
	st = guest_paging_state(&cpu.sregs);
	linear = cpu_linear_pc(&cpu.regs, &cpu.sregs);
	while (n < sizeof(code)) {
		uint64_t phys, room;

		if (vaddr_translate(&m->mem, &st, linear + n, &phys, &room, NULL) < 0)
			break;
		for (; room && n < sizeof(code) && phys < m->mem.size; room--)
			code[n++] = m->rec.shadow[phys++];
		if (!room && n < sizeof(code))
			continue;
		break;
	}
	return fpu_insn_may_change(code, n, cpu.sregs.cs.l && (cpu.sregs.efer & EFER_LMA));
}

int record_start(struct machine *m, uint64_t budget)
{
	struct recorder *r = &m->rec;
	size_t npages = (size_t)((m->mem.size + PAGE - 1) / PAGE);
	void *shadow;
	int err;

	if (r->on)
		return -EBUSY;
	if (ioctl(m->kvm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) <= 0)
		return -EOPNOTSUPP;
	*r = (struct recorder){ .vector = HISTORY_NO_VECTOR };
	r->map_words = (npages + 63) / 64;
	shadow = mmap(NULL, m->mem.size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	r->shadow = shadow == MAP_FAILED ? NULL : shadow;
	r->dirty = calloc(r->map_words, sizeof(uint64_t));
	r->written = calloc(r->map_words, sizeof(uint64_t));
	r->page = malloc(PAGE);
	err = -ENOMEM;
	if (!r->shadow || !r->dirty || !r->written || !r->page)
		goto fail;
	err = history_init(&r->hist, RECORD_NWORDS, budget, 0);
	if (err)
		goto fail;
	err = debug_dirty_log(m, r->dirty);
	if (!err)
		err = get_dirty_log(m);
	if (err)
		goto fail_log;
	memset(r->dirty, 0, r->map_words * sizeof(uint64_t));	/* from now on */
	memcpy(r->shadow, m->mem.host, m->mem.size);
	/* The shadow holds the guest's view: no planted breakpoints. */
	debug_unplant_copy(&m->debug, 0, r->shadow, m->mem.size);
	m->kvm.run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
	r->runs_at_start = vcpu_runs();	/* kvm_run's copy is good after the next run */
	err = read_state(m, r->state, true);
	if (err) {
		m->kvm.run->kvm_valid_regs = 0;
		goto fail_log;
	}
	m->mem.written = r->written;
	r->on = true;
	return 0;
fail_log:
	debug_dirty_log(m, NULL);
	history_free(&r->hist);
fail:
	free_buffers(r, m->mem.size);
	return err;
}

void record_stop(struct machine *m)
{
	struct recorder *r = &m->rec;

	if (!r->on)
		return;
	m->mem.written = NULL;
	m->kvm.run->kvm_valid_regs = 0;
	/* Nothing to do if KVM refuses: the log then only costs time. */
	debug_dirty_log(m, NULL);
	history_free(&r->hist);
	free_buffers(r, m->mem.size);
	r->on = false;
}

void record_note_input(struct machine *m, const uint8_t *bytes, size_t len)
{
	struct recorder *r = &m->rec;

	if (!r->on || r->input_lost || len == 0)
		return;
	if (len > r->input_cap - r->ninput) {
		size_t cap = r->ninput + len < 64 ? 64 : 2 * (r->ninput + len);
		uint8_t *p = cap > r->ninput ? realloc(r->input, cap) : NULL;

		if (!p) {
			r->input_lost = true;
			return;
		}
		r->input = p;
		r->input_cap = cap;
	}
	memcpy(r->input + r->ninput, bytes, len);
	r->ninput += len;
}

void record_note_vector(struct machine *m, uint8_t vector)
{
	if (m->rec.on)
		m->rec.vector = vector;
}

/* Add the spans of page that differ from the shadow (in the guest's view)
 * to the step being built, and bring the shadow up to date. */
static void compare_page(struct machine *m, uint64_t page, bool building)
{
	struct recorder *r = &m->rec;
	struct guest_mem *mem = &m->mem;
	uint64_t at = page * PAGE;
	uint64_t len = mem->size - at < PAGE ? mem->size - at : PAGE;
	uint8_t *sh = r->shadow + at, *ram = mem->host + at;
	uint64_t lo = 0, hi = len;

	/* The history keeps the guest's bytes, not the debugger's traps
	 * (looked up by page: most pages have none, and need no copy). */
	if (m->debug.nsw && debug_any_trap_in(&m->debug, at, len)) {
		memcpy(r->page, ram, len);
		debug_unplant_copy(&m->debug, at, r->page, len);
		ram = r->page;
	}

	r->pages_compared++;
	if (!memcmp(sh, ram, len))
		return;
	while (sh[lo] == ram[lo])
		lo++;
	while (sh[hi - 1] == ram[hi - 1])
		hi--;
	if (building)
		history_add_mem(&r->hist, at + lo, sh + lo, ram + lo, (uint32_t)(hi - lo));
	memcpy(sh + lo, ram + lo, hi - lo);
}

/* Add the step just run (or the debugger's change, vector
 * HISTORY_DEBUGGER_WRITE) to the history. */
static int add_step(struct machine *m, int vector)
{
	struct recorder *r = &m->rec;
	uint64_t after[RECORD_NWORDS];
	bool building, fpu = vector == HISTORY_DEBUGGER_WRITE || step_may_touch_fpu(m, r->state);
	struct history_stats st;
	int err;

	err = read_state(m, after, fpu);
	if (!err)
		err = get_dirty_log(m);
	if (err)
		return err;
	building = history_begin(&r->hist, r->state, after, vector) == 0;
	for (size_t w = 0; w < r->map_words; w++) {
		uint64_t bits = r->dirty[w] | r->written[w];

		r->dirty[w] = r->written[w] = 0;
		for (; bits; bits &= bits - 1)
			compare_page(m, w * 64 + (uint64_t)__builtin_ctzll(bits), building);
	}
	if (building && vector == HISTORY_DEBUGGER_WRITE && r->hist.nmem == 0 &&
	    !memcmp(r->state, after, sizeof(after))) {
		history_abort(&r->hist);	/* gdb wrote what was there */
		err = 0;
	} else if (building && !r->input_lost) {
		history_add_input(&r->hist, r->input, r->ninput);
		err = history_commit(&r->hist);	/* on failure, begins after the step */
	} else {
		history_abort(&r->hist);
		history_stats(&r->hist, &st);
		history_clear(&r->hist, st.pos + 1);	/* the step is lost */
		err = -ENOMEM;
	}
	memcpy(r->state, after, sizeof(after));
	r->vector = HISTORY_NO_VECTOR;
	r->ninput = 0;
	r->input_lost = false;
	return err;
}

int record_step(struct machine *m)
{
	return m->rec.on ? add_step(m, m->rec.vector) : 0;
}

int record_debugger_write(struct machine *m)
{
	/* Committing a change drops the recorded future; no change keeps it. */
	return m->rec.on ? add_step(m, HISTORY_DEBUGGER_WRITE) : 0;
}

/* history_write_fn: restore bytes in RAM and in the shadow alike, in the
 * guest's view (a planted breakpoint keeps its trap and takes the byte as
 * its original). */
static void restore_bytes(void *ctx, uint64_t gpa, const uint8_t *bytes, uint32_t len)
{
	struct machine *m = ctx;
	uint8_t *ram = mem_ptr(&m->mem, gpa, len);

	if (!ram)
		return;	/* recorded from RAM: cannot happen */
	if (m->debug.nsw)
		debug_write_memory(m, gpa, bytes, len);
	else
		memcpy(ram, bytes, len);
	memcpy(m->rec.shadow + gpa, bytes, len);
	if (m->rec.span_fn)
		m->rec.span_fn(m->rec.span_ctx, gpa, len);
}

/* Push the parts of the state the changed words belong to (all: NULL)
 * into the vCPU. */
static int push_state(struct machine *m, const uint64_t *changed)
{
	unsigned parts = changed ? 0 : VCPU_ALL;
	struct cpu_state cpu;

	for (unsigned i = 0; changed && i < RECORD_NWORDS; i++) {
		if (!(changed[i / 64] >> (i % 64) & 1))
			continue;
		parts |= i < RECORD_REGS_WORDS ? VCPU_REGS :
			 i < RECORD_FPU_WORD ? VCPU_SREGS : VCPU_FPU;
	}
	if (!parts)
		return 0;
	memcpy(&cpu, m->rec.state, sizeof(cpu));
	return vcpu_set(m->kvm.vcpu_fd, &cpu, parts, NULL);
}

int record_push(struct machine *m, const uint64_t *changed)
{
	return m->rec.on ? push_state(m, changed) : 0;
}

int record_peek(const struct machine *m, bool back)
{
	if (!m->rec.on)
		return -ENOENT;
	return back ? history_peek_back(&m->rec.hist) : history_peek(&m->rec.hist);
}

static int move(struct machine *m, bool back, struct history_tag *tag, bool push)
{
	struct history_tag t;
	int err;

	if (!m->rec.on)
		return -ENOENT;
	err = back ? history_undo(&m->rec.hist, m->rec.state, restore_bytes, m, &t)
		   : history_redo(&m->rec.hist, m->rec.state, restore_bytes, m, &t);
	if (err)
		return err;
	if (tag)
		*tag = t;
	return push ? push_state(m, t.changed) : 0;
}

int record_undo(struct machine *m, struct history_tag *tag, bool push)
{
	return move(m, true, tag, push);
}

int record_redo(struct machine *m, struct history_tag *tag, bool push)
{
	return move(m, false, tag, push);
}

const uint64_t *record_state(const struct machine *m)
{
	return m->rec.state;
}

void record_on_span(struct machine *m, void (*fn)(void *ctx, uint64_t gpa, uint32_t len),
		    void *ctx)
{
	m->rec.span_fn = fn;
	m->rec.span_ctx = ctx;
}

void record_stats(const struct machine *m, struct history_stats *st)
{
	if (m->rec.on)
		history_stats(&m->rec.hist, st);
	else
		*st = (struct history_stats){ 0 };
}
