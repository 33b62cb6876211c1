/*
 * signals.h - SIGINT, SIGTERM and the --timeout alarm, turned into a clean
 * stop of the vCPU: the handler records the signal and sets the vCPU's
 * immediate_exit so KVM_RUN returns EINTR however the race falls.
 */
#ifndef GDBVM_SIGNALS_H
#define GDBVM_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/kvm.h>

/* Install the handlers; run is the vCPU to kick (may be NULL). 0/-errno. */
int signals_install(struct kvm_run *run);

/* Stop kicking the vCPU: before its kvm_run mapping goes away, so a
 * signal that comes later (timeout(1) sends SIGTERM twice: to gdbvm and to
 * its process group) cannot write into unmapped memory. */
void signals_forget_vcpu(void);

/* Arm a one-shot SIGALRM after seconds. 0/-errno. */
int signals_start_timeout(double seconds);

/* The first stopping signal received (SIGINT, SIGTERM, SIGALRM), or 0. */
int signals_received(void);

/* Whether a second stopping signal has come since (say a second Ctrl-C):
 * whatever gdbvm still waits for should be cut short. */
bool signals_repeated(void);

/* Make SIGCHLD interrupt blocking calls (for --gdb-batch). 0/-errno. */
int signals_watch_children(void);
/* Whether a SIGCHLD has come since then (a child may need reaping). */
bool signals_child_ended(void);

/*
 * The gdb stub's sockets raise sig when data arrives while the guest runs
 * (gdbstub.h, async_signal): its handler kicks the vCPU and records that
 * gdb has something to say, until signals_clear_async().  0/-errno.
 */
int signals_install_async(int sig);
bool signals_async_pending(void);
void signals_clear_async(void);

/*
 * The wake-up timer: a one-shot CLOCK_MONOTONIC timer whose signal
 * (SIGNALS_WAKEUP) kicks the vCPU when a device's next event is due, so a
 * guest that runs without exits still gets its timer interrupt.  It is
 * not a stop: run_vcpu takes it with signals_take_wakeup() and goes on.
 */
#define SIGNALS_WAKEUP (SIGRTMIN + 1)
int signals_install_wakeup(void);
/* Fire at host monotonic time at_ns (0: disarm). 0/-errno. */
int signals_arm_wakeup(uint64_t at_ns);
/* Whether the timer fired since the last call (and forget it). */
bool signals_take_wakeup(void);
/* Whether a signal that means "stop" (not the wake-up) is waiting to be
 * acted on: a stopping signal, gdb's data or a child that ended. */
bool signals_stop_pending(void);
/* Block every signal gdbvm handles (so a check and a wait cannot race:
 * pass *old to ppoll). 0/-errno. */
int signals_block(sigset_t *old);
int signals_restore(const sigset_t *old);

#endif
