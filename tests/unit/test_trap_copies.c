/* test_trap_copies.c - tests recognising planted breakpoints the guest copied
 * (vmm/debug_copies.c), on guest RAM and a breakpoint table without KVM. */
#include "debug_copies.h"
#include "debug_table.h"
#include "suites.h"
#include "tap.h"

#include <string.h>

#define RAM_SIZE (64 * 1024)
#define CODE 0x1000
#define COPY 0x3000
#define CODE_LEN 32

/* Some real-mode code: the bytes of guests/boot/reloc.asm's tail. */
static const uint8_t code[CODE_LEN] = {
	0xe2, 0xf8, 0xea, 0x32, 0x7a, 0x00, 0x00, 0x31, 0xdb, 0xb9, 0x0a, 0x00, 0x01, 0xcb,
	0xe2, 0xfc, 0xba, 0xf8, 0x03, 0xb0, 0x52, 0xee, 0x89, 0xd8, 0xb1, 0x0a, 0xf6, 0xf1,
	0x05, 0x30, 0x30, 0xee,
};

/* Plant a breakpoint as debug.c does: context first, then the HLT. */
static struct sw_breakpoint *plant(struct debug_state *d, struct guest_mem *mem, uint64_t addr)
{
	int err;
	struct sw_breakpoint *bp = sw_table_add(&d->swt, addr, false, addr, &err);
	uint8_t hlt = HLT_OPCODE;

	mem_read(mem, addr, &bp->orig, 1);
	trap_context_take(&bp->ctx, d, mem, addr, bp->orig);
	d->nsw = d->swt.count;
	mem_write(mem, addr, &hlt, 1);
	return bp;
}

static void fresh(struct debug_state *d, struct guest_mem *mem)
{
	debug_free(d);
	memset(d, 0, sizeof(*d));
	memset(mem->host, 0, RAM_SIZE);
	/* Bytes around the code that its copies do not have around them. */
	memset(mem->host + CODE - 16, 0x11, 16);
	memset(mem->host + CODE + CODE_LEN, 0x22, 16);
	mem_write(mem, CODE, code, sizeof(code));
}

static uint8_t byte_at(const struct guest_mem *mem, uint64_t addr)
{
	uint8_t b = 0;

	mem_read(mem, addr, &b, 1);
	return b;
}

static void copy(struct guest_mem *mem, uint64_t to, uint64_t from, size_t len)
{
	memmove(mem->host + to, mem->host + from, len);
}

static void test_copied_trap(struct debug_state *d, struct guest_mem *mem)
{
	uint8_t orig = 0;

	fresh(d, mem);
	plant(d, mem, CODE + 7);			/* xor bx, bx: 0x31 */
	copy(mem, COPY, CODE, CODE_LEN);
	CHECK_HEX(byte_at(mem, COPY + 7), HLT_OPCODE, "the copy carries the planted HLT");
	CHECK(trap_copy_original(d, mem, COPY + 7, &orig), "the copied HLT is recognised");
	CHECK_HEX(orig, 0x31, "with the breakpoint's original byte");
	CHECK(!trap_copy_original(d, mem, CODE + 7, &orig),
	      "the planted HLT itself is a breakpoint, not a copy");
	CHECK(!trap_copy_original(d, mem, COPY + 8, &orig), "a byte that is not HLT is no copy");
	CHECK_INT(trap_copies_repair(d, mem, COPY, CODE_LEN), 1, "repair finds one copied trap");
	CHECK_MEM(mem->host + COPY, code, CODE_LEN, "the copy now holds the guest's own code");
	CHECK_HEX(byte_at(mem, CODE + 7), HLT_OPCODE, "the breakpoint stays planted");

	/* A copy of the copy (MBR to 0x0600, then on to 0x7A00). */
	copy(mem, COPY, CODE, CODE_LEN);
	copy(mem, COPY + 0x1000, COPY, CODE_LEN);
	CHECK_INT(trap_copies_repair(d, mem, COPY + 0x1000, CODE_LEN), 1,
		  "a copy of a copy is recognised too");
	CHECK_HEX(byte_at(mem, COPY + 0x1007), 0x31, "and repaired");
}

static void test_guest_hlt(struct debug_state *d, struct guest_mem *mem)
{
	static const uint8_t other[] = { 0xfa, 0xf4, 0xeb, 0xfd };	/* cli; hlt; jmp $-1 */
	uint8_t orig = 0;

	fresh(d, mem);
	plant(d, mem, CODE + 7);
	mem_write(mem, COPY, other, sizeof(other));
	CHECK(!trap_copy_original(d, mem, COPY + 1, &orig),
	      "the guest's own HLT in other code is not a copy");
	CHECK_INT(trap_copies_repair(d, mem, COPY, sizeof(other)), 0, "and is left alone");

	/* The same code around, but a breakpoint on a HLT: copies stay HLT. */
	fresh(d, mem);
	mem_write(mem, CODE + 7, other + 1, 1);
	plant(d, mem, CODE + 7);
	copy(mem, COPY, CODE, CODE_LEN);
	CHECK(!trap_copy_original(d, mem, COPY + 7, &orig),
	      "a copy of a breakpoint on the guest's HLT is the guest's HLT");
}

