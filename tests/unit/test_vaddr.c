/* test_vaddr.c - tests gdb's addresses through the guest's page tables
 * without KVM: splitting memory requests into pages (vmm/vaddr.c), the
 * rights of a walk, software breakpoints planted at the physical page of
 * their virtual address and moved when the tables change (vmm/debug.c),
 * and the monitor views (vmm/monitor_views.c) on tables built by hand. */
#include "debug.h"
#include "machine.h"
#include "monitor_views.h"
#include "paging.h"
#include "suites.h"
#include "tap.h"
#include "vaddr.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define RAM_SIZE (4 * 1024 * 1024)
#define P 0x1ull
#define W 0x2ull
#define U 0x4ull
#define PS 0x80ull
#define NX (1ull << 63)

/* Long-mode tables: PML4 0x10000, PDPT 0x11000, PD 0x12000, PT 0x13000.
 * 0 .. 2 MiB one large page; the PT maps 2 MiB + i * 4 KiB as below. */
#define PML4 0x10000
#define PDPT 0x11000
#define PD 0x12000
#define PT 0x13000
#define V0 0x200000ull

static struct machine m;

static void put64(uint64_t at, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		m.mem.host[at + i] = (uint8_t)(v >> (8 * i));
}

static uint8_t byte(uint64_t at)
{
	return m.mem.host[at];
}

static struct paging_state long_state(void)
{
	return (struct paging_state){ .cr0 = PAGING_CR0_PE | PAGING_CR0_PG, .cr3 = PML4,
				      .cr4 = PAGING_CR4_PAE,
				      .efer = PAGING_EFER_LME | PAGING_EFER_LMA | PAGING_EFER_NXE };
}

static void build(void)
{
	memset(m.mem.host, 0, RAM_SIZE);
	put64(PML4, PDPT | P | W | U);
	put64(PDPT, PD | P | W | U);
	put64(PD, 0 | P | W | PS);
	put64(PD + 8, PT | P | W | U);
	put64(PT + 0 * 8, 0x300000 | P | W);		/* V0 -> 0x300000 */
	put64(PT + 1 * 8, 0x100000 | P | W);		/* V0 + 4K -> 0x100000 (elsewhere) */
	put64(PT + 2 * 8, 0x101000 | P | W | NX);	/* contiguous with it, but NX */
	put64(PT + 3 * 8, 0x102000 | P | U);		/* read-only, user */
	/* PT[4] and up: not present */
}

struct piece {
	uint64_t phys;
	size_t off, n;
};
static struct piece pieces[8];
static unsigned npieces;

static int record(void *ctx, uint64_t phys, size_t off, size_t n)
{
	(void)ctx;
	if (npieces < 8)
		pieces[npieces++] = (struct piece){ phys, off, n };
	return phys == 0x102000 ? -EIO : 0;
}

