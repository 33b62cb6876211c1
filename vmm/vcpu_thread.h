/*
 * vcpu_thread.h - the vCPU's own thread while a debugger is attached, so
 * the gdb connection is served while KVM_RUN runs.
 *
 * The stub's thread asks it to step or continue; when the vCPU stops, the
 * thread stores the stop and writes a byte to a pipe the stub polls.  An
 * interrupt sets kvm_run->immediate_exit and sends SIGUSR1 to the thread, so
 * KVM_RUN returns EINTR whether the vCPU was in the guest or about to enter.
 */
#ifndef GDBVM_VCPU_THREAD_H
#define GDBVM_VCPU_THREAD_H

#include <pthread.h>
#include <stdbool.h>

#include "gdbstub.h"
#include "machine.h"

struct vcpu_thread {
	struct machine *m;
	pthread_t tid;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum { VCPU_IDLE, VCPU_CONTINUE, VCPU_STEP, VCPU_QUIT } cmd;
	bool busy;		/* running a command */
	int pipe[2];		/* [0]: readable when a stop is ready */
	struct gdb_stop stop;
};

/* 0 or -errno. */
int vcpu_thread_start(struct vcpu_thread *t, struct machine *m);
int vcpu_thread_resume(struct vcpu_thread *t, enum gdb_resume_mode mode);
/* Async-safe enough for the stub: no locks taken. */
void vcpu_thread_interrupt(struct vcpu_thread *t);
/* After the pipe became readable. */
int vcpu_thread_take_stop(struct vcpu_thread *t, struct gdb_stop *stop);
/* Stop a running vCPU, end the thread and release everything. */
void vcpu_thread_finish(struct vcpu_thread *t);

#endif
