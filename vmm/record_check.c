/*
 * record_check.c - `gdbvm --record-selftest N GUEST` (hidden; see
 * record_check.h): the recorder end to end on a real guest, without gdb.
 *
 *   1. record up to N single steps (the debugger's own step, debug_run:
 *      INT emulation, PUSHF fix-up and I/O completion included);
 *   2. undo them all: registers, special registers and all of RAM must be
 *      bit-identical to the start;
 *   3. redo them all: bit-identical to the recorded end;
 *   4. undo them all again, stop recording, and single-step the same
 *      number of steps live: bit-identical to the recorded end again (the
 *      recorder does not change what the guest does), and the floor that
 *      recording is measured against;
 *   5. put registers and RAM back as at the start and do it all again,
 *      ROUNDS times in all: the rates are medians (the host is shared).
 * Output is TAP plus "# " lines with the rates.
 */
#include "record_check.h"
#include "debug_run.h"
#include "record.h"
#include "vcpu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct snapshot {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	uint8_t *ram;
};

static double seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int take(struct machine *m, struct snapshot *s)
{
	if (vcpu_get_location(m->kvm.vcpu_fd, &s->regs, &s->sregs) < 0)
		return -1;
	memcpy(s->ram, m->mem.host, m->mem.size);
	return 0;
}

/* Is the machine now exactly as in s?  Says where it differs first. */
static bool same_as(struct machine *m, const struct snapshot *s, FILE *out)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;

	if (vcpu_get_location(m->kvm.vcpu_fd, &regs, &sregs) < 0) {
		fprintf(out, "#   cannot read the registers\n");
		return false;
	}
	if (memcmp(&regs, &s->regs, sizeof(regs))) {
		fprintf(out, "#   registers differ: rip %llx want %llx, rsp %llx want %llx\n",
			(unsigned long long)regs.rip, (unsigned long long)s->regs.rip,
			(unsigned long long)regs.rsp, (unsigned long long)s->regs.rsp);
		return false;
	}
	if (memcmp(&sregs, &s->sregs, sizeof(sregs))) {
		fprintf(out, "#   special registers differ\n");
		return false;
	}
	for (uint64_t i = 0; i < m->mem.size; i++) {
		if (m->mem.host[i] != s->ram[i]) {
			fprintf(out, "#   RAM differs first at 0x%llx: %02x want %02x\n",
				(unsigned long long)i, m->mem.host[i], s->ram[i]);
			return false;
		}
	}
	return true;
}

static uint64_t watch_stops;

/* One single step as gdb's stepi makes it; false when the guest ended. */
static bool step(struct machine *m)
{
	struct gdb_stop stop;

	if (debug_run(m, GDB_RESUME_STEP, true, NULL, NULL, &stop) < 0)
		return false;
	if (stop.kind == GDB_STOP_WATCH) {
		watch_stops++;
		return true;
	}
	return stop.kind == GDB_STOP_SIGNAL && stop.signal == GDB_SIGTRAP;
}

static unsigned tap_n;
static bool all_ok = true;

static void tap(FILE *out, bool ok, const char *what)
{
	fprintf(out, "%sok %u - %s\n", ok ? "" : "not ", ++tap_n, what);
	all_ok &= ok;
}

/* Move along the whole history; the number of steps moved. */
static uint64_t walk(struct machine *m, bool back, int *err)
{
	uint64_t n = 0;

	while ((*err = back ? record_undo(m, NULL, true) : record_redo(m, NULL, true)) == 0)
		n++;
	return n;
}

/* Put the machine back as in s (registers and RAM; devices go on). */
static int put_back(struct machine *m, const struct snapshot *s)
{
	memcpy(m->mem.host, s->ram, m->mem.size);
	return vcpu_set_location(m->kvm.vcpu_fd, &s->regs, &s->sregs, NULL);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), by_value);
	return v[n / 2];
}

#define ROUNDS 5	/* timings: the median of this many, recorded and live alternating */