static void test_requests(void)
{
	struct paging_state off = { 0 }, st = long_state();
	uint64_t phys, room;
	size_t done;
	int err;

	tap_suite("vaddr: gdb requests through paging");
	CHECK_INT(vaddr_translate(&m.mem, &off, 0x1234, &phys, &room, NULL), 0, "paging off");
	CHECK_HEX(phys, 0x1234, "paging off: the linear address is physical");
	CHECK(room >= RAM_SIZE, "paging off: one piece for the whole request");

	npieces = 0;
	done = vaddr_for_each(&m.mem, &st, V0 + 0xffa, 16, record, NULL, &err);
	CHECK_INT(done, 16, "a read across two mapped pages is whole");
	CHECK_INT(err, 0, "... with no error");
	CHECK_INT(npieces, 2, "... in two pieces");
	CHECK_HEX(pieces[0].phys, 0x300ffa, "first piece: the end of the first page");
	CHECK_INT(pieces[0].n, 6, "first piece: 6 bytes");
	CHECK_HEX(pieces[1].phys, 0x100000, "second piece: the other physical page");
	CHECK_INT(pieces[1].off, 6, "second piece: at offset 6 of the request");
	CHECK_INT(pieces[1].n, 10, "second piece: 10 bytes");

	npieces = 0;
	done = vaddr_for_each(&m.mem, &st, V0 + 0x3ff8, 16, NULL, NULL, &err);
	CHECK_INT(done, 8, "a request running into an unmapped page: the mapped part");
	CHECK_ERR(err, -EFAULT, "... and -EFAULT");
	done = vaddr_for_each(&m.mem, &st, V0 + 0x4000, 4, NULL, NULL, &err);
	CHECK_INT(done, 0, "an unmapped page: nothing");
	CHECK_ERR(err, -EFAULT, "an unmapped page: -EFAULT");
	done = vaddr_for_each(&m.mem, &st, 0x0000800000000000ull, 4, NULL, NULL, &err);
	CHECK_ERR(err, -EFAULT, "a non-canonical address: -EFAULT");
	done = vaddr_for_each(&m.mem, &st, V0 + 0x2ff0, 32, record, NULL, &err);
	CHECK_INT(done, 16, "a piece the callback refuses ends the request");
	CHECK_ERR(err, -EIO, "... with the callback's error");
	done = vaddr_for_each(&m.mem, &st, 0x1ff000, 0x2000, NULL, NULL, &err);
	CHECK_INT(done, 0x2000, "from a 2 MiB page into a 4 KiB page");
}

static void test_rights(void)
{
	struct paging_state st = long_state();
	struct paging_rights r;
	uint64_t phys, room;

	tap_suite("vaddr: the rights of a walk");
	vaddr_translate(&m.mem, &st, V0, &phys, &room, &r);
	CHECK(r.writable && !r.user && !r.noexec, "supervisor page: rw, not user, executable");
	CHECK_INT(room, 0x1000, "a 4 KiB page: the room to its end");
	vaddr_translate(&m.mem, &st, V0 + 0x2000, &phys, &room, &r);
	CHECK(r.noexec, "NX in the PTE (EFER.NXE): no-execute");
	vaddr_translate(&m.mem, &st, V0 + 0x3000, &phys, &room, &r);
	CHECK(r.user && !r.writable, "U at every level, no W in the PTE: user, read-only");
	vaddr_translate(&m.mem, &st, 0x1000, &phys, &room, &r);
	CHECK(!r.user, "the large page's PDE lacks U: not user, whatever the levels above say");
	CHECK_INT(room, 0x1ff000, "in a 2 MiB page: the room to its end");
}

