/*
 * report.c - trace lines and crash reports (see report.h).
 */
#include "report.h"
#include "cpu.h"
#include "stop.h"

#include <string.h>

#define CODE_BYTES 16

static int read_state(const struct machine *m, struct kvm_regs *regs, struct kvm_sregs *sregs)
{
	return cpu_read_location(m->kvm.vcpu_fd, regs, sregs);
}

/* "0000:1003 (linear 0x1003)" */
static void print_location(FILE *out, const struct kvm_regs *regs, const struct kvm_sregs *sregs)
{
	fprintf(out, "%04x:%04llx (linear 0x%llx)", sregs->cs.selector,
		(unsigned long long)((sregs->cr0 & CR0_PE) ? regs->rip : regs->rip & 0xffff),
		(unsigned long long)cpu_linear_pc(regs, sregs));
}

void report_trace_exit(struct machine *m, FILE *out)
{
	const struct kvm_run *run = m->kvm.run;
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	fprintf(out, "gdbvm: trace: %s", stop_exit_name(run->exit_reason));
	if (read_state(m, &regs, &sregs) == 0) {
		fprintf(out, " at ");
		print_location(out, &regs, &sregs);
	}
	if (run->exit_reason == KVM_EXIT_IO) {
		fprintf(out, " %s port=0x%04x size=%u count=%u", run->io.direction ==
			KVM_EXIT_IO_OUT ? "out" : "in", run->io.port, run->io.size, run->io.count);
		if (run->io.direction == KVM_EXIT_IO_OUT && run->io.count == 1 &&
		    run->io.size <= 4 && run->io.data_offset <= m->kvm.run_size - 4) {
			uint32_t v = 0;

			memcpy(&v, (const uint8_t *)run + run->io.data_offset, run->io.size);
			fprintf(out, " data=0x%x", v);
		}
	} else if (run->exit_reason == KVM_EXIT_MMIO) {
		uint64_t v = 0;

		memcpy(&v, run->mmio.data, run->mmio.len <= 8 ? run->mmio.len : 8);
		fprintf(out, " %s addr=0x%llx len=%u", run->mmio.is_write ? "write" : "read",
			(unsigned long long)run->mmio.phys_addr, run->mmio.len);
		if (run->mmio.is_write)
			fprintf(out, " data=0x%llx", (unsigned long long)v);
	}
	fputc('\n', out);
}

static const char *stop_headline(const struct stop *stop)
{
	switch (stop->kind) {
	case STOP_SHUTDOWN:
		return "guest triple-faulted (KVM_EXIT_SHUTDOWN)";
	case STOP_INTERNAL_ERROR:
		return stop->value == KVM_INTERNAL_ERROR_EMULATION
			       ? "KVM could not emulate a guest instruction (KVM_EXIT_INTERNAL_ERROR, "
				 "emulation failure)"
			       : "KVM internal error (KVM_EXIT_INTERNAL_ERROR)";
	case STOP_FAIL_ENTRY:
		return "KVM could not enter the guest (KVM_EXIT_FAIL_ENTRY)";
	default:
		return "guest caused a VM exit gdbvm does not handle";
	}
}

static void print_registers(FILE *out, const struct kvm_regs *r, const struct kvm_sregs *s)
{
	fprintf(out, "gdbvm:   eax=%08llx ebx=%08llx ecx=%08llx edx=%08llx\n",
		(unsigned long long)r->rax, (unsigned long long)r->rbx,
		(unsigned long long)r->rcx, (unsigned long long)r->rdx);
	fprintf(out, "gdbvm:   esi=%08llx edi=%08llx ebp=%08llx esp=%08llx\n",
		(unsigned long long)r->rsi, (unsigned long long)r->rdi,
		(unsigned long long)r->rbp, (unsigned long long)r->rsp);
	fprintf(out, "gdbvm:   eip=%08llx eflags=%08llx cr0=%08llx\n",
		(unsigned long long)r->rip, (unsigned long long)r->rflags,
		(unsigned long long)s->cr0);
	fprintf(out, "gdbvm:   cs=%04x ds=%04x es=%04x ss=%04x fs=%04x gs=%04x\n",
		s->cs.selector, s->ds.selector, s->es.selector, s->ss.selector,
		s->fs.selector, s->gs.selector);
}

static void print_code(FILE *out, const struct machine *m, uint64_t linear)
{
	fprintf(out, "gdbvm:   code at 0x%llx:", (unsigned long long)linear);
	for (unsigned i = 0; i < CODE_BYTES; i++) {
		uint8_t byte;

		if (mem_read(&m->mem, linear + i, &byte, 1) < 0) {
			fprintf(out, i ? " (end of RAM)" : " (outside guest RAM)");
			break;
		}
		fprintf(out, " %02x", byte);
	}
	fputc('\n', out);
}

void report_crash(struct machine *m, const struct stop *stop, FILE *out)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int err = read_state(m, &regs, &sregs);

	fprintf(out, "gdbvm: %s", stop_headline(stop));
	if (err) {
		fprintf(out, "; registers unavailable: %s\n", strerror(-err));
		return;
	}
	fprintf(out, " at ");
	print_location(out, &regs, &sregs);
	fputc('\n', out);
	if (stop->kind == STOP_INTERNAL_ERROR)
		fprintf(out, "gdbvm:   suberror %u\n", stop->value);
	else if (stop->kind == STOP_FAIL_ENTRY)
		fprintf(out, "gdbvm:   hardware entry failure reason 0x%x\n", stop->value);
	else if (stop->kind == STOP_UNEXPECTED)
		fprintf(out, "gdbvm:   exit reason %u (%s)\n", stop->exit_reason,
			stop_exit_name(stop->exit_reason));
	if (stop->kind == STOP_SHUTDOWN && sregs.cs.selector == 0xf000 && regs.rip == 0xfff0)
		fprintf(out, "gdbvm:   (this host reset the vCPU at the shutdown, as KVM does on "
			"AMD: the registers below are the reset state, not the faulting state)\n");
	print_registers(out, &regs, &sregs);
	print_code(out, m, cpu_linear_pc(&regs, &sregs));
}

void report_stop(struct machine *m, const struct stop *stop, FILE *out)
{
	char line[160];

	switch (stop_rule(stop, m->debugging)->report) {
	case STOP_SAYS_CRASH:
		report_crash(m, stop, out);
		break;
	case STOP_SAYS_ERROR:
		stop_error_message(stop, line, sizeof(line));
		fprintf(out, "%s\n", line);
		break;
	case STOP_SAYS_NOTHING:
		break;
	}
}
