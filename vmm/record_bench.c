/*
 * record_bench.c - `gdbvm --record-bench N GUEST` (hidden; see
 * record_bench.h): how fast gdbvm records, against how fast it steps.
 *
 * The same steps are run three ways, each from the guest's entry state
 * (registers and RAM put back before each):
 *   record    as a recorded gdb `continue` steps (replay.c's live step):
 *             the debugger's step, started from the recorded registers,
 *             then record_step;
 *   debugger  the debugger's step without recording, as `stepi` runs it
 *             (debug_run, reading the registers before each step);
 *   kvm       bare KVM_RUNs with KVM's single-step on and nothing else:
 *             the floor any single-stepping recorder stands on.  A guest
 *             whose step exits for anything but the debug exit (port I/O,
 *             MMIO) has no such floor: "kvm none" says why.
 * Round 0 counts the steps (up to N, or until the guest ends) with the
 * debugger's step; every way must then end in the state it ended in.
 * Output, one line each:
 *   steps S
 *   history BYTES          (the recorded way's history, round 0)
 *   round R record CPU WALL debugger CPU WALL kvm CPU WALL
 *                          (seconds; CPU is this thread's, kernel included)
 *   kvm none WHY           (instead of kvm times)
 *   same yes|no
 */
#include "record_bench.h"
#include "debug_run.h"
#include "record.h"
#include "vcpu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#define ROUNDS 5

enum way { WAY_RECORD, WAY_DEBUGGER, WAY_KVM, NWAYS };

struct state {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	uint8_t *ram;
};

static double now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int save(struct machine *m, struct state *s)
{
	memcpy(s->ram, m->mem.host, m->mem.size);
	return vcpu_get_location(m->kvm.vcpu_fd, &s->regs, &s->sregs);
}

static int restore(struct machine *m, const struct state *s)
{
	memcpy(m->mem.host, s->ram, m->mem.size);
	return vcpu_set_location(m->kvm.vcpu_fd, &s->regs, &s->sregs, NULL);
}

static bool same(struct machine *m, const struct state *s)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	return vcpu_get_location(m->kvm.vcpu_fd, &regs, &sregs) == 0 &&
	       !memcmp(&regs, &s->regs, sizeof(regs)) && !memcmp(&sregs, &s->sregs, sizeof(sregs)) &&
	       !memcmp(m->mem.host, s->ram, m->mem.size);
}

static bool trapped(const struct gdb_stop *st)
{
	return st->kind == GDB_STOP_SIGNAL && st->signal == GDB_SIGTRAP;
}

/* The debugger's step; with from, started from those registers. */
static bool debugger_step(struct machine *m, const uint64_t *from)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct gdb_stop st;

	if (from) {
		memcpy(&regs, from, sizeof(regs));
		memcpy(&sregs, from + RECORD_REGS_WORDS, sizeof(sregs));
	}
	return debug_run(m, GDB_RESUME_STEP, true, from ? &regs : NULL, from ? &sregs : NULL,
			 &st) == 0 && trapped(&st);
}

/* n steps one way; the steps done.  *why: why the kvm way stopped early. */
static uint64_t run_way(struct machine *m, enum way way, uint64_t n, const char **why)
{
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP };
	uint64_t i = 0;

	switch (way) {
	case WAY_RECORD:
		if (record_start(m, UINT64_MAX) < 0)
			return 0;
		while (i < n && debugger_step(m, record_state(m)) && record_step(m) == 0)
			i++;
		return i;
	case WAY_DEBUGGER:
		while (i < n && debugger_step(m, NULL))
			i++;
		return i;
	case WAY_KVM:
		*why = "KVM_SET_GUEST_DEBUG failed";
		if (ioctl(m->kvm.vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg) < 0)
			return 0;
		m->kvm.run->immediate_exit = 0;
		for (; i < n; i++) {
			if (ioctl(m->kvm.vcpu_fd, KVM_RUN, 0) < 0) {
				*why = "KVM_RUN failed";
				break;
			}
			if (m->kvm.run->exit_reason != KVM_EXIT_DEBUG) {
				*why = "a step ended in an exit other than KVM_EXIT_DEBUG";
				/* KVM would finish that instruction on the next run,
				 * after the start is put back: finish it now. */
				m->kvm.run->immediate_exit = 1;
				if (ioctl(m->kvm.vcpu_fd, KVM_RUN, 0) < 0 && errno != EINTR)
					*why = "a step ended in an exit other than KVM_EXIT_DEBUG, "
					       "and KVM_RUN could not finish it";
				m->kvm.run->immediate_exit = 0;
				break;
			}
		}
		return i;
	default:
		return 0;
	}
}