int record_check(struct machine *m, const struct config *cfg, FILE *out)
{
	uint64_t nsteps = cfg->record_selftest;
	struct snapshot start = { .ram = malloc(m->mem.size) }, end = { .ram = malloc(m->mem.size) };
	struct history_stats st = { 0 };
	uint64_t steps = 0, back, fwd, live;
	double rec[ROUNDS], live_t[ROUNDS], undo_t[ROUNDS], redo_t[ROUNDS], c0;
	int err = 0, err_rec = 0;
	bool live_same = true, rec_same = true;

	m->debugging = true;
	if (cfg->record_selftest_watch_given) {
		struct paging_state ps = { 0 };	/* real mode: linear is physical */

		err = debug_insert(m, &ps, DEBUG_WATCH_WRITE, cfg->record_selftest_watch, 1);
		tap(out, err == 0, "the write watchpoint goes in");
	}
	if (!start.ram || !end.ram || take(m, &start)) {
		fprintf(out, "not ok 1 - record self-test set up\n1..1\n");
		free(start.ram);
		free(end.ram);
		return 1;
	}
	for (unsigned round = 0; round < ROUNDS; round++) {
		uint64_t n = 0;

		err = record_start(m, UINT64_MAX);
		if (round == 0)
			tap(out, err == 0, "recording starts");
		if (err) {
			fprintf(out, "#   %s\n", strerror(-err));
			goto done;
		}
		c0 = seconds(CLOCK_THREAD_CPUTIME_ID);
		while (n < (round ? steps : nsteps) && step(m)) {
			n++;
			err = record_step(m);
			if (err && !err_rec)
				err_rec = err;
		}
		rec[round] = seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
		if (round == 0) {
			steps = n;
			tap(out, err_rec == 0, "every step is recorded");
			if (err_rec)
				fprintf(out, "#   %s\n", strerror(-err_rec));
			record_stats(m, &st);
			fprintf(out, "# %llu pages compared, %llu register reads by ioctl\n",
				(unsigned long long)m->rec.pages_compared,
				(unsigned long long)m->rec.state_reads);
			take(m, &end);
		} else {
			rec_same &= n == steps && same_as(m, &end, out);
		}
		c0 = seconds(CLOCK_THREAD_CPUTIME_ID);
		back = walk(m, true, &err);
		undo_t[round] = seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
		if (round == 0) {
			tap(out, back == steps && err == -ENOENT,
			    "undo goes back over every recorded step");
			tap(out, same_as(m, &start, out),
			    "after undoing them all: registers and RAM as at the start");
		}
		c0 = seconds(CLOCK_THREAD_CPUTIME_ID);
		fwd = walk(m, false, &err);
		redo_t[round] = seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
		if (round == 0) {
			tap(out, fwd == steps && err == -ENOENT,
			    "redo goes forward over every recorded step");
			tap(out, same_as(m, &end, out),
			    "after redoing them all: registers and RAM as at the end");
		}
		walk(m, true, &err);
		record_stop(m);
		/* The floor: the same steps, live, not recording. */
		live = 0;
		c0 = seconds(CLOCK_THREAD_CPUTIME_ID);
		while (live < steps && step(m))
			live++;
		live_t[round] = seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
		live_same &= live == steps && same_as(m, &end, out);
		if (put_back(m, &start)) {
			fprintf(out, "#   cannot put the start state back\n");
			goto done;
		}
	}
	tap(out, live_same, "stepping live from the start (not recording) ends in the same state, every round");
	tap(out, rec_same, "recording again from the start ends in the same state, every round");
	if (steps) {
		double r = median(rec, ROUNDS), l = median(live_t, ROUNDS);

		fprintf(out, "# steps %llu (asked %llu), %llu watchpoint stops, %u memory slots; "
			"history %llu bytes, %.1f bytes/step\n",
			(unsigned long long)steps, (unsigned long long)nsteps,
			(unsigned long long)watch_stops, m->debug.nslots,
			(unsigned long long)st.bytes, (double)st.bytes / (double)steps);
		fprintf(out, "# median of %u rounds, thread cpu time: recording %.0f steps/s, "
			"plain stepping %.0f steps/s: %.0f%% of the floor; undo %.2f us/step, "
			"redo %.2f us/step\n", ROUNDS, (double)steps / r, (double)steps / l,
			100.0 * l / r, median(undo_t, ROUNDS) / (double)steps * 1e6,
			median(redo_t, ROUNDS) / (double)steps * 1e6);
	}
done:
	fprintf(out, "1..%u\n", tap_n);
	free(start.ram);
	free(end.ram);
	return all_ok ? 0 : 1;
}
