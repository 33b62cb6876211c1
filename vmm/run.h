/*
 * run.h - the KVM_RUN loop: run the vCPU, dispatch every exit through the
 * exit-handler table, and return why it stopped (struct stop, stop.h).
 */
#ifndef GDBVM_RUN_H
#define GDBVM_RUN_H

#include "machine.h"
#include "stop.h"

/* Run until something needs the caller's attention; fills *stop. */
void run_vcpu(struct machine *m, struct stop *stop);

#endif
