/*
 * vcpu_thread.c - the vCPU thread used under a debugger (see vcpu_thread.h).
 */
#include "vcpu_thread.h"
#include "debug_run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void on_kick(int sig)
{
	(void)sig;	/* its only job is to make KVM_RUN return EINTR */
}

static void *vcpu_main(void *arg)
{
	struct vcpu_thread *t = arg;

	pthread_mutex_lock(&t->lock);
	for (;;) {
		enum gdb_resume_mode mode;
		struct gdb_stop stop;
		char byte = 's';

		while (t->cmd == VCPU_IDLE)
			pthread_cond_wait(&t->cond, &t->lock);
		if (t->cmd == VCPU_QUIT)
			break;
		mode = t->cmd == VCPU_STEP ? GDB_RESUME_STEP : GDB_RESUME_CONTINUE;
		t->busy = true;
		pthread_mutex_unlock(&t->lock);

		debug_run(t->m, mode, &stop);

		pthread_mutex_lock(&t->lock);
		t->stop = stop;
		t->busy = false;
		if (t->cmd != VCPU_QUIT)
			t->cmd = VCPU_IDLE;
		while (write(t->pipe[1], &byte, 1) < 0 && errno == EINTR)
			;
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

int vcpu_thread_start(struct vcpu_thread *t, struct machine *m)
{
	struct sigaction sa = { .sa_handler = on_kick };
	sigset_t block, old;
	int err;

	memset(t, 0, sizeof(*t));
	t->m = m;
	t->pipe[0] = t->pipe[1] = -1;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) < 0)	/* no SA_RESTART */
		return -errno;
	if (pipe2(t->pipe, O_CLOEXEC) < 0)
		return -errno;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	/* Process signals (SIGINT, SIGTERM, the timeout) belong to the stub's
	 * thread, whose poll() they interrupt; the vCPU thread takes SIGUSR1. */
	sigfillset(&block);
	sigdelset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	err = pthread_create(&t->tid, NULL, vcpu_main, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		close(t->pipe[0]);
		close(t->pipe[1]);
		return -err;
	}
	t->started = true;
	return 0;
}

int vcpu_thread_resume(struct vcpu_thread *t, enum gdb_resume_mode mode)
{
	pthread_mutex_lock(&t->lock);
	if (t->busy || t->cmd != VCPU_IDLE) {
		pthread_mutex_unlock(&t->lock);
		return -EBUSY;
	}
	/* A kick that arrived after the last stop must not cut this run short. */
	t->m->interrupt_requested = 0;
	t->m->kvm.run->immediate_exit = 0;
	t->cmd = mode == GDB_RESUME_STEP ? VCPU_STEP : VCPU_CONTINUE;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	return 0;
}

void vcpu_thread_interrupt(struct vcpu_thread *t)
{
	t->m->interrupt_requested = 1;
	t->m->kvm.run->immediate_exit = 1;
	pthread_kill(t->tid, SIGUSR1);
}

int vcpu_thread_take_stop(struct vcpu_thread *t, struct gdb_stop *stop)
{
	char byte;

	if (read(t->pipe[0], &byte, 1) != 1)
		return -EIO;
	pthread_mutex_lock(&t->lock);
	*stop = t->stop;
	pthread_mutex_unlock(&t->lock);
	return 0;
}

void vcpu_thread_finish(struct vcpu_thread *t)
{
	if (!t->started)
		return;
	pthread_mutex_lock(&t->lock);
	t->cmd = VCPU_QUIT;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	/* If it is inside KVM_RUN, kick it out; repeat in case the kick lands
	 * between its checks. */
	while (pthread_tryjoin_np(t->tid, NULL) == EBUSY) {
		struct timespec ts = { .tv_nsec = 1000000 };

		vcpu_thread_interrupt(t);
		nanosleep(&ts, NULL);
	}
	close(t->pipe[0]);
	close(t->pipe[1]);
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->cond);
	t->started = false;
}
