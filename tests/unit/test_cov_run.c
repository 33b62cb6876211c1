/* test_cov_run.c - coverage's traps in a real KVM run (vmm/run.c's HLT exit,
 * vmm/debug.c's hook): a real-mode loop with a trap on every instruction
 * runs to its end with no stop, the hook hears of each instruction once
 * (LIFT) or of every run of it (KEEP: stepped over and planted again), and
 * the guest computes what it computes without traps; and which of gdb's
 * breakpoints get the free debug registers.  Skipped where /dev/kvm cannot
 * be opened. */
#include "cpu_modes.h"
#include "debug.h"
#include "kvm_machine.h"
#include "machine.h"
#include "run.h"
#include "suites.h"
#include "tap.h"

#include <string.h>
#include <sys/ioctl.h>

#define CODE 0x1000
#define LOOPS 5

/* mov cx, LOOPS; again: nop; inc ax; loop again; hlt */
static const uint8_t guest[] = { 0xb9, LOOPS, 0x00, 0x90, 0x40, 0xe2, 0xfc, 0xf4 };
/* Where each instruction starts, and how often it runs (from the code). */
static const struct {
	uint64_t addr;
	unsigned runs;
} insn[] = { { CODE, 1 }, { CODE + 3, LOOPS }, { CODE + 4, LOOPS }, { CODE + 5, LOOPS } };
#define NINSN (sizeof(insn) / sizeof(insn[0]))

static struct machine m;
static unsigned counts[NINSN], strays;
static enum debug_cov_action answer;

static enum debug_cov_action hook(void *ctx, uint64_t addr, bool fixed)
{
	(void)ctx;
	(void)fixed;
	for (unsigned i = 0; i < NINSN; i++)
		if (insn[i].addr == addr) {
			counts[i]++;
			return answer;
		}
	strays++;
	return DEBUG_COV_LIFT;
}

/* A fresh VM running the loop; false (and a skip) without KVM. */
static bool start(void)
{
	if (!kvm_machine_start(&m, 1024 * 1024, CODE, guest, sizeof(guest), "coverage run"))
		return false;
	debug_cov_set_hook(&m.debug, hook, NULL);
	memset(counts, 0, sizeof(counts));
	strays = 0;
	return true;
}

static void finish(void)
{
	kvm_machine_finish(&m);
}

static void run_case(enum debug_cov_action a, const char *name)
{
	struct kvm_regs regs;
	struct stop st;
	unsigned wrong = 0, planted = 0;

	if (!start())
		return;
	answer = a;
	for (unsigned i = 0; i < NINSN; i++)
		planted += debug_cov_plant_phys(&m, insn[i].addr) == 0;
	CHECK_INT(planted, NINSN, "%s: a coverage trap on each of the loop's instructions", name);
	run_vcpu(&m, &st);
	CHECK_INT(st.kind, STOP_HALT, "%s: the run ends at the guest's HLT, no stop before it", name);
	CHECK(ioctl(m.kvm.vcpu_fd, KVM_GET_REGS, &regs) == 0, "%s: KVM_GET_REGS", name);
	CHECK_INT(regs.rax & 0xffff, LOOPS, "%s: the loop ran %d times (AX)", name, LOOPS);
	CHECK_INT(regs.rcx & 0xffff, 0, "%s: CX counted down to 0", name);
	for (unsigned i = 0; i < NINSN; i++)
		wrong += counts[i] != (a == DEBUG_COV_KEEP ? insn[i].runs : 1);
	CHECK_INT(wrong, 0, "%s: the hook heard of each instruction %s", name,
		  a == DEBUG_COV_KEEP ? "every time it ran" : "once");
	CHECK_INT(strays, 0, "%s: and of nothing else", name);
	CHECK_INT(m.debug.cov_hits, a == DEBUG_COV_KEEP ? 1 + 3 * LOOPS : NINSN,
		  "%s: one coverage exit per report", name);
	if (a == DEBUG_COV_KEEP) {
		CHECK_INT(m.debug.nsw, NINSN, "%s: the traps are still planted", name);
		CHECK_HEX(m.mem.host[CODE + 3], HLT_OPCODE, "%s: ... in memory", name);
	} else {
		CHECK_INT(m.debug.nsw, 0, "%s: every trap lifted", name);
		CHECK_MEM(m.mem.host + CODE, guest, sizeof(guest), "%s: the code is the guest's",
			  name);
	}
	finish();
}

