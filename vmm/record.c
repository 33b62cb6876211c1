/*
 * record.c - recording under KVM and restoring from the history (see
 * record.h; how it was chosen and measured: docs in record.h and the
 * recording probes' results).
 */
#include "record.h"
#include "machine.h"
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
	free(r->scratch);
	free(r->input);
	r->shadow = NULL;
	r->dirty = r->written = r->scratch = NULL;
	r->input = NULL;
	r->input_cap = r->ninput = 0;
}

/* The pages the guest wrote since the last call, into rec.dirty. */
static int get_dirty_log(struct machine *m)
{
	memset(m->rec.dirty, 0, m->rec.map_words * sizeof(uint64_t));
	return debug_harvest_dirty(m, m->rec.dirty, m->rec.scratch);
}

/* The vCPU's registers into state: from kvm_run when they are current
 * there, otherwise with the ioctls (after gdbvm wrote registers itself). */
static int read_state(struct machine *m, uint64_t *state)
{
	struct recorder *r = &m->rec;
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	if (r->synced && r->writes_seen == vcpu_writes()) {
		memcpy(state, &m->kvm.run->s.regs.regs, sizeof(regs));
		memcpy(state + RECORD_REGS_WORDS, &m->kvm.run->s.regs.sregs, sizeof(sregs));
		return 0;
	}
	r->state_reads++;
	if (vcpu_get_location(m->kvm.vcpu_fd, &regs, &sregs) < 0)
		return -errno;
	memcpy(state, &regs, sizeof(regs));
	memcpy(state + RECORD_REGS_WORDS, &sregs, sizeof(sregs));
	/* From the next KVM_RUN on, kvm_run's copy is current again. */
	r->synced = true;
	r->writes_seen = vcpu_writes();
	return 0;
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
	r->scratch = calloc(r->map_words, sizeof(uint64_t));
	err = -ENOMEM;
	if (!r->shadow || !r->dirty || !r->written || !r->scratch)
		goto fail;
	err = history_init(&r->hist, RECORD_NWORDS, budget, 0);
	if (err)
		goto fail;
	err = debug_dirty_log(m, true);
	if (!err)
		err = get_dirty_log(m);	/* from now on */
	if (err)
		goto fail_log;
	memcpy(r->shadow, m->mem.host, m->mem.size);
	m->kvm.run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
	err = read_state(m, r->state);
	if (err) {
		m->kvm.run->kvm_valid_regs = 0;
		goto fail_log;
	}
	m->mem.written = r->written;
	r->on = true;
	return 0;
fail_log:
	debug_dirty_log(m, false);
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
	debug_dirty_log(m, false);
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

/* Add the spans of page that differ from the shadow to the step being
 * built, and bring the shadow up to date. */
static void compare_page(struct recorder *r, struct guest_mem *mem, uint64_t page, bool building)
{
	uint64_t at = page * PAGE;
	uint64_t len = mem->size - at < PAGE ? mem->size - at : PAGE;
	uint8_t *sh = r->shadow + at, *ram = mem->host + at;
	uint64_t lo = 0, hi = len;

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

int record_step(struct machine *m)
{
	struct recorder *r = &m->rec;
	uint64_t after[RECORD_NWORDS];
	bool building;
	int err;

	if (!r->on)
		return 0;
	err = read_state(m, after);
	if (!err)
		err = get_dirty_log(m);
	if (err)
		return err;
	building = history_begin(&r->hist, r->state, after, r->vector) == 0;
	for (size_t w = 0; w < r->map_words; w++) {
		uint64_t bits = r->dirty[w] | r->written[w];

		r->written[w] = 0;
		for (; bits; bits &= bits - 1)
			compare_page(r, &m->mem, w * 64 + (uint64_t)__builtin_ctzll(bits), building);
	}
	if (building && !r->input_lost) {
		history_add_input(&r->hist, r->input, r->ninput);
		err = history_commit(&r->hist);	/* on failure, begins after the step */
	} else {
		struct history_stats st;

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

/* history_write_fn: restore bytes in RAM and in the shadow alike. */
static void restore_bytes(void *ctx, uint64_t gpa, const uint8_t *bytes, uint32_t len)
{
	struct machine *m = ctx;
	uint8_t *ram = mem_ptr(&m->mem, gpa, len);

	if (!ram)
		return;	/* recorded from RAM: cannot happen */
	memcpy(ram, bytes, len);
	memcpy(m->rec.shadow + gpa, bytes, len);
}

/* Push the words a step changed into the vCPU: sregs first (a register's
 * meaning depends on the mode), each only when it changed. */
static int push_state(struct machine *m, const struct history_tag *tag)
{
	const uint64_t *s = m->rec.state;
	bool regs = false, sregs = false;
	struct cpu_state cpu;

	for (unsigned i = 0; i < RECORD_NWORDS; i++) {
		if (!(tag->changed[i / 64] >> (i % 64) & 1))
			continue;
		if (i < RECORD_REGS_WORDS)
			regs = true;
		else
			sregs = true;
	}
	memcpy(&cpu.regs, s, sizeof(cpu.regs));
	memcpy(&cpu.sregs, s + RECORD_REGS_WORDS, sizeof(cpu.sregs));
	return vcpu_set(m->kvm.vcpu_fd, &cpu, (regs ? VCPU_REGS : 0) | (sregs ? VCPU_SREGS : 0),
			NULL);
}

int record_undo(struct machine *m, struct history_tag *tag)
{
	struct history_tag t;
	int err;

	if (!m->rec.on)
		return -ENOENT;
	err = history_undo(&m->rec.hist, m->rec.state, restore_bytes, m, &t);
	if (err)
		return err;
	if (tag)
		*tag = t;
	return push_state(m, &t);
}

int record_redo(struct machine *m, struct history_tag *tag)
{
	struct history_tag t;
	int err;

	if (!m->rec.on)
		return -ENOENT;
	err = history_redo(&m->rec.hist, m->rec.state, restore_bytes, m, &t);
	if (err)
		return err;
	if (tag)
		*tag = t;
	return push_state(m, &t);
}

void record_stats(const struct machine *m, struct history_stats *st)
{
	if (m->rec.on)
		history_stats(&m->rec.hist, st);
	else
		*st = (struct history_stats){ 0 };
}