static void test_breakpoints(void)
{
	struct paging_state st = long_state();
	struct sw_breakpoint *bp;

	tap_suite("vaddr: software breakpoints on virtual addresses");
	build();
	debug_init(&m.debug, NULL);
	m.mem.host[0x300010] = 0x90;
	CHECK_INT(debug_insert(&m, &st, DEBUG_SW_BP, V0 + 0x10, 1), 0, "insert at a virtual address");
	bp = debug_sw_at_vaddr(&m.debug, V0 + 0x10);
	CHECK(bp != NULL, "found by its virtual address");
	CHECK_HEX(bp ? bp->addr : 0, 0x300010, "planted at the physical address it maps to");
	CHECK_HEX(byte(0x300010), HLT_OPCODE, "the HLT is in the physical page");
	CHECK_HEX(byte(V0 + 0x10), 0, "nothing is written at the virtual address taken as physical");
	CHECK(debug_sw_at(&m.debug, debug_phys(&m, &st, V0 + 0x10)) == bp,
	      "a HLT exit at the linear pc finds it through translation");
	CHECK_ERR(debug_insert(&m, &st, DEBUG_SW_BP, V0 + 0x4000, 1), -EFAULT,
		  "an unmapped address: -EFAULT");

	/* The guest maps the page elsewhere. */
	put64(PT, 0x300000 | P | W);
	debug_retranslate(&m, &st);
	CHECK_HEX(byte(0x300010), HLT_OPCODE, "unchanged tables: the HLT stays");
	put64(PD + 8 * 2, 0);
	put64(PT, 0x3f0000 | P | W);
	m.mem.host[0x3f0010] = 0x55;
	debug_retranslate(&m, &st);
	bp = debug_sw_at_vaddr(&m.debug, V0 + 0x10);
	CHECK_HEX(bp ? bp->addr : 0, 0x3f0010, "after the guest remapped: moved to the new page");
	CHECK_HEX(byte(0x3f0010), HLT_OPCODE, "the new page has the HLT");
	CHECK_HEX(byte(0x300010), 0x90, "the old page has its own byte back");
	CHECK_HEX(bp ? bp->orig : 0, 0x55, "the breakpoint keeps the new page's byte");
	put64(PT, 0);
	debug_retranslate(&m, &st);
	CHECK_HEX(byte(0x3f0010), HLT_OPCODE, "unmapped now: the HLT stays where it was");

	/* Two virtual addresses, one physical byte. */
	put64(PT, 0x300000 | P | W);
	put64(PT + 5 * 8, 0x300000 | P | W);
	debug_retranslate(&m, &st);
	CHECK_INT(debug_insert(&m, &st, DEBUG_SW_BP, V0 + 0x5010, 1), 0, "an alias of the same byte");
	bp = debug_sw_at_vaddr(&m.debug, V0 + 0x5010);
	CHECK_HEX(bp ? bp->orig : 0, 0x90, "the alias takes the guest's byte, not the HLT");
	CHECK_INT(debug_remove(&m, DEBUG_SW_BP, V0 + 0x10, 1), 0, "remove the first");
	CHECK_HEX(byte(0x300010), HLT_OPCODE, "the alias still needs the HLT");
	CHECK_INT(debug_remove(&m, DEBUG_SW_BP, V0 + 0x5010, 1), 0, "remove the alias");
	CHECK_HEX(byte(0x300010), 0x90, "now the guest's byte is back");
	CHECK_ERR(debug_remove(&m, DEBUG_SW_BP, V0 + 0x10, 1), -ENOENT, "removed twice: -ENOENT");
	CHECK_INT(debug_insert(&m, NULL, DEBUG_SW_BP, 0x1234, 1), 0, "no paging state: physical");
	CHECK_HEX(byte(0x1234), HLT_OPCODE, "planted at the address itself");
	CHECK_INT(debug_remove(&m, DEBUG_SW_BP, 0x1234, 1), 0, "removed");
}

/* A breakpoint in a user page with no debug register to take: int3 where
 * the host reports it (the probe's answer set by hand), else refused. */
