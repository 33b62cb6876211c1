/*
 * kvm_machine.c - a small real-mode machine on /dev/kvm for unit tests
 * (see kvm_machine.h).
 */
#include "kvm_machine.h"
#include "cpu_modes.h"
#include "debug.h"
#include "tap.h"

#include <string.h>

bool kvm_machine_start(struct machine *m, uint64_t ram, uint64_t code_at, const uint8_t *code,
		       size_t len, const char *what)
{
	char errbuf[KVM_ERRBUF_SIZE];
	const char *failed;
	const struct cpu_entry entry = { .mode = CPU_MODE_REAL, .rip = code_at };

	memset(m, 0, sizeof(*m));
	kvm_vm_init(&m->kvm);
	if (mem_alloc(&m->mem, ram) < 0)
		return false;
	mem_write(&m->mem, code_at, code, len);
	if (kvm_vm_create(&m->kvm, "/dev/kvm", &m->mem, errbuf) < 0 ||
	    cpu_setup(m->kvm.vcpu_fd, &entry, NULL, 0, &failed) < 0) {
		tap_skip("%s: no KVM here (%s)", what, errbuf);
		kvm_vm_destroy(&m->kvm);
		mem_free(&m->mem);
		return false;
	}
	guest_clock_init(&m->clock, NULL, NULL);
	pit_init(&m->pit, &m->clock);
	cmos_init(&m->cmos, NULL, NULL);
	irq_init(m, false);
	debug_init(&m->debug, "/dev/kvm");
	return true;
}

void kvm_machine_finish(struct machine *m)
{
	debug_free(&m->debug);
	kvm_vm_destroy(&m->kvm);
	mem_free(&m->mem);
}
