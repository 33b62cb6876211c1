/*
 * test_stop.c - tests the table of what each stop means (vmm/stop.c) and
 * the way a failing vCPU ioctl is carried to one message on both paths: a
 * plain run (run_vcpu, report_stop) and a run under gdb (debug_run's stop,
 * with the message gdb is sent).  The failing ioctls are real: the "vCPU"
 * is /dev/null, on which every KVM ioctl fails with ENOTTY.
 */
#include "debug_run.h"
#include "helpers.h"
#include "report.h"
#include "run.h"
#include "status.h"
#include "stop.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The rule of kind k under a debugger. */
static const struct stop_rule *rule_of(unsigned k)
{
	return stop_rule(&(struct stop){ .kind = (enum stop_kind)k }, true);
}

/* The first kind of stop breaking a property of the table (its name), or
 * NULL when every kind keeps it. */
static const char *first_breaking(bool (*holds)(enum stop_kind))
{
	static char unnamed[32];

	for (unsigned k = 0; k < STOP_KIND_COUNT; k++) {
		if (holds((enum stop_kind)k))
			continue;
		if (rule_of(k)->name)
			return rule_of(k)->name;
		snprintf(unnamed, sizeof(unnamed), "kind %u", k);
		return unnamed;
	}
	return NULL;
}

static bool has_its_own_row(enum stop_kind k)
{
	const char *name = rule_of(k)->name;

	/* A kind added to the enum without a row would read as a halt. */
	return name && strncmp(name, "STOP_", 5) == 0;
}

static bool fatal_iff_reported(enum stop_kind k)
{
	const struct stop_rule *r = rule_of(k);

	return r->fatal == (r->report != STOP_SAYS_NOTHING);
}

static bool fatal_has_even_status(enum stop_kind k)
{
	const struct stop_rule *r = rule_of(k);

	return !r->fatal || (r->status > 0 && r->status % 2 == 0 && r->gdb_signal != 0);
}

static bool plain_run_even_or_goes_on(enum stop_kind k)
{
	int status = stop_status(&(struct stop){ .kind = k }, false);

	if (k == STOP_EXIT_PORT || k == STOP_INTERRUPTED)
		return true;	/* odd by design; a signal, checked by the caller */
	return status >= 0 && status % 2 == 0;
}

static void test_rules(void)
{
	const char *bad;

	bad = first_breaking(has_its_own_row);
	CHECK(!bad, "every kind of stop has its own row in the table (not: %s)", bad ? bad : "-");
	bad = first_breaking(fatal_iff_reported);
	CHECK(!bad, "every stop is fatal exactly when gdbvm reports it (not: %s)", bad ? bad : "-");
	bad = first_breaking(fatal_has_even_status);
	CHECK(!bad, "every fatal stop has an even VMM status and a gdb signal (not: %s)",
	      bad ? bad : "-");
	bad = first_breaking(plain_run_even_or_goes_on);
	CHECK(!bad, "without a debugger every stop but a signal ends the run with an even "
	      "status (not: %s)", bad ? bad : "-");
	CHECK_INT(stop_status(&(struct stop){ .kind = STOP_INTERRUPTED }, false), STOP_GOES_ON,
		  "a signal's stop lets the run go on");

	/* The debugger's own stops cannot be gdbvm's without one. */
	struct stop bp = { .kind = STOP_BREAKPOINT };
	struct stop unexpected = { .kind = STOP_UNEXPECTED };

	CHECK(stop_rule(&bp, false) == stop_rule(&unexpected, false),
	      "a breakpoint stop with no debugger is an unexpected exit");
	CHECK(stop_rule(&bp, true) != stop_rule(&unexpected, true),
	      "a breakpoint stop under a debugger is its own");

	struct stop port = { .kind = STOP_EXIT_PORT, .value = 7 };

	CHECK_INT(stop_status(&port, false), exitport_status(7), "the exit port's status");
	CHECK_INT(stop_status(&port, true), exitport_status(7), "... the same under gdb");
	CHECK_INT(stop_rule(&port, true)->gdb_signal, 0, "gdb hears the exit port as an exit");

	struct stop bogus = { .kind = (enum stop_kind)1000 };

	CHECK(stop_rule(&bogus, true) == stop_rule(&unexpected, true),
	      "a kind out of range is an unexpected exit");

	CHECK_STR(stop_exit_name(KVM_EXIT_HLT), "KVM_EXIT_HLT", "exit name of KVM_EXIT_HLT");
	CHECK_STR(stop_exit_name(KVM_EXIT_INTERNAL_ERROR), "KVM_EXIT_INTERNAL_ERROR",
		  "exit name of KVM_EXIT_INTERNAL_ERROR");
	CHECK_STR(stop_exit_name(100000), "unknown exit reason", "exit name out of range");
}

static void test_error_message(void)
{
	struct stop st;
	char want[160], got[160];

	stop_set_vcpu_error(&st, "KVM_SET_REGS", -EBADF);
	CHECK_INT(st.kind, STOP_VCPU_ERROR, "stop_set_vcpu_error makes a vCPU error stop");
	stop_error_message(&st, got, sizeof(got));
	snprintf(want, sizeof(want), "gdbvm: KVM_SET_REGS failed: %s", strerror(EBADF));
	CHECK_STR(got, want, "the message names the call and the errno's text");
	stop_error_message(&st, got, 12);
	CHECK_INT(strlen(got), 11, "a short buffer gets a truncated, terminated message");
}