static void test_user_int3(void)
{
	struct paging_state st = long_state();
	struct sw_breakpoint *bp;
	uint8_t buf[4], b;

	tap_suite("vaddr: int3 breakpoints in user pages");
	build();
	debug_init(&m.debug, NULL);
	m.debug.hw_exec = HOST_NO;
	m.debug.sw_int3 = HOST_NO;
	m.mem.host[0x102010] = 0x90;
	CHECK_ERR(debug_insert(&m, &st, DEBUG_SW_BP, V0 + 0x3010, 1), -EOPNOTSUPP,
		  "no debug registers, no int3 exits: refused");
	CHECK_HEX(byte(0x102010), 0x90, "... and nothing planted");

	m.debug.sw_int3 = HOST_YES;
	CHECK_INT(debug_insert(&m, &st, DEBUG_SW_BP, V0 + 0x3010, 1), 0,
		  "int3 exits: a user-page breakpoint goes in");
	bp = debug_sw_at_vaddr(&m.debug, V0 + 0x3010);
	CHECK(bp && bp->int3, "... as an int3");
	CHECK_HEX(byte(0x102010), INT3_OPCODE, "0xcc at the translated physical byte");
	CHECK(debug_any_int3(&m.debug), "KVM_GUESTDBG_USE_SW_BP wanted while it is planted");
	CHECK_INT(debug_insert(&m, &st, DEBUG_SW_BP, V0 + 0x3010, 1), 0, "inserted twice: OK");
	CHECK_INT(m.debug.nsw, 1, "... still one breakpoint");
	mem_read(&m.mem, 0x10200f, buf, 3);
	debug_unplant_copy(&m.debug, 0x10200f, buf, 3);
	CHECK_HEX(buf[1], 0x90, "memory reads show the guest's byte");
	CHECK_INT(debug_insert(&m, &st, DEBUG_SW_BP, V0 + 0x10, 1), 0, "a supervisor page: HLT");
	CHECK_HEX(byte(0x300010), HLT_OPCODE, "... as before");
	CHECK(debug_hlt_meaning(&m, 0x102010) == HLT_GUEST,
	      "a HLT exit at the int3's address is not taken for the breakpoint");

	/* The guest stores over the int3: its byte is adopted, the int3 stays. */
	m.mem.host[0x102010] = 0x55;
	debug_adopt_guest_writes(&m);
	bp = debug_sw_at_vaddr(&m.debug, V0 + 0x3010);
	CHECK_HEX(bp ? bp->orig : 0, 0x55, "a guest store over the int3 is the new original");
	CHECK_HEX(byte(0x102010), INT3_OPCODE, "... and the int3 is planted again");
	m.mem.host[0x102010] = HLT_OPCODE;
	debug_adopt_guest_writes(&m);
	CHECK_HEX(bp ? bp->orig : 0, HLT_OPCODE, "a HLT stored over an int3 is the guest's byte");
	CHECK(bp && !bp->pending, "... decided at once (int3 traps have no copies)");
	b = 0x91;
	CHECK_INT(debug_write_memory(&m, 0x102010, &b, 1), 0, "gdb writes the byte");
	CHECK_HEX(bp ? bp->orig : 0, 0x91, "... which becomes the original");
	CHECK_HEX(byte(0x102010), INT3_OPCODE, "... under the int3");

	/* Step-over: the guest's byte back, then the int3 again. */
	debug_unplant(&m, bp);
	CHECK_HEX(byte(0x102010), 0x91, "lifted for a step: the guest's byte");
	debug_replant(&m, bp);
	CHECK_HEX(byte(0x102010), INT3_OPCODE, "replanted: the int3");

	/* The guest maps the user page elsewhere: the int3 follows. */
	m.mem.host[0x104010] = 0x66;
	put64(PT + 3 * 8, 0x104000 | P | U);
	debug_retranslate(&m, &st);
	bp = debug_sw_at_vaddr(&m.debug, V0 + 0x3010);
	CHECK_HEX(bp ? bp->addr : 0, 0x104010, "remapped: moved to the new page");
	CHECK_HEX(byte(0x104010), INT3_OPCODE, "... still an int3");
	CHECK_HEX(byte(0x102010), 0x91, "the old page has its byte back");
	CHECK_HEX(bp ? bp->orig : 0, 0x66, "the new page's byte is the original");

	CHECK_INT(debug_remove(&m, DEBUG_SW_BP, V0 + 0x3010, 1), 0, "removed");
	CHECK_HEX(byte(0x104010), 0x66, "the guest's byte is back");
	CHECK(!debug_any_int3(&m.debug), "no int3 left: KVM_GUESTDBG_USE_SW_BP off");

	/* With debug registers, all taken: int3 is the fallback. */
	m.debug.hw_exec = HOST_YES;
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++)
		m.debug.hw[i] = (struct hw_slot){ .used = true, .kind = DEBUG_HW_BP, .addr = i };
	CHECK_INT(debug_insert(&m, &st, DEBUG_SW_BP, V0 + 0x3020, 1), 0,
		  "every debug register taken: int3");
	bp = debug_sw_at_vaddr(&m.debug, V0 + 0x3020);
	CHECK(bp && bp->int3, "... planted as an int3");
	CHECK_INT(debug_remove(&m, DEBUG_SW_BP, V0 + 0x3020, 1), 0, "removed");
	CHECK_INT(debug_remove(&m, DEBUG_SW_BP, V0 + 0x10, 1), 0, "the HLT removed");
	for (unsigned i = 0; i < DEBUG_NUM_HW; i++)
		m.debug.hw[i].used = false;
}

/* ---- the monitor views ---- */

static char text[8192];
static size_t text_len;