/* A trap on memory the guest has not loaded yet (zeros all round), and the
 * guest's own HLT at the end of its code with zero padding after it: the
 * zeros agree, but zeros are no evidence of a copy. */
static void test_zeros_are_no_evidence(struct debug_state *d, struct guest_mem *mem)
{
	uint8_t orig = 0xaa;

	fresh(d, mem);
	plant(d, mem, 0x8000);
	mem->host[COPY] = 0x75;		/* jne $-6, then HLT, then zeros */
	mem->host[COPY + 1] = 0xfa;
	mem->host[COPY + 2] = HLT_OPCODE;
	CHECK(!trap_copy_original(d, mem, COPY + 2, &orig),
	      "a HLT with only zeros agreeing around it is the guest's own");
	CHECK_HEX(orig, 0xaa, "... and no original byte is given");
	/* Code then zeros: a real copy of a trap at the end of code. */
	fresh(d, mem);
	plant(d, mem, CODE + CODE_LEN - 1);
	memset(mem->host + CODE + CODE_LEN, 0, 16);
	copy(mem, COPY, CODE, CODE_LEN + 8);
	CHECK(trap_copy_original(d, mem, COPY + CODE_LEN - 1, &orig),
	      "a copy of code ending in a trap, zeros after it, is recognised");
	CHECK_HEX(orig, code[CODE_LEN - 1], "with the trap's byte");
}

static void test_short_copies(struct debug_state *d, struct guest_mem *mem)
{
	uint8_t orig = 0;
	struct sw_breakpoint *bp;

	/* Only what is before the trap was copied with it (the trap is the
	 * last byte of the copied block): 7 bytes of context plus the HLT. */
	fresh(d, mem);
	plant(d, mem, CODE + 7);
	copy(mem, COPY, CODE, 8);
	CHECK(!trap_copy_original(d, mem, COPY + 7, &orig),
	      "7 matching bytes are too few to call it a copy");
	copy(mem, COPY, CODE, 9);
	CHECK(trap_copy_original(d, mem, COPY + 7, &orig),
	      "8 matching bytes (7 before, 1 after) are enough");

	/* A trap near the start of RAM: no byte before address 0 is read. */
	fresh(d, mem);
	mem_write(mem, 0, code + 5, 16);
	bp = plant(d, mem, 2);
	CHECK_INT(bp->ctx.nbefore, 2, "context before address 2 stops at 0");
	copy(mem, COPY + 2, 0, 16);
	CHECK(trap_copy_original(d, mem, COPY + 4, &orig), "a trap near address 0 is recognised");
	CHECK_HEX(orig, code[7], "with its byte");
	/* ... and near the end of RAM: nothing past it is read. */
	fresh(d, mem);
	mem_write(mem, RAM_SIZE - 4, code, 4);
	bp = plant(d, mem, RAM_SIZE - 2);
	CHECK_INT(bp->ctx.nafter, 1, "context after the end of RAM stops there");
}

static void test_source_overwritten(struct debug_state *d, struct guest_mem *mem)
{
	uint8_t orig = 0;
	struct sw_breakpoint *bp, removed;

	/* bootOS: copy itself away, then load a program over the original. */
	fresh(d, mem);
	plant(d, mem, CODE + 7);
	copy(mem, COPY, CODE, CODE_LEN);
	memset(mem->host + CODE, 0x90, CODE_LEN);
	mem->host[CODE + 7] = HLT_OPCODE;	/* still planted */
	CHECK(trap_copy_original(d, mem, COPY + 7, &orig),
	      "a copy is recognised after its source was overwritten");
	CHECK_HEX(orig, 0x31, "with the byte recorded when the breakpoint was planted");

	/* A removed breakpoint: its copies are still recognised. */
	fresh(d, mem);
	bp = plant(d, mem, CODE + 7);
	copy(mem, COPY, CODE, CODE_LEN);
	trap_context_retire(d, &bp->ctx);
	mem_write(mem, CODE + 7, &bp->orig, 1);
	removed = *bp;
	bp = &removed;
	debug_free(d);
	CHECK(trap_copy_original(d, mem, COPY + 7, &orig),
	      "a copy of a removed breakpoint is recognised");
	CHECK_HEX(orig, 0x31, "with its byte");
	/* Retiring the same address again keeps one record. */
	trap_context_retire(d, &bp->ctx);
	CHECK_INT(d->nretired, 1, "one retired record per address");
	for (unsigned i = 0; i < DEBUG_MAX_RETIRED + 5; i++) {
		struct trap_context ctx = { .addr = 0x8000 + i };

		trap_context_retire(d, &ctx);
	}
	CHECK_INT(d->nretired, DEBUG_MAX_RETIRED, "the retired records are bounded");
	CHECK_HEX(d->retired[DEBUG_MAX_RETIRED - 1].addr, 0x8000 + DEBUG_MAX_RETIRED + 4,
		  "the newest is kept last");
}

