/*
 * signals.c - stopping the guest from a signal (see signals.h).
 *
 * Every handler here kicks the vCPU: it sets kvm_run->immediate_exit, so a
 * KVM_RUN about to start returns EINTR as surely as one already running.
 */
#include "signals.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <sys/time.h>
#include <time.h>

static struct kvm_run *volatile kick_run;
static volatile sig_atomic_t first_signal;
static volatile sig_atomic_t signal_count;
static volatile sig_atomic_t async_pending;
static volatile sig_atomic_t child_ended;
static volatile sig_atomic_t wakeup_fired;
static timer_t wakeup_timer;
static bool wakeup_created;

static void kick(void)
{
	struct kvm_run *run = kick_run;

	if (run)
		run->immediate_exit = 1;
}

static void on_stop_signal(int sig)
{
	if (!first_signal)
		first_signal = sig;
	if (signal_count < 2)
		signal_count++;
	kick();
}

static void on_async(int sig)
{
	(void)sig;
	async_pending = 1;
	kick();
}

static void on_wakeup(int sig)
{
	(void)sig;
	wakeup_fired = 1;
	kick();
}

int signals_install_wakeup(void)
{
	struct sigaction sa = { .sa_handler = on_wakeup };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGNALS_WAKEUP };

	if (wakeup_created)
		return 0;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGNALS_WAKEUP, &sa, NULL) < 0)	/* no SA_RESTART */
		return -errno;
	if (timer_create(CLOCK_MONOTONIC, &ev, &wakeup_timer) < 0)
		return -errno;
	wakeup_created = true;
	return 0;
}

int signals_arm_wakeup(uint64_t at_ns)
{
	struct itimerspec its = { 0 };

	if (!wakeup_created)
		return -EINVAL;
	its.it_value.tv_sec = (time_t)(at_ns / 1000000000u);
	its.it_value.tv_nsec = (long)(at_ns % 1000000000u);
	return timer_settime(wakeup_timer, TIMER_ABSTIME, &its, NULL) < 0 ? -errno : 0;
}

bool signals_take_wakeup(void)
{
	bool fired = wakeup_fired;

	wakeup_fired = 0;
	return fired;
}

bool signals_stop_pending(void)
{
	return first_signal || async_pending || child_ended;
}

int signals_block(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGALRM);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGIO);
	sigaddset(&set, SIGNALS_WAKEUP);
	return sigprocmask(SIG_BLOCK, &set, old) < 0 ? -errno : 0;
}

int signals_restore(const sigset_t *old)
{
	return sigprocmask(SIG_SETMASK, old, NULL) < 0 ? -errno : 0;
}

int signals_install_async(int sig)
{
	struct sigaction sa = { .sa_handler = on_async };

	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL) < 0 ? -errno : 0;	/* no SA_RESTART */
}

bool signals_async_pending(void)
{
	return async_pending;
}

void signals_clear_async(void)
{
	async_pending = 0;
}

int signals_install(struct kvm_run *run)
{
	static const int stop_signals[] = { SIGINT, SIGTERM, SIGALRM };
	struct sigaction sa = { .sa_handler = on_stop_signal };
	struct sigaction ignore = { .sa_handler = SIG_IGN };

	kick_run = run;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: KVM_RUN must come back with EINTR. */
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		if (sigaction(stop_signals[i], &sa, NULL) < 0)
			return -errno;
	/* A closed stdout must be an error we report, not a silent death. */
	if (sigaction(SIGPIPE, &ignore, NULL) < 0)
		return -errno;
	return 0;
}

void signals_forget_vcpu(void)
{
	kick_run = NULL;
}

int signals_start_timeout(double seconds)
{
	struct itimerval it = { 0 };
	double whole = floor(seconds);

	it.it_value.tv_sec = (time_t)whole;
	it.it_value.tv_usec = (suseconds_t)((seconds - whole) * 1e6);
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	return setitimer(ITIMER_REAL, &it, NULL) < 0 ? -errno : 0;
}

int signals_received(void)
{
	return first_signal;
}

bool signals_repeated(void)
{
	return signal_count > 1;
}

static void on_child(int sig)
{
	(void)sig;	/* interrupt poll() and KVM_RUN, and say a child ended */
	child_ended = 1;
	kick();
}

bool signals_child_ended(void)
{
	return child_ended;
}

int signals_watch_children(void)
{
	struct sigaction sa = { .sa_handler = on_child, .sa_flags = SA_NOCLDSTOP };

	sigemptyset(&sa.sa_mask);
	return sigaction(SIGCHLD, &sa, NULL) < 0 ? -errno : 0;
}