int record_bench(struct machine *m, const struct config *cfg, FILE *out)
{
	static const char *const names[NWAYS] = { "record", "debugger", "kvm" };
	struct state start = { .ram = malloc(m->mem.size) }, end = { .ram = malloc(m->mem.size) };
	struct history_stats st = { 0 };
	double cpu[NWAYS], wall[NWAYS];
	uint64_t steps = 0;
	const char *kvm_why = NULL;
	bool all_same = true;
	int rc = 1;

	m->debugging = true;
	if (!start.ram || !end.ram || save(m, &start)) {
		fprintf(stderr, "gdbvm: record bench: cannot set up: %s\n", strerror(ENOMEM));
		goto done;
	}
	while (steps < cfg->record_bench && debugger_step(m, NULL))
		steps++;
	if (save(m, &end) || restore(m, &start)) {
		fprintf(stderr, "gdbvm: record bench: cannot read or write the vCPU\n");
		goto done;
	}
	fprintf(out, "steps %llu\n", (unsigned long long)steps);
	for (unsigned r = 0; r < ROUNDS; r++) {
		for (unsigned k = 0; k < NWAYS; k++) {
			enum way w = (enum way)((k + r) % NWAYS);	/* the order rotates */
			double c0, w0;
			uint64_t done;

			if (w == WAY_KVM && kvm_why) {
				cpu[w] = wall[w] = 0;
				continue;
			}
			c0 = now(CLOCK_THREAD_CPUTIME_ID);
			w0 = now(CLOCK_MONOTONIC);
			done = run_way(m, w, steps, &kvm_why);
			cpu[w] = now(CLOCK_THREAD_CPUTIME_ID) - c0;
			wall[w] = now(CLOCK_MONOTONIC) - w0;
			if (w == WAY_RECORD) {
				if (r == 0)
					record_stats(m, &st);
				record_stop(m);
			}
			if (w == WAY_KVM && done < steps) {
				if (!kvm_why)
					kvm_why = "a step failed";
			} else {
				kvm_why = w == WAY_KVM ? NULL : kvm_why;
				if (done != steps || !same(m, &end)) {
					fprintf(out, "# %s: %llu of %llu steps, state %s\n", names[w],
						(unsigned long long)done, (unsigned long long)steps,
						same(m, &end) ? "the same" : "different");
					all_same = false;
				}
			}
			if (restore(m, &start)) {
				fprintf(stderr, "gdbvm: record bench: cannot put the start back\n");
				goto done;
			}
		}
		if (r == 0)
			fprintf(out, "history %llu\n", (unsigned long long)st.bytes);
		fprintf(out, "round %u", r);
		for (unsigned w = 0; w < NWAYS; w++)
			if (w != WAY_KVM || !kvm_why)
				fprintf(out, " %s %.6f %.6f", names[w], cpu[w], wall[w]);
		fprintf(out, "\n");
	}
	if (kvm_why)
		fprintf(out, "kvm none %s\n", kvm_why);
	fprintf(out, "same %s\n", all_same ? "yes" : "no");
	rc = all_same ? 0 : 1;
done:
	free(start.ram);
	free(end.ram);
	return rc;
}
