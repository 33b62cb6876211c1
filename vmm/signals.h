/*
 * signals.h - SIGINT, SIGTERM and the --timeout alarm, turned into a clean
 * stop of the vCPU: the handler records the signal and sets the vCPU's
 * immediate_exit so KVM_RUN returns EINTR however the race falls.
 */
#ifndef GDBVM_SIGNALS_H
#define GDBVM_SIGNALS_H

#include <stdbool.h>

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

#endif
