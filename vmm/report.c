/*
 * report.c - trace lines and crash reports (see report.h).
 */
#include "report.h"
#include "cpu.h"
#include "debug.h"
#include "vcpu.h"
#include "delivery.h"
#include "location.h"
#include "paging.h"
#include "stop.h"

#include <string.h>
#include <sys/ioctl.h>

#define CODE_BYTES 16

static int read_state(const struct machine *m, struct kvm_regs *regs, struct kvm_sregs *sregs)
{
	return vcpu_get_location(m->kvm.vcpu_fd, regs, sregs);
}

/* The location in the mode's form (location.h). */
static void print_location(FILE *out, const struct machine *m, const struct kvm_regs *regs,
			   const struct kvm_sregs *sregs)
{
	char where[160];

	guest_format_location(where, sizeof(where), &m->mem, regs, sregs);
	fputs(where, out);
}

void report_where(struct machine *m, char *buf, size_t len)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	char where[160];

	if (len == 0)
		return;
	buf[0] = '\0';
	if (read_state(m, &regs, &sregs) != 0)
		return;
	guest_format_location(where, sizeof(where), &m->mem, &regs, &sregs);
	snprintf(buf, len, " at %s", where);
}

void report_trace_exit(struct machine *m, FILE *out)
{
	const struct kvm_run *run = m->kvm.run;
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	fprintf(out, "gdbvm: trace: %s", stop_exit_name(run->exit_reason));
	if (read_state(m, &regs, &sregs) == 0) {
		fprintf(out, " at ");
		print_location(out, m, &regs, &sregs);
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

static void print_registers(FILE *out, const struct kvm_regs *r, const struct kvm_sregs *s,
			    enum guest_mode mode)
{
	if (mode == GUEST_LONG64) {
		fprintf(out, "gdbvm:   rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx\n",
			(unsigned long long)r->rax, (unsigned long long)r->rbx,
			(unsigned long long)r->rcx, (unsigned long long)r->rdx);
		fprintf(out, "gdbvm:   rsi=%016llx rdi=%016llx rbp=%016llx rsp=%016llx\n",
			(unsigned long long)r->rsi, (unsigned long long)r->rdi,
			(unsigned long long)r->rbp, (unsigned long long)r->rsp);
		fprintf(out, "gdbvm:   r8=%016llx r9=%016llx r10=%016llx r11=%016llx\n",
			(unsigned long long)r->r8, (unsigned long long)r->r9,
			(unsigned long long)r->r10, (unsigned long long)r->r11);
		fprintf(out, "gdbvm:   r12=%016llx r13=%016llx r14=%016llx r15=%016llx\n",
			(unsigned long long)r->r12, (unsigned long long)r->r13,
			(unsigned long long)r->r14, (unsigned long long)r->r15);
		fprintf(out, "gdbvm:   rip=%016llx rflags=%08llx\n", (unsigned long long)r->rip,
			(unsigned long long)r->rflags);
	} else {
		fprintf(out, "gdbvm:   eax=%08llx ebx=%08llx ecx=%08llx edx=%08llx\n",
			(unsigned long long)(r->rax & 0xffffffff),
			(unsigned long long)(r->rbx & 0xffffffff),
			(unsigned long long)(r->rcx & 0xffffffff),
			(unsigned long long)(r->rdx & 0xffffffff));
		fprintf(out, "gdbvm:   esi=%08llx edi=%08llx ebp=%08llx esp=%08llx\n",
			(unsigned long long)(r->rsi & 0xffffffff),
			(unsigned long long)(r->rdi & 0xffffffff),
			(unsigned long long)(r->rbp & 0xffffffff),
			(unsigned long long)(r->rsp & 0xffffffff));
		if (mode == GUEST_REAL)
			fprintf(out, "gdbvm:   eip=%08llx eflags=%08llx cr0=%08llx\n",
				(unsigned long long)(r->rip & 0xffffffff),
				(unsigned long long)r->rflags, (unsigned long long)s->cr0);
		else
			fprintf(out, "gdbvm:   eip=%08llx eflags=%08llx\n",
				(unsigned long long)(r->rip & 0xffffffff),
				(unsigned long long)r->rflags);
	}
	fprintf(out, "gdbvm:   cs=%04x ds=%04x es=%04x ss=%04x fs=%04x gs=%04x\n",
		s->cs.selector, s->ds.selector, s->es.selector, s->ss.selector,
		s->fs.selector, s->gs.selector);
	/* Outside real mode the control registers say how the guest runs. */
	if (mode != GUEST_REAL)
		fprintf(out, "gdbvm:   cr0=%08llx cr2=%08llx cr3=%08llx cr4=%08llx efer=%08llx\n",
			(unsigned long long)s->cr0, (unsigned long long)s->cr2,
			(unsigned long long)s->cr3, (unsigned long long)s->cr4,
			(unsigned long long)s->efer);
}

/* The bytes at the instruction pointer, read through the guest's paging,
 * as the guest has them (a planted trap shows its original byte); returns
 * how many could be read. */
static size_t read_code(const struct machine *m, const struct kvm_sregs *sregs, uint64_t linear,
			uint8_t *code, size_t len, int *err)
{
	struct paging_state st = guest_paging_state(sregs);
	size_t done = 0;

	*err = paging_read_partial(&m->mem, &st, linear, code, len, &done);
	for (size_t i = 0; i < done; i++)
		debug_unplant_copy(&m->debug, debug_phys(m, &st, linear + i), &code[i], 1);
	return done;
}

static void print_code(FILE *out, uint64_t linear, const uint8_t *code, size_t n, int err)
{
	fprintf(out, "gdbvm:   code at 0x%llx:", (unsigned long long)linear);
	for (size_t i = 0; i < n; i++)
		fprintf(out, " %02x", code[i]);
	if (n < CODE_BYTES) {
		if (err == -PAGING_ERR_PAGE_OUTSIDE_RAM)
			fprintf(out, n ? " (end of RAM)" : " (outside guest RAM)");
		else
			fprintf(out, " (%s)", paging_strerror(err));
	}
	fputc('\n', out);
}

static const char *idt_kind(enum guest_mode mode)
{
	return mode == GUEST_LONG64 || mode == GUEST_COMPAT ? "long-mode" : "protected-mode";
}

static const char *mode_kind(enum guest_mode mode)
{
	return mode == GUEST_LONG64 || mode == GUEST_COMPAT ? "long mode" : "protected mode";
}

/* The device interrupt gdbvm injected last, with its IRQ where the PIC's
 * vector bases say (an interrupt handler's iret was failing, or its
 * delivery). */
static void say_injected(const struct machine *m, FILE *out)
{
	const struct pic *p = &m->irq.pic;
	uint8_t v = m->irq.last_vector;

	if (!m->irq.injected)
		return;
	for (unsigned c = 0; c < 2; c++) {
		if (p->chip[c].initialised && (v & 0xf8) == p->chip[c].vector_base) {
			fprintf(out, "gdbvm:   the last interrupt gdbvm injected: vector 0x%02x (IRQ %u)\n",
				v, c * 8 + (v & 7));
			return;
		}
	}
	fprintf(out, "gdbvm:   the last interrupt gdbvm injected: vector 0x%02x\n", v);
}

/*
 * Outside real mode, say what the guest was doing when KVM gave up (a
 * triple fault or an emulation failure): which vector it was delivering,
 * or the iret or paging switch it was executing.  On kvm_pvm hosts, add
 * that this host cannot do it and what can.
 */
static void explain(struct machine *m, const struct stop *stop, const struct kvm_regs *regs,
		    const struct kvm_sregs *sregs, enum guest_mode mode, const uint8_t *code,
		    size_t ncode, FILE *out)
{
	const struct kvm_run *run = m->kvm.run;
	struct kvm_vcpu_events events;
	struct guest_event ev;
	bool got = false, pvm;
	const char *name;

	if (mode == GUEST_REAL || mode == GUEST_VM86)
		return;
	if (stop->kind != STOP_INTERNAL_ERROR && stop->kind != STOP_SHUTDOWN)
		return;
	memset(&events, 0, sizeof(events));
	if (stop->kind == STOP_INTERNAL_ERROR && stop->value == KVM_INTERNAL_ERROR_DELIVERY_EV &&
	    run->internal.ndata >= 1)
		got = delivery_from_vectoring(run->internal.data[0], &ev);
	if (!got && ioctl(m->kvm.vcpu_fd, KVM_GET_VCPU_EVENTS, &events) == 0)
		got = delivery_from_events(&events, sregs->cr2, &ev);
	if (!got && ncode > 0)
		delivery_decode(code, ncode, mode == GUEST_LONG64, regs, &ev);
	else if (!got && stop->kind == STOP_INTERNAL_ERROR &&
		 stop->value == KVM_INTERNAL_ERROR_EMULATION && run->emulation_failure.ndata >= 3 &&
		 (run->emulation_failure.flags & KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES) &&
		 run->emulation_failure.insn_size > 0 && run->emulation_failure.insn_size <= 15)
		/* gdbvm cannot read the code: the bytes KVM itself fetched. */
		delivery_decode(run->emulation_failure.insn_bytes, run->emulation_failure.insn_size,
				mode == GUEST_LONG64, regs, &ev);
	else if (!got)
		memset(&ev, 0, sizeof(ev));
	switch (ev.doing) {
	case DOING_SOFT_INT:
		fprintf(out, "gdbvm:   the guest was delivering vector 0x%02x (%s) through its %s IDT\n",
			ev.vector, ev.insn, idt_kind(mode));
		break;
	case DOING_EXCEPTION:
		name = delivery_vector_name(ev.vector);
		fprintf(out, "gdbvm:   the guest was delivering exception%s%s (vector 0x%02x",
			name ? " " : "", name ? name : "", ev.vector);
		if (ev.has_error_code)
			fprintf(out, ", error code 0x%x", ev.error_code);
		if (ev.has_cr2)
			fprintf(out, ", CR2 0x%llx", (unsigned long long)ev.cr2);
		fprintf(out, ") through its %s IDT\n", idt_kind(mode));
		break;
	case DOING_IRET:
		fprintf(out, "gdbvm:   the guest was returning from an interrupt or exception handler "
			"(%s) in %s\n", ev.insn, mode_kind(mode));
		say_injected(m, out);
		break;
	case DOING_INTERRUPT:
		fprintf(out, "gdbvm:   the guest was taking a device interrupt, vector 0x%02x (injected "
			"by gdbvm), through its %s IDT\n", ev.vector, idt_kind(mode));
		say_injected(m, out);
		break;
	case DOING_PAGING_ON:
		if (stop->kind != STOP_SHUTDOWN)
			return;
		fprintf(out, "gdbvm:   the guest was turning paging on (mov to CR0 with PG set) in "
			"%s\n", mode_kind(mode));
		break;
	case DOING_UNKNOWN:
		return;
	}
	pvm = delivery_host_is_pvm("/sys");
	if (!pvm)
		return;
	if (ev.doing == DOING_PAGING_ON)
		fprintf(out, "gdbvm:   this host's KVM (kvm_pvm) refuses paging outside long mode "
			"(#GP); Intel VT-x and AMD-V hosts run it, and so does gdbvm's nested VM "
			"(tests/nested/kvm-vm.sh)\n");
	else if (stop->kind == STOP_INTERNAL_ERROR)
		fprintf(out, "gdbvm:   this host's KVM (kvm_pvm) cannot %s outside real mode; "
			"Intel VT-x and AMD-V hosts can, and so can gdbvm's nested VM "
			"(tests/nested/kvm-vm.sh)\n",
			ev.doing == DOING_IRET ? "execute iret" : "deliver it");
}

void report_crash(struct machine *m, const struct stop *stop, FILE *out)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct paging_state st;
	uint8_t code[CODE_BYTES];
	enum guest_mode mode;
	uint64_t linear;
	size_t ncode;
	int err = read_state(m, &regs, &sregs), code_err;

	fprintf(out, "gdbvm: %s", stop_headline(stop));
	if (err) {
		fprintf(out, "; registers unavailable: %s\n", strerror(-err));
		return;
	}
	mode = guest_mode(&regs, &sregs);
	linear = cpu_linear_pc(&regs, &sregs);
	ncode = read_code(m, &sregs, linear, code, sizeof(code), &code_err);
	fprintf(out, " at ");
	print_location(out, m, &regs, &sregs);
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
	explain(m, stop, &regs, &sregs, mode, code, ncode, out);
	st = guest_paging_state(&sregs);
	if (mode != GUEST_REAL)
		fprintf(out, "gdbvm:   mode: %s, paging %s\n", guest_mode_name(mode),
			paging_mode_name(paging_mode(&st)));
	print_registers(out, &regs, &sregs, mode);
	print_code(out, linear, code, ncode, code_err);
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
