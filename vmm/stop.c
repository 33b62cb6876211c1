/*
 * stop.c - the table of what each kind of stop means, and the names of
 * KVM's exit reasons (see stop.h).
 */
#include "stop.h"
#include "exitport.h"
#include "gdbstub.h"
#include "status.h"

#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>

#define RULE(kind, status, signal, fatal, report) \
	[kind] = { #kind, status, signal, fatal, report }

static const struct stop_rule stop_rules[STOP_KIND_COUNT] = {
	/*    kind                 plain-run status        gdb hears    fatal  gdbvm says */
	RULE(STOP_HALT,           STATUS_HALTED,          0,           false, STOP_SAYS_NOTHING),
	RULE(STOP_EXIT_PORT,      STOP_GOES_ON,           0,           false, STOP_SAYS_NOTHING),
	RULE(STOP_SHUTDOWN,       STATUS_TRIPLE_FAULT,    GDB_SIGSEGV, true,  STOP_SAYS_CRASH),
	RULE(STOP_INTERNAL_ERROR, STATUS_INTERNAL_ERROR,  GDB_SIGILL,  true,  STOP_SAYS_CRASH),
	RULE(STOP_FAIL_ENTRY,     STATUS_FAIL_ENTRY,      GDB_SIGSEGV, true,  STOP_SAYS_CRASH),
	RULE(STOP_UNEXPECTED,     STATUS_UNEXPECTED_EXIT, GDB_SIGSEGV, true,  STOP_SAYS_CRASH),
	RULE(STOP_INTERRUPTED,    STOP_GOES_ON,           GDB_SIGINT,  false, STOP_SAYS_NOTHING),
	RULE(STOP_VCPU_ERROR,     STATUS_RUN_ERROR,       GDB_SIGSEGV, true,  STOP_SAYS_ERROR),
	/* --boot: the BIOS has said which call; under gdb the guest can go on. */
	RULE(STOP_BIOS_CALL,      STATUS_BIOS_CALL,       GDB_SIGILL,  false, STOP_SAYS_NOTHING),
	/* The machine would reboot; gdbvm stops instead (the run loop said so). */
	RULE(STOP_RESET,          STATUS_RESET,           GDB_SIGTRAP, false, STOP_SAYS_NOTHING),
	RULE(STOP_BREAKPOINT,     STOP_GOES_ON,           GDB_SIGTRAP, false, STOP_SAYS_NOTHING),
	RULE(STOP_DEBUG,          STOP_GOES_ON,           GDB_SIGTRAP, false, STOP_SAYS_NOTHING),
	RULE(STOP_WATCH,          STOP_GOES_ON,           GDB_SIGTRAP, false, STOP_SAYS_NOTHING),
	RULE(STOP_STEP_DONE,      STOP_GOES_ON,           GDB_SIGTRAP, false, STOP_SAYS_NOTHING),
};

static bool debugger_only(enum stop_kind kind)
{
	return kind >= STOP_BREAKPOINT && kind < STOP_KIND_COUNT;
}

const struct stop_rule *stop_rule(const struct stop *st, bool debugging)
{
	if ((unsigned)st->kind >= STOP_KIND_COUNT || (!debugging && debugger_only(st->kind)))
		return &stop_rules[STOP_UNEXPECTED];
	return &stop_rules[st->kind];
}

int stop_status(const struct stop *st, bool debugging)
{
	if (st->kind == STOP_EXIT_PORT)
		return exitport_status(st->value);
	return stop_rule(st, debugging)->status;
}

void stop_set_vcpu_error(struct stop *st, const char *failed, int err)
{
	*st = (struct stop){ .kind = STOP_VCPU_ERROR, .failed = failed, .err = err };
}

void stop_error_message(const struct stop *st, char *buf, size_t len)
{
	snprintf(buf, len, "gdbvm: %s failed: %s", st->failed ? st->failed : "a vCPU call",
		 strerror(st->err < 0 ? -st->err : st->err));
}

#define EXIT_NAME(reason) [reason] = #reason

static const char *const exit_names[] = {
	EXIT_NAME(KVM_EXIT_UNKNOWN),
	EXIT_NAME(KVM_EXIT_EXCEPTION),
	EXIT_NAME(KVM_EXIT_IO),
	EXIT_NAME(KVM_EXIT_HYPERCALL),
	EXIT_NAME(KVM_EXIT_DEBUG),
	EXIT_NAME(KVM_EXIT_HLT),
	EXIT_NAME(KVM_EXIT_MMIO),
	EXIT_NAME(KVM_EXIT_IRQ_WINDOW_OPEN),
	EXIT_NAME(KVM_EXIT_SHUTDOWN),
	EXIT_NAME(KVM_EXIT_FAIL_ENTRY),
	EXIT_NAME(KVM_EXIT_INTR),
	EXIT_NAME(KVM_EXIT_SET_TPR),
	EXIT_NAME(KVM_EXIT_TPR_ACCESS),
	EXIT_NAME(KVM_EXIT_NMI),
	EXIT_NAME(KVM_EXIT_INTERNAL_ERROR),
	EXIT_NAME(KVM_EXIT_SYSTEM_EVENT),
	EXIT_NAME(KVM_EXIT_IOAPIC_EOI),
	EXIT_NAME(KVM_EXIT_HYPERV),
	EXIT_NAME(KVM_EXIT_X86_RDMSR),
	EXIT_NAME(KVM_EXIT_X86_WRMSR),
	EXIT_NAME(KVM_EXIT_DIRTY_RING_FULL),
	EXIT_NAME(KVM_EXIT_X86_BUS_LOCK),
	EXIT_NAME(KVM_EXIT_NOTIFY),
};

const char *stop_exit_name(uint32_t reason)
{
	if (reason < sizeof(exit_names) / sizeof(exit_names[0]) && exit_names[reason])
		return exit_names[reason];
	return "unknown exit reason";
}
