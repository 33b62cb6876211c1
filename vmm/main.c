/*
 * main.c - gdbvm's entry point: parse the command line, build the machine
 * in order (RAM, guest image, KVM, registers, devices, signals), run it,
 * tear it down in reverse and turn the way the guest stopped into the
 * process exit status (status.h).
 */
#include "cpu.h"
#include "demo.h"
#include "loader.h"
#include "machine.h"
#include "options.h"
#include "report.h"
#include "run.h"
#include "signals.h"
#include "status.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The demo's preset registers go first so the user's --reg can override. */
static int prepend_demo_regs(struct config *cfg)
{
	struct reg_assign merged[MAX_REG_ASSIGNS];
	unsigned n = 0;

	if (cfg->nregs + demo_nreg_init > MAX_REG_ASSIGNS)
		return -E2BIG;
	for (unsigned i = 0; i < demo_nreg_init; i++)
		if (reg_assign_parse(demo_reg_init[i], &merged[n++]) < 0)
			return -EINVAL;
	memcpy(&merged[n], cfg->regs, cfg->nregs * sizeof(cfg->regs[0]));
	cfg->nregs += demo_nreg_init;
	memcpy(cfg->regs, merged, cfg->nregs * sizeof(cfg->regs[0]));
	return 0;
}

static int load_guest(struct machine *m, struct config *cfg)
{
	int err;

	if (cfg->guest_path)
		return load_flat_binary(&m->mem, cfg->guest_path, cfg->load_addr, stderr);
	err = load_image(&m->mem, demo_code, demo_code_size, cfg->load_addr);
	if (err) {
		fprintf(stderr, "gdbvm: the built-in demo (%zu bytes) does not fit at load address "
			"0x%llx\n", demo_code_size, (unsigned long long)cfg->load_addr);
		return err;
	}
	err = prepend_demo_regs(cfg);
	if (err)
		fprintf(stderr, "gdbvm: too many --reg options for the demo\n");
	return err;
}

static int register_devices(struct machine *m)
{
	int err;

	pio_bus_init(&m->pio, stderr);
	mmio_init(&m->mmio, stderr);
	uart_init(&m->com1, STDIN_FILENO, STDOUT_FILENO);
	err = pio_register(&m->pio, "com1", UART_COM1_BASE, UART_NPORTS, uart_pio, &m->com1);
	if (!err)
		err = pio_register(&m->pio, "exit", EXITPORT_BASE, EXITPORT_NPORTS, exitport_pio,
				   &m->exitport);
	return err;
}

static int setup_machine(struct machine *m, struct config *cfg)
{
	char errbuf[KVM_ERRBUF_SIZE];
	const char *failed;
	int err;

	err = mem_alloc(&m->mem, cfg->mem_size);
	if (err) {
		fprintf(stderr, "gdbvm: cannot allocate %llu bytes of guest RAM: %s\n",
			(unsigned long long)cfg->mem_size, strerror(-err));
		return STATUS_KVM;
	}
	if (load_guest(m, cfg))
		return cfg->guest_path ? STATUS_GUEST_FILE : STATUS_USAGE;
	if (kvm_vm_create(&m->kvm, cfg->kvm_device, &m->mem, errbuf)) {
		fprintf(stderr, "gdbvm: %s\n", errbuf);
		return STATUS_KVM;
	}
	err = cpu_setup_real_mode(m->kvm.vcpu_fd, cfg->entry_seg, cfg->entry_off, cfg->regs,
				  cfg->nregs, &failed);
	if (err) {
		fprintf(stderr, "gdbvm: cannot set the initial registers: %s failed: %s\n", failed,
			strerror(-err));
		return STATUS_KVM;
	}
	err = register_devices(m);
	if (err) {
		fprintf(stderr, "gdbvm: cannot register devices: %s\n", strerror(-err));
		return STATUS_KVM;
	}
	m->trace = cfg->trace ? stderr : NULL;
	err = signals_install(m->kvm.run);
	if (!err && cfg->timeout_sec > 0)
		err = signals_start_timeout(cfg->timeout_sec);
	if (err) {
		fprintf(stderr, "gdbvm: cannot install signal handlers: %s\n", strerror(-err));
		return STATUS_KVM;
	}
	return STATUS_HALTED;
}

/* A signal ended the run: say which and where the guest was. */
static int report_signal(struct machine *m, int sig, const struct config *cfg)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	char where[64] = "";

	if (cpu_read_location(m->kvm.vcpu_fd, &regs, &sregs) == 0)
		snprintf(where, sizeof(where), " at %04x:%04llx (linear 0x%llx)",
			 sregs.cs.selector, (unsigned long long)(regs.rip & 0xffff),
			 (unsigned long long)cpu_linear_pc(&regs, &sregs));
	if (sig == SIGALRM) {
		fprintf(stderr, "gdbvm: guest still running after %g seconds (--timeout); "
			"stopped%s\n", cfg->timeout_sec, where);
		return STATUS_TIMEOUT;
	}
	fprintf(stderr, "gdbvm: stopped by %s%s\n", sig == SIGINT ? "SIGINT" : "SIGTERM", where);
	return STATUS_SIGNAL;
}

static int run_machine(struct machine *m, const struct config *cfg)
{
	struct stop stop;

	for (;;) {
		int sig = signals_received();

		if (sig)
			return report_signal(m, sig, cfg);
		run_vcpu(m, &stop);
		switch (stop.kind) {
		case STOP_HALT:
			return STATUS_HALTED;
		case STOP_EXIT_PORT:
			return exitport_status(stop.value);
		case STOP_INTERRUPTED:
			continue;	/* a signal: checked at the top */
		case STOP_RUN_FAILED:
			fprintf(stderr, "gdbvm: KVM_RUN failed: %s\n", strerror(-stop.err));
			return STATUS_RUN_ERROR;
		case STOP_SHUTDOWN:
			report_crash(m, &stop, stderr);
			return STATUS_TRIPLE_FAULT;
		case STOP_INTERNAL_ERROR:
			report_crash(m, &stop, stderr);
			return STATUS_INTERNAL_ERROR;
		case STOP_FAIL_ENTRY:
			report_crash(m, &stop, stderr);
			return STATUS_FAIL_ENTRY;
		case STOP_UNEXPECTED:
			report_crash(m, &stop, stderr);
			return STATUS_UNEXPECTED_EXIT;
		}
	}
}

int main(int argc, char **argv)
{
	struct machine m = { 0 };
	struct config cfg;
	int status;

	switch (options_parse(argc, argv, &cfg, stdout, stderr)) {
	case OPTIONS_EXIT_OK:
		return fflush(stdout) == 0 ? 0 : STATUS_USAGE;
	case OPTIONS_ERROR:
		return STATUS_USAGE;
	case OPTIONS_RUN:
		break;
	}
	kvm_vm_init(&m.kvm);
	status = setup_machine(&m, &cfg);
	if (status == STATUS_HALTED)
		status = run_machine(&m, &cfg);
	if (m.kvm.run) {
		if (uart_flush(&m.com1) < 0 || m.com1.out_error)
			fprintf(stderr, "gdbvm: some guest serial output could not be written\n");
	}
	kvm_vm_destroy(&m.kvm);
	mem_free(&m.mem);
	return status;
}