/* A machine whose vCPU is /dev/null: every KVM ioctl on it fails (ENOTTY). */
static int fake_vcpu(struct machine *m, struct kvm_run *run)
{
	memset(m, 0, sizeof(*m));
	memset(run, 0, sizeof(*run));
	m->kvm.kvm_fd = m->kvm.vm_fd = -1;
	m->kvm.vcpu_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	m->kvm.run = run;
	m->kvm.run_size = sizeof(*run);
	/* The devices every run looks at before KVM_RUN (irq.c). */
	guest_clock_init(&m->clock, NULL, NULL);
	pit_init(&m->pit, &m->clock);
	cmos_init(&m->cmos, NULL, NULL);
	irq_init(m, false);
	return m->kvm.vcpu_fd;
}

static void test_plain_run_error(void)
{
	struct machine m;
	struct kvm_run run;
	struct capture c;
	struct stop st;
	char want[160];

	if (fake_vcpu(&m, &run) < 0) {
		tap_skip("cannot open /dev/null");
		return;
	}
	run_vcpu(&m, &st);
	CHECK_INT(st.kind, STOP_VCPU_ERROR, "a failing KVM_RUN is a vCPU error stop");
	CHECK_STR(st.failed ? st.failed : "(null)", "KVM_RUN", "... naming KVM_RUN");
	CHECK_ERR(st.err, -ENOTTY, "... with the ioctl's errno");
	CHECK_INT(stop_status(&st, false), STATUS_RUN_ERROR, "... ending the run with status 20");
	capture_open(&c);
	report_stop(&m, &st, c.f);
	snprintf(want, sizeof(want), "gdbvm: KVM_RUN failed: %s\n", strerror(ENOTTY));
	CHECK_STR(capture_text(&c), want, "... and saying so in one line");
	capture_close(&c);
	close(m.kvm.vcpu_fd);
}

/* Run fn with stderr going to a file; what it wrote goes into buf. */
static void with_stderr_captured(void (*fn)(void *), void *arg, char *buf, size_t len)
{
	char path[64];
	int saved, fd;
	ssize_t n = -1;

	buf[0] = '\0';
	fflush(stderr);
	if (temp_file(path, "", 0) < 0)
		return;
	fd = open(path, O_RDWR | O_CLOEXEC);
	saved = dup(STDERR_FILENO);
	if (fd >= 0 && saved >= 0 && dup2(fd, STDERR_FILENO) >= 0) {
		fn(arg);
		fflush(stderr);
		dup2(saved, STDERR_FILENO);
		n = pread(fd, buf, len - 1, 0);
	}
	if (saved >= 0)
		close(saved);
	if (fd >= 0)
		close(fd);
	unlink(path);
	buf[n > 0 ? n : 0] = '\0';
}

struct gdb_run {
	struct machine *m;
	struct gdb_stop stop;
	int rc;
};

static void continue_under_gdb(void *arg)
{
	struct gdb_run *r = arg;

	r->rc = debug_run(r->m, GDB_RESUME_CONTINUE, true, NULL, NULL, &r->stop);
}

static void go_on_under_gdb(void *arg)
{
	struct gdb_run *r = arg;

	r->rc = debug_run(r->m, GDB_RESUME_CONTINUE, false, NULL, NULL, &r->stop);
}

static void test_gdb_run_error(void)
{
	struct machine m;
	struct kvm_run run;
	struct gdb_run r = { .m = &m };
	char err[512], want[160];

	if (fake_vcpu(&m, &run) < 0) {
		tap_skip("cannot open /dev/null");
		return;
	}
	m.debugging = true;
	/* Resuming reads the registers first: that is the call that fails. */
	with_stderr_captured(continue_under_gdb, &r, err, sizeof(err));
	snprintf(want, sizeof(want), "gdbvm: KVM_GET_REGS/KVM_GET_SREGS failed: %s",
		 strerror(ENOTTY));
	CHECK_INT(r.rc, 0, "under gdb, a failing register read ends the continue with a stop");
	CHECK(r.stop.kind == GDB_STOP_SIGNAL && r.stop.fatal, "... a fatal signal stop");
	CHECK_INT(r.stop.exit_code, STATUS_RUN_ERROR, "... whose status is 20");
	CHECK_STR(r.stop.message, want, "... carrying the message gdb is sent");
	CHECK_CONTAINS(err, want, "... which gdbvm's stderr also says");

	/* Going on after a signal: applying the debug state is what fails. */
	r.stop = (struct gdb_stop){ 0 };
	with_stderr_captured(go_on_under_gdb, &r, err, sizeof(err));
	snprintf(want, sizeof(want), "gdbvm: KVM_SET_GUEST_DEBUG failed: %s", strerror(ENOTTY));
	CHECK(r.rc == 0 && r.stop.kind == GDB_STOP_SIGNAL && r.stop.fatal,
	      "a failing KVM_SET_GUEST_DEBUG is a fatal stop");
	CHECK_STR(r.stop.message, want, "... carrying its message to gdb");
	CHECK_CONTAINS(err, want, "... and to gdbvm's stderr");
	close(m.kvm.vcpu_fd);
}

void test_stop(void)
{
	tap_suite("stop");
	test_rules();
	test_error_message();
	test_plain_run_error();
	test_gdb_run_error();
}