static void test_pending(struct debug_state *d, struct guest_mem *mem)
{
	struct sw_breakpoint *dst;

	/* Breakpoints on both sides: the copy stores the source's HLT over the
	 * destination's planted one. */
	fresh(d, mem);
	plant(d, mem, CODE + 7);
	dst = plant(d, mem, COPY + 7);
	copy(mem, COPY, CODE, 8);		/* the copy is under way */
	dst->orig = HLT_OPCODE;
	dst->pending = true;
	trap_pending_resolve(d, mem);
	CHECK(dst->pending, "undecided while the bytes after it are not copied yet");
	copy(mem, COPY, CODE, CODE_LEN);
	trap_pending_resolve(d, mem);
	CHECK(!dst->pending, "decided once the copy is done");
	CHECK_HEX(dst->orig, 0x31, "the destination's original is the source's");
}

/*
 * A HLT of the guest's followed (and preceded) by one-byte instructions
 * that each carry a trap (coverage plants one per line): its neighbours
 * are our HLTs, as are those of every such trap, which is no sign of a
 * copy.  A real copy of that code, somewhere with no traps, still is.
 */
static void test_hlt_among_traps(struct debug_state *d, struct guest_mem *mem)
{
	const uint64_t hlt_at = COPY + 0x100;
	const uint8_t nop = 0x90, hlt = HLT_OPCODE;
	uint8_t orig;

	fresh(d, mem);
	for (unsigned i = 0; i < 40; i++)
		mem_write(mem, hlt_at - 20 + i, &nop, 1);
	mem_write(mem, hlt_at, &hlt, 1);
	for (unsigned i = 1; i <= 20; i++) {
		plant(d, mem, hlt_at - i);
		plant(d, mem, hlt_at + i);
	}
	CHECK(!trap_copy_original(d, mem, hlt_at, &orig),
	      "a guest HLT among planted one-byte lines is the guest's own");
	copy(mem, COPY + 0x800, hlt_at - 20, 41);
	CHECK(trap_copy_original(d, mem, COPY + 0x800 + 10, &orig),
	      "a copy of those lines elsewhere still carries copied traps");
	CHECK_HEX(orig, nop, "with the original byte");
}

/*
 * One-byte lines that ran, then the guest's HLT, each with a coverage
 * trap lifted (retired) as it ran: the bytes before the HLT look like the
 * bytes before each of those traps, but a trap was planted on the HLT
 * itself with HLT as its byte, so it is the guest's.
 */
static void test_hlt_after_lifted_lines(struct debug_state *d, struct guest_mem *mem)
{
	const uint64_t hlt_at = COPY + 0x100;
	const uint8_t inc = 0x40, hlt = HLT_OPCODE;
	struct sw_breakpoint *bp;
	uint8_t orig;

	fresh(d, mem);
	for (unsigned i = 1; i <= 20; i++)
		mem_write(mem, hlt_at - i, &inc, 1);
	mem_write(mem, hlt_at, &hlt, 1);
	for (unsigned i = 20; i > 0; i--)
		plant(d, mem, hlt_at - i);
	plant(d, mem, hlt_at);
	/* The lines run in order: each trap is lifted and retired. */
	for (unsigned i = 20; i > 0; i--) {
		bp = sw_table_at_phys(&d->swt, hlt_at - i);
		mem_write(mem, bp->addr, &bp->orig, 1);
		trap_context_retire(d, &bp->ctx);
		sw_table_remove(&d->swt, bp);
	}
	bp = sw_table_at_phys(&d->swt, hlt_at);
	mem_write(mem, bp->addr, &bp->orig, 1);
	trap_context_retire(d, &bp->ctx);
	sw_table_remove(&d->swt, bp);
	d->nsw = d->swt.count;
	CHECK(!trap_copy_original(d, mem, hlt_at, &orig),
	      "the guest's HLT after lifted one-byte lines is its own");
}

void test_trap_copies(void)
{
	struct guest_mem mem = { 0 };
	static struct debug_state d;

	tap_suite("trap copies (debug_copies.c)");
	if (!CHECK_ERR(mem_alloc(&mem, RAM_SIZE), 0, "mem_alloc"))
		return;
	test_copied_trap(&d, &mem);
	test_guest_hlt(&d, &mem);
	test_short_copies(&d, &mem);
	test_zeros_are_no_evidence(&d, &mem);
	test_source_overwritten(&d, &mem);
	test_pending(&d, &mem);
	test_hlt_among_traps(&d, &mem);
	test_hlt_after_lifted_lines(&d, &mem);
	debug_free(&d);
	mem_free(&mem);
}