/*
 * The debug registers gdb leaves free back its software breakpoints: those
 * on memory that looks unwritten (zeros all round) first, then the newest,
 * among gdb's newest DEBUG_BACKUP_WINDOW; coverage's traps never.  Read
 * back from what debug_apply gave KVM.
 */
static void test_backups(void)
{
	enum { WRITTEN = DEBUG_BACKUP_WINDOW + 44, OLD_ZEROS = 0x8000, NEW_ZEROS = 0x9000 };
	uint64_t want[DEBUG_NUM_HW];
	unsigned ok = 0;

	if (!start())
		return;
	m.debug.hw_exec = HOST_YES;	/* no probe: the registers are only read back */
	memset(m.mem.host + 0x4000, 0x90, 0x1000);
	CHECK_INT(debug_insert(&m, NULL, DEBUG_SW_BP, OLD_ZEROS, 1), 0, "backups: one on zeros");
	for (unsigned i = 0; i < WRITTEN; i++)
		ok += debug_insert(&m, NULL, DEBUG_SW_BP, 0x4000 + 2 * i, 1) == 0;
	CHECK_INT(ok, WRITTEN, "backups: %d on code", WRITTEN);
	CHECK_INT(debug_insert(&m, NULL, DEBUG_SW_BP, NEW_ZEROS, 1), 0, "backups: the newest on zeros");
	for (unsigned i = 0; i < 100; i++)	/* coverage's traps are no candidates */
		debug_cov_plant_phys(&m, 0xa000 + 8 * i);
	CHECK_INT(debug_apply(&m), 0, "backups: KVM_SET_GUEST_DEBUG");
	/* The old one on zeros is past the window of the newest: not a
	 * candidate.  The new one on zeros first, then the newest on code. */
	want[0] = NEW_ZEROS;
	for (unsigned k = 1; k < DEBUG_NUM_HW; k++)
		want[k] = 0x4000 + 2 * (WRITTEN - k);
	for (unsigned k = 0; k < DEBUG_NUM_HW; k++)
		CHECK_HEX(m.debug.applied.arch.debugreg[k], want[k], "backups: DR%u", k);
	CHECK(m.debug.applied.control & KVM_GUESTDBG_USE_HW_BP, "backups: debug registers on");

	/* Fewer breakpoints: the old one on zeros is in the window again. */
	debug_remove(&m, DEBUG_SW_BP, NEW_ZEROS, 1);
	for (unsigned i = 100; i < WRITTEN; i++)
		debug_remove(&m, DEBUG_SW_BP, 0x4000 + 2 * i, 1);
	CHECK_INT(debug_apply(&m), 0, "backups: KVM_SET_GUEST_DEBUG again");
	want[0] = OLD_ZEROS;
	for (unsigned k = 1; k < DEBUG_NUM_HW; k++)
		want[k] = 0x4000 + 2 * (100 - k);
	for (unsigned k = 0; k < DEBUG_NUM_HW; k++)
		CHECK_HEX(m.debug.applied.arch.debugreg[k], want[k], "backups, 101 left: DR%u", k);
	debug_remove_all(&m);
	CHECK_INT(m.debug.nsw, 100, "backups: a detach leaves coverage's 100");
	CHECK(!(m.debug.applied.control & KVM_GUESTDBG_USE_HW_BP),
	      "backups: none for coverage's traps");
	finish();
}

void test_cov_run(void)
{
	tap_suite("coverage traps in a KVM run");
	run_case(DEBUG_COV_LIFT, "lift");
	run_case(DEBUG_COV_KEEP, "keep");
	test_backups();
}
