/* test_dirty_log.c - KVM's dirty log with its two consumers in a real KVM
 * run (vmm/debug_slots.c): adoption's pending pages and the recorder's
 * per-step pages.  KVM_GET_DIRTY_LOG clears KVM's bits, so whichever
 * consumer harvests, both must see every page the guest wrote since they
 * last looked; remaking the slots (a write watchpoint) harvests for both
 * first.  The pages expected are the ones the guest's code stores to
 * (GUEST_PAGE below, read off its operands).  Skipped where /dev/kvm
 * cannot be opened. */
#include "cpu_modes.h"
#include "debug.h"
#include "kvm_machine.h"
#include "machine.h"
#include "run.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CODE 0x1000
#define RAM (1024 * 1024)
#define WORDS (RAM / 4096 / 64)

/* Three stores, each followed by a HLT: mov ax, SEG; mov ds, ax;
 * mov byte [OFF], 1; hlt. */
#define STORE(seg, off) 0xb8, 0x00, (seg), 0x8e, 0xd8, 0xc6, 0x06, (off), 0x00, 0x01, 0xf4
static const uint8_t guest[] = { STORE(0x20, 0x00), STORE(0x30, 0x10), STORE(0x50, 0x20) };
/* The 4 KiB page of store i: segment 0xNN00 << 4 plus the offset. */
#define GUEST_PAGE(i) ((((uint64_t)guest[11 * (i) + 2] << 12) + guest[11 * (i) + 7]) / 4096)

static struct machine m;
static uint64_t map[WORDS];

static bool start(void)
{
	memset(map, 0, sizeof(map));
	if (!kvm_machine_start(&m, RAM, CODE, guest, sizeof(guest), "dirty log"))
		return false;
	return true;
}

static void finish(void)
{
	debug_dirty_log(&m, NULL);
	kvm_machine_finish(&m);
}

/* Run to the guest's next HLT (after its next store). */
static bool run_store(const char *name)
{
	struct stop st;

	run_vcpu(&m, &st);
	return CHECK_INT(st.kind, STOP_HALT, "%s: the store ran, up to its HLT", name);
}

/* Is the set exactly page `page`? */
static bool only_page(const uint64_t *set, uint64_t page)
{
	for (uint64_t w = 0; w < WORDS; w++)
		if (set[w] != (w == page / 64 ? 1ULL << (page % 64) : 0))
			return false;
	return true;
}

/* Adoption's set, walked through its interface: exactly page `page`? */
static bool adoption_has_only(uint64_t page)
{
	uint64_t at;

	return debug_dirty_first(&m.debug, &at) && at == page * 4096 &&
	       !debug_dirty_next(&m.debug, &at);
}

/* Adoption's log first (a planted breakpoint, and the first adoption),
 * then the recorder's. */
static void test_both(void)
{
	if (!start())
		return;
	CHECK_INT(debug_insert(&m, NULL, DEBUG_SW_BP, 0x8000, 1), 0, "both: a breakpoint");
	debug_adopt_guest_writes(&m);	/* the first: the log starts */
	if (m.debug.dirty_log != HOST_YES) {
		tap_skip("dirty log: the host refuses it");
		finish();
		return;
	}
	CHECK_INT(debug_dirty_log(&m, map), 0, "both: the recorder's consumer on");

	if (run_store("both, 1")) {
		debug_adopt_guest_writes(&m);	/* adoption harvests */
		CHECK(only_page(map, GUEST_PAGE(0)),
		      "both: adoption's harvest gave the recorder the page written (%#llx)",
		      (unsigned long long)GUEST_PAGE(0));
	}
	memset(map, 0, sizeof(map));

	if (run_store("both, 2")) {
		CHECK_INT(debug_dirty_harvest(&m), 0, "both: the recorder harvests");
		CHECK(only_page(map, GUEST_PAGE(1)), "both: the recorder has the page written");
		CHECK(adoption_has_only(GUEST_PAGE(1)), "both: ... and adoption has it too");
		debug_adopt_guest_writes(&m);
		CHECK(!debug_dirty_first(&m.debug, &(uint64_t){ 0 }), "both: adopted, set empty");
	}
	memset(map, 0, sizeof(map));

	if (run_store("both, 3")) {
		/* A write watchpoint remakes the slots, which loses KVM's log
		 * of the deleted ones: it is harvested for both first. */
		CHECK_INT(debug_insert(&m, NULL, DEBUG_WATCH_WRITE, 0x60000, 1), 0,
			  "both: a write watchpoint");
		CHECK(m.debug.nslots > 1, "both: RAM split into %u slots", m.debug.nslots);
		CHECK(only_page(map, GUEST_PAGE(2)), "both: the remade slots lost no page");
		CHECK(adoption_has_only(GUEST_PAGE(2)), "both: ... for adoption either");
	}
	CHECK_INT(debug_dirty_log(&m, NULL), 0, "both: the recorder's consumer off");
	CHECK_INT(debug_dirty_harvest(&m), 0, "both: adoption's log stays on");
	finish();
}

/* The recorder's log alone (no trap: adoption never started). */
static void test_recorder_alone(void)
{
	if (!start())
		return;
	if (debug_dirty_log(&m, map) != 0) {
		tap_skip("dirty log: the host refuses it");
		finish();
		return;
	}
	if (run_store("alone")) {
		CHECK_INT(debug_dirty_harvest(&m), 0, "alone: the recorder harvests");
		CHECK(only_page(map, GUEST_PAGE(0)), "alone: the page written");
	}
	CHECK_INT(debug_dirty_log(&m, NULL), 0, "alone: off");
	CHECK_INT(debug_dirty_harvest(&m), -EOPNOTSUPP, "alone: then no slot logs");
	finish();
}

void test_dirty_log(void)
{
	tap_suite("KVM's dirty log: adoption and the recorder");
	test_both();
	test_recorder_alone();
}