static void collect(void *ctx, const char *line)
{
	size_t n = strlen(line);

	(void)ctx;
	if (text_len + n < sizeof(text)) {
		memcpy(text + text_len, line, n + 1);
		text_len += n;
	}
}

static const struct view_out out = { collect, NULL };

static void reset(void)
{
	text[0] = '\0';
	text_len = 0;
}

static struct kvm_sregs long_sregs(void)
{
	struct kvm_sregs s = { 0 };
	struct paging_state st = long_state();

	s.cr0 = st.cr0;
	s.cr3 = st.cr3;
	s.cr4 = st.cr4;
	s.efer = st.efer;
	s.cs.l = 1;
	return s;
}

static void test_views(void)
{
	struct kvm_sregs s = long_sregs();
	struct kvm_regs r = { 0 };
	unsigned lines = 0;

	tap_suite("vaddr: monitor views");
	build();
	reset();
	view_mode(&out, &r, &s);
	CHECK_STR(text, "mode: long mode, 64-bit code\npaging: 4-level, cr3 0x10000\ncpl: 0\n",
		  "info mode in long mode");
	reset();
	s.ss.dpl = 3;
	view_mode(&out, &r, &s);
	CHECK_CONTAINS(text, "cpl: 3\n", "info mode: the CPL is SS.DPL");
	reset();
	{
		struct kvm_sregs real = { 0 };

		view_mode(&out, &r, &real);
		CHECK_STR(text, "mode: real mode\npaging: off\ncpl: 0\n", "info mode in real mode");
	}

	reset();
	view_tab(&out, &m.mem, &s);
	CHECK_STR(text,
		  "4-level paging, cr3 0x10000\n"
		  "0x0000000000000000-0x00000000001fffff -> 0x0 size 0x200000 rw sup x\n"
		  "0x0000000000200000-0x0000000000200fff -> 0x300000 size 0x1000 rw sup x\n"
		  "0x0000000000201000-0x0000000000201fff -> 0x100000 size 0x1000 rw sup x\n"
		  "0x0000000000202000-0x0000000000202fff -> 0x101000 size 0x1000 rw sup nx\n"
		  "0x0000000000203000-0x0000000000203fff -> 0x102000 size 0x1000 ro user x\n",
		  "info tab: ranges split where physical pages or rights differ");
	put64(PT + 4 * 8, 0x103000 | P | U);	/* continues the read-only user range */
	put64(PT + 5 * 8, 0x104000 | P | U);
	reset();
	view_tab(&out, &m.mem, &s);
	CHECK_CONTAINS(text, "0x0000000000203000-0x0000000000205fff -> 0x102000 size 0x3000 ro user x\n",
		       "info tab: contiguous pages with the same rights merge");

	reset();
	view_translate(&out, &m.mem, &s, "0x201234");
	CHECK_STR(text,
		  "linear 0x201234, 4-level paging, cr3 0x10000\n"
		  "PML4E[0] at 0x10000 = 0x11007\n"
		  "PDPTE[0] at 0x11000 = 0x12007\n"
		  "PDE[1] at 0x12008 = 0x13007\n"
		  "PTE[1] at 0x13008 = 0x100003\n"
		  "physical 0x100234\n", "translate: every level");
	reset();
	view_translate(&out, &m.mem, &s, "0x1000");
	CHECK_CONTAINS(text, "PDE[0] at 0x12000 = 0x83 (2 MiB page)\nphysical 0x1000\n",
		       "translate: a large page says so");
	reset();
	view_translate(&out, &m.mem, &s, "0x206000");
	CHECK_CONTAINS(text, "PTE[6] at 0x13030 = 0x0\nnot mapped: page not present\n",
		       "translate: the entry that stopped the walk");
	CHECK_ERR(view_translate(&out, &m.mem, &s, "zz"), -EINVAL, "translate: not a number");
	CHECK_ERR(view_translate(&out, &m.mem, &s, ""), -EINVAL, "translate: no number");

	/* Hostile: a table outside RAM, and a PDPT that points back at itself. */
	put64(PD + 3 * 8, 0x7f000000000ull | P | W);
	for (unsigned i = 1; i < 512; i++)
		put64(PDPT + i * 8, PDPT | P | W);
	reset();
	view_translate(&out, &m.mem, &s, "0x600000");
	CHECK_CONTAINS(text, "not mapped: page table outside guest RAM\n",
		       "translate: a table outside RAM");
	reset();
	view_tab(&out, &m.mem, &s);
	for (const char *c = text; *c; c++)
		lines += *c == '\n';
	CHECK(lines <= VIEW_MAX_LINES + 4, "info tab on a loop: bounded output (%u lines)", lines);
	CHECK_CONTAINS(text, "... more ranges not shown (at most 64)\n", "info tab on a loop: says so");
	CHECK_CONTAINS(text, "page tables outside guest RAM skipped\n",
		       "info tab: says it skipped a table outside RAM");

	/* A GDT and an IDT of 64-bit gates at 0x8000 and 0x9000. */
	build();
	put64(0x8008, 0x00af9a000000ffffull);	/* code, 64-bit */
	put64(0x8010, 0x00cf92000000ffffull);	/* data */
	put64(0x8018, 0x0000891230000067ull);	/* TSS, base 0x??123000 low */
	put64(0x8020, 0x00000000000000ffull);	/* its high half: base bits 63:32 */
	s.gdt.base = 0x8000;
	s.gdt.limit = 0x27;
	reset();
	view_gdt(&out, &m.mem, &s);
	CHECK_STR(text,
		  "gdt base 0x8000 limit 0x27\n"
		  "0x0008 00af9a000000ffff code base 0x0 limit 0xffffffff dpl 0 64-bit\n"
		  "0x0010 00cf92000000ffff data base 0x0 limit 0xffffffff dpl 0 32-bit\n"
		  "0x0018 0000891230000067 tss64 base 0xff00123000 limit 0x67 dpl 0\n",
		  "info gdt: code, data and a 16-byte TSS descriptor");
	put64(0x9000 + 3 * 16, 0x00008e0000081234ull | 0x5678ull << 48);
	put64(0x9000 + 3 * 16 + 8, 0xffffffffull);
	s.idt.base = 0x9000;
	s.idt.limit = 16 * 4 - 1;
	reset();
	view_idt(&out, &m.mem, &r, &s);
	CHECK_STR(text,
		  "idt base 0x9000 limit 0x3f (64-bit gates)\n"
		  "0x03 int64 0008:0xffffffff56781234 dpl 0\n", "info idt: a present 64-bit gate");
	{
		struct kvm_sregs real = { 0 }, prot = { 0 };

		memset(m.mem.host, 0, 0x400);
		m.mem.host[0x20] = 0x53;	/* vector 8: f000:ff53 */
		m.mem.host[0x21] = 0xff;
		m.mem.host[0x22] = 0x00;
		m.mem.host[0x23] = 0xf0;
		real.idt.limit = 0x3ff;
		reset();
		view_idt(&out, &m.mem, &r, &real);
		CHECK_STR(text, "idt base 0x0 limit 0x3ff (real-mode vector table)\n0x08 f000:ff53\n",
			  "info idt in real mode: the non-zero vectors");
		prot.cr0 = PAGING_CR0_PE;
		prot.idt.base = 0xa000;
		prot.idt.limit = 8 * 3 - 1;
		put64(0xa000 + 8, 0x12348e0000081000ull);	/* int32 0008:12341000 */
		put64(0xa000 + 16, 0x0000e50000280000ull);	/* task gate, DPL 3 */
		reset();
		view_idt(&out, &m.mem, &r, &prot);
		CHECK_STR(text,
			  "idt base 0xa000 limit 0x17 (32-bit gates)\n"
			  "0x01 int32 0008:0x12341000 dpl 0\n"
			  "0x02 task-gate tss 0028 dpl 3\n", "info idt in protected mode");
	}
	s.idt.base = 0x7ff000000000ull;
	reset();
	view_idt(&out, &m.mem, &r, &s);
	CHECK_CONTAINS(text, "0x00 not readable: page not present\n",
		       "info idt: a table that does not translate");
}

static void put32(uint64_t at, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		m.mem.host[at + i] = (uint8_t)(v >> (8 * i));
}

/* 32-bit and PAE paging: this host runs neither (KVM refuses paging
 * outside long mode), so only here. */
static void test_views_legacy(void)
{
	struct kvm_sregs s = { 0 };

	tap_suite("vaddr: monitor views, 32-bit and PAE paging");
	memset(m.mem.host, 0, RAM_SIZE);
	/* 32-bit: PD at 0x20000; 0xc0000000 a 4 MiB page at 0 (PSE); 0x400000
	 * through a PT at 0x21000: two pages, 0x5000 and 0x6000. */
	put32(0x20000 + (0xc0000000 >> 22) * 4, 0x000000 | P | W | PS);
	put32(0x20000 + 1 * 4, 0x21000 | P | W | U);
	put32(0x21000 + 0 * 4, 0x5000 | P | W | U);
	put32(0x21000 + 1 * 4, 0x6000 | P | U);
	s.cr0 = PAGING_CR0_PE | PAGING_CR0_PG;
	s.cr3 = 0x20000;
	s.cr4 = PAGING_CR4_PSE;
	reset();
	view_tab(&out, &m.mem, &s);
	CHECK_STR(text,
		  "32-bit paging, cr3 0x20000\n"
		  "0x00400000-0x00400fff -> 0x5000 size 0x1000 rw user x\n"
		  "0x00401000-0x00401fff -> 0x6000 size 0x1000 ro user x\n"
		  "0xc0000000-0xc03fffff -> 0x0 size 0x400000 rw sup x\n",
		  "info tab, 32-bit paging: 4 KiB pages and a 4 MiB page");
	reset();
	view_translate(&out, &m.mem, &s, "0x401abc");
	CHECK_STR(text,
		  "linear 0x401abc, 32-bit paging, cr3 0x20000\n"
		  "PDE[1] at 0x20004 = 0x21007\n"
		  "PTE[1] at 0x21004 = 0x6005\n"
		  "physical 0x6abc\n", "translate, 32-bit paging");
	reset();
	view_translate(&out, &m.mem, &s, "0xc0123456");
	CHECK_CONTAINS(text, "PDE[768] at 0x20c00 = 0x83 (4 MiB page)\nphysical 0x123456\n",
		       "translate, 32-bit paging: a 4 MiB page");

	/* PAE: PDPT at 0x30000, PD at 0x31000: 0x40000000 a 2 MiB page at
	 * 0x200000, no-execute. */
	memset(m.mem.host, 0, RAM_SIZE);
	put64(0x30000 + 1 * 8, 0x31000 | P);
	put64(0x31000 + 0 * 8, 0x200000 | P | W | PS | NX);
	s.cr3 = 0x30000;
	s.cr4 = PAGING_CR4_PAE;
	s.efer = PAGING_EFER_NXE;
	reset();
	view_tab(&out, &m.mem, &s);
	CHECK_STR(text,
		  "PAE paging, cr3 0x30000\n"
		  "0x40000000-0x401fffff -> 0x200000 size 0x200000 rw sup nx\n",
		  "info tab, PAE: a 2 MiB no-execute page (PDPTEs carry no rights)");
	reset();
	view_translate(&out, &m.mem, &s, "0x40000010");
	CHECK_STR(text,
		  "linear 0x40000010, PAE paging, cr3 0x30000\n"
		  "PDPTE[1] at 0x30008 = 0x31001\n"
		  "PDE[0] at 0x31000 = 0x8000000000200083 (2 MiB page)\n"
		  "physical 0x200010\n", "translate, PAE");
}

void test_vaddr(void)
{
	if (mem_alloc(&m.mem, RAM_SIZE) < 0) {
		CHECK(0, "guest RAM for the vaddr tests");
		return;
	}
	build();
	test_requests();
	test_rights();
	test_breakpoints();
	test_user_int3();
	test_views();
	test_views_legacy();
	mem_free(&m.mem);
}
