/* test_gdb_cmds.c - tests the packet handlers (gdbstub/cmds.c) through
 * gdb_handle_packet, and the stop replies of gdb_format_stop, on a stub set
 * up by hand over the fake target. */
#include "fake_target.h"
#include "helpers.h"
#include "hex.h"
#include "stub.h"
#include "suites.h"
#include "tap.h"
#include "tdesc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reply of the last packet, NUL-terminated (s->reply is not always). */
static char R[GDB_PACKET_MAX + 2];
static size_t RLEN;

static int send_bin(struct gdb_stub *s, const char *pkt, size_t len)
{
	int rc = gdb_handle_packet(s, pkt, len);

	RLEN = s->reply_len;
	if (RLEN > GDB_PACKET_MAX)
		RLEN = GDB_PACKET_MAX;
	memcpy(R, s->reply, RLEN);
	R[RLEN] = '\0';
	return rc;
}

static int send_pkt(struct gdb_stub *s, const char *pkt)
{
	return send_bin(s, pkt, strlen(pkt));
}

static struct gdb_stub *new_stub(struct fake_target *f)
{
	struct gdb_stub *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->ops = &fake_ops;
	s->target = f;
	s->listen_fd = -1;
	s->client_fd = -1;
	s->last_stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	gdb_parser_init(&s->parser);
	return s;
}

/* Hex of the fake's bytes [off, off+len) into buf. */
static const char *hex_of(const uint8_t *p, size_t len, char *buf)
{
	hex_encode(p, len, buf);
	buf[2 * len] = '\0';
	return buf;
}

static void fill_regs(struct fake_target *f)
{
	for (unsigned i = 0; i < GDB_REGS_MAX; i++)
		f->regs[i] = (uint8_t)(i * 7 + 3);
}

static const struct gdb_arch *const views[] = { &gdb_arch_i8086, &gdb_arch_i386, &gdb_arch_amd64 };

/* The CPU in view a, and gdb told so (as after a connection or a switch). */
static void set_view(struct gdb_stub *s, struct fake_target *f, const struct gdb_arch *a)
{
	f->arch = a;
	s->arch = a;
}

static void test_supported(struct gdb_stub *s)
{
	static const char *features[] = {
		"PacketSize=4000", "qXfer:features:read+", "qXfer:threads:read+",
		"QStartNoAckMode+", "swbreak+",
		"hwbreak+", "vContSupported+",
	};

	CHECK_INT(send_pkt(s, "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;"
			   "fork-events+;vfork-events+;exec-events+;vContSupported+;"
			   "QThreadEvents+;no-resumed+;xmlRegisters=i386"), 0, "qSupported:... ok");
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		CHECK_CONTAINS(R, features[i], "qSupported reply has %s", features[i]);
	CHECK(strncmp(R, "PacketSize=4000;", 16) == 0, "PacketSize=4000 (GDB_PACKET_MAX in hex)");
	CHECK_LACKS(R, "multiprocess+", "qSupported does not claim multiprocess");
	CHECK_INT(send_pkt(s, "qSupported"), 0, "bare qSupported");
	CHECK_CONTAINS(R, "PacketSize=4000", "bare qSupported reply");
	CHECK_INT(send_pkt(s, "qSupportedX"), 0, "qSupportedX is no qSupported");
	CHECK_INT(RLEN, 0, "qSupportedX gets the empty reply");
}

static void test_xfer(struct gdb_stub *s, const struct gdb_arch *a)
{
	size_t xml_len;
	const char *xml = tdesc_xml(a, &xml_len);
	char *doc = malloc(xml_len + 1);
	char pkt[96], want[160];
	size_t got = 0;
	unsigned chunks = 0;
	bool all_m = true, last_l = false;

	printf("# target.xml of the %s view\n", a->name);
	if (!CHECK(doc != NULL, "buffer allocated"))
		return;
	CHECK(xml_len > 0 && xml_len < 0x3fff, "target.xml is %zu bytes", xml_len);

	CHECK_INT(send_pkt(s, "qXfer:features:read:target.xml:0,3fff"), 0, "qXfer target.xml 0,3fff");
	CHECK(R[0] == 'l' || R[0] == 'm', "qXfer reply starts with 'l' or 'm' (got '%c')", R[0]);
	CHECK(R[0] == 'l', "the whole document fits in 0x3fff bytes: 'l'");
	CHECK_INT(RLEN, xml_len + 1, "reply is 'l' and the whole document");
	snprintf(want, sizeof(want), "<architecture>%s</architecture>", a->name);
	CHECK_CONTAINS(R, want, "architecture %s", a->name);
	CHECK_CONTAINS(R, "<osabi>none</osabi>", "osabi none");
	if (a->ptrsize == 8)
		CHECK_LACKS(R, "<compatible>", "the 64-bit view names no compatible architecture");
	else
		CHECK_CONTAINS(R, "<compatible>i386:x86-64</compatible>",
			       "a 16/32-bit view is compatible with x86-64 (64-bit ELF symbols load)");
	CHECK_CONTAINS(R, "<feature name=\"org.gnu.gdb.i386.core\">", "feature i386.core");
	CHECK_CONTAINS(R, "<feature name=\"org.gdbvm.sys\">", "feature org.gdbvm.sys");
	CHECK_CONTAINS(R, "<reg name=\"cr3\" bitsize=\"64\"", "cr3 is in the description");
	CHECK_CONTAINS(R, " generic=\"pc\"", "the pc has its generic role (LLDB)");
	CHECK_CONTAINS(R, " generic=\"sp\"", "the sp has its generic role (LLDB)");
	CHECK_CONTAINS(R, " generic=\"fp\"", "the fp has its generic role (LLDB)");
	CHECK_CONTAINS(R, " generic=\"flags\"", "eflags has its generic role (LLDB)");
	if (a == &gdb_arch_amd64) {
		CHECK_CONTAINS(R, "<feature name=\"org.gnu.gdb.i386.sse\">", "feature i386.sse");
		CHECK_CONTAINS(R, "<union id=\"vec128\">", "the sse feature defines vec128");
		CHECK_CONTAINS(R, "<feature name=\"org.gnu.gdb.i386.segments\">",
			       "feature i386.segments (fs_base, gs_base)");
		CHECK_CONTAINS(R, "<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"",
			       "rip is a 64-bit code pointer");
	}
	CHECK_CONTAINS(R, "<?xml version=\"1.0\"?>", "XML declaration");
	CHECK_CONTAINS(R, "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">", "DOCTYPE");
	CHECK(RLEN > 10 && strcmp(R + RLEN - 10, "</target>\n") == 0, "document ends </target>");
	CHECK_INT(count_substr(R, "<reg "), a->num_regs, "target.xml has %u <reg> elements",
		  a->num_regs);
	for (unsigned r = 0, off = 0; r < a->num_regs; r++) {
		snprintf(want, sizeof(want), "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%u\"",
			 a->regs[r].name, a->regs[r].size * 8, a->regs[r].type, r);
		CHECK_CONTAINS(R, want, "target.xml has register %u (%s)", r, a->regs[r].name);
		/* gdb lays the 'g' packet out in register order, no gaps. */
		CHECK_INT(a->regs[r].offset, off, "%s sits at 'g' offset %u", a->regs[r].name, off);
		off += a->regs[r].size;
		if (r + 1 == a->num_regs)
			CHECK_INT(off, a->size, "the %s 'g' packet is %u bytes", a->name, a->size);
	}
	CHECK(a->size <= GDB_REGS_MAX && a->num_regs <= GDB_NUM_REGS_MAX,
	      "the %s view fits the stub's buffers", a->name);

	/* In chunks of 0x40. */
	for (size_t off = 0; chunks < 1000; chunks++) {
		snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,40", off);
		if (send_pkt(s, pkt) != 0 || RLEN < 1 || got + RLEN - 1 > xml_len)
			break;
		memcpy(doc + got, R + 1, RLEN - 1);
		got += RLEN - 1;
		off += RLEN - 1;
		if (R[0] == 'l') {
			last_l = true;
			break;
		}
		if (R[0] != 'm' || RLEN != 0x41)
			all_m = false;
	}
	CHECK(last_l, "chunked reads end with 'l'");
	CHECK(all_m, "every chunk before the last is 'm' and 0x40 bytes");
	CHECK_INT(chunks + 1, (xml_len + 0x3f) / 0x40, "number of 0x40 chunks");
	CHECK_INT(got, xml_len, "chunks add up to the document's length");
	CHECK_MEM(doc, xml, got < xml_len ? got : xml_len, "chunks concatenated are the document");

	snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,40", xml_len);
	CHECK_INT(send_pkt(s, pkt), 0, "qXfer at the very end");
	CHECK_STR(R, "l", "qXfer at the very end is an empty 'l'");
	snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,40", xml_len + 1);
	CHECK_ERR(send_pkt(s, pkt), -EINVAL, "qXfer past the end is an error");
	CHECK_ERR(send_pkt(s, "qXfer:features:read:target.xml:ffffffffffffffff,40"), -EINVAL,
		  "qXfer at offset 2^64-1 is an error");
	CHECK_ERR(send_pkt(s, "qXfer:features:read:target.xml:0"), -EINVAL,
		  "qXfer with no length is an error");
	CHECK_ERR(send_pkt(s, "qXfer:features:read:target.xml:0,40x"), -EINVAL,
		  "qXfer with junk after the length is an error");
	CHECK_INT(send_pkt(s, "qXfer:features:read:other.xml:0,40"), 0, "qXfer of another annex");
	CHECK_INT(RLEN, 0, "another annex gets the empty reply");
	CHECK_INT(send_pkt(s, "qXfer:libraries:read::0,40"), 0, "qXfer of another object");
	CHECK_INT(RLEN, 0, "another object gets the empty reply");
	free(doc);
}

/* The guest's file, for gdb to load symbols from: advertised and served
 * only when the target names one. */
static void test_xfer_exec_file(struct gdb_stub *s, struct fake_target *f)
{
	static const char path[] = "/srv/guests/hello.elf";
	char pkt[96];

	f->exec_file = NULL;
	CHECK_INT(send_pkt(s, "qSupported:multiprocess+"), 0, "qSupported, no exec file");
	CHECK_LACKS(R, "exec-file", "no exec file: qSupported does not offer qXfer:exec-file");
	CHECK_ERR(send_pkt(s, "qXfer:exec-file:read::0,fff"), -ENOENT,
		  "no exec file: qXfer:exec-file:read is E02");

	f->exec_file = path;
	CHECK_INT(send_pkt(s, "qSupported:multiprocess+"), 0, "qSupported, with an exec file");
	CHECK_CONTAINS(R, ";qXfer:exec-file:read+", "qSupported offers qXfer:exec-file:read");
	CHECK_INT(send_pkt(s, "qXfer:exec-file:read::0,fff"), 0, "exec-file, empty annex");
	CHECK_STR(R, "l/srv/guests/hello.elf", "the whole path, 'l'");
	CHECK_INT(send_pkt(s, "qXfer:exec-file:read:1:0,fff"), 0, "exec-file, annex pid 1");
	CHECK_STR(R, "l/srv/guests/hello.elf", "annex 1: the same path");
	CHECK_INT(send_pkt(s, "qXfer:exec-file:read:p1.1:0,5"), 0, "exec-file 0,5, annex p1.1");
	CHECK_STR(R, "m/srv/", "the first 5 bytes, 'm'");
	CHECK_INT(send_pkt(s, "qXfer:exec-file:read::5,100"), 0, "exec-file from 5");
	CHECK_STR(R, "lguests/hello.elf", "the rest, 'l'");
	snprintf(pkt, sizeof(pkt), "qXfer:exec-file:read::%zx,10", sizeof(path) - 1);
	CHECK_INT(send_pkt(s, pkt), 0, "exec-file at its end");
	CHECK_STR(R, "l", "at the end: an empty 'l'");
	snprintf(pkt, sizeof(pkt), "qXfer:exec-file:read::%zx,10", sizeof(path));
	CHECK_ERR(send_pkt(s, pkt), -EINVAL, "exec-file past its end is an error");
	CHECK_ERR(send_pkt(s, "qXfer:exec-file:read:0,10"), -EINVAL,
		  "exec-file with no annex separator is an error");
	CHECK_ERR(send_pkt(s, "qXfer:exec-file:read::0"), -EINVAL,
		  "exec-file with no length is an error");
	CHECK_INT(send_pkt(s, "qXfer:exec-file:write::0:41"), 0, "exec-file write");
	CHECK_INT(RLEN, 0, "exec-file write gets the empty reply");
	f->exec_file = NULL;
}

/* The thread list gdb reads after every stop: the one thread that
 * qfThreadInfo and the stop replies name, whole or in pieces. */
static void test_xfer_threads(struct gdb_stub *s)
{
	char doc[256] = "";
	size_t got = 0;

	CHECK_INT(send_pkt(s, "qXfer:threads:read::0,fff"), 0, "qXfer:threads:read 0,fff");
	CHECK(R[0] == 'l', "the thread list fits: 'l' (got '%c')", R[0]);
	CHECK_CONTAINS(R, "<threads>", "a <threads> element");
	CHECK_INT(count_substr(R, "<thread "), 1, "one thread");
	CHECK_CONTAINS(R, "<thread id=\"1\"", "thread 1, as in qfThreadInfo");
	CHECK_INT(send_pkt(s, "qfThreadInfo"), 0, "qfThreadInfo");
	CHECK_STR(R, "m1", "qfThreadInfo names the same thread");
	for (unsigned i = 0; i < 100; i++) {
		char pkt[64];

		snprintf(pkt, sizeof(pkt), "qXfer:threads:read::%zx,7", got);
		if (send_pkt(s, pkt) != 0 || RLEN < 1 || RLEN - 1 > 7 || got + RLEN >= sizeof(doc))
			break;
		memcpy(doc + got, R + 1, RLEN - 1);
		got += RLEN - 1;
		if (R[0] == 'l')
			break;
	}
	CHECK(got > 0 && strstr(doc, "</threads>") != NULL,
	      "read 7 bytes at a time, the pieces make the whole list (%zu bytes)", got);
	CHECK_ERR(send_pkt(s, "qXfer:threads:read::ffff,1"), -EINVAL, "past the end is an error");
	CHECK_INT(send_pkt(s, "qXfer:threads:read:x:0,10"), 0, "an annex the list has not");
	CHECK_INT(RLEN, 0, "an unknown annex gets the empty reply");
	CHECK_INT(send_pkt(s, "qXfer:threads:write::0:00"), 0, "qXfer write");
	CHECK_INT(RLEN, 0, "writing the thread list is not supported");
}

/* g, G and p in one view's layout. */
static void test_registers_in(struct gdb_stub *s, struct fake_target *f, const struct gdb_arch *a)
{
	char want[2 * GDB_REGS_MAX + 8], pkt[2 * GDB_REGS_MAX + 8];
	uint8_t before[GDB_REGS_MAX];
	const unsigned size = a->size;

	printf("# registers in the %s view (%u bytes)\n", a->name, size);
	set_view(s, f, a);
	fill_regs(f);
	CHECK_INT(send_pkt(s, "g"), 0, "g");
	CHECK_INT(RLEN, 2 * size, "g reply is %u hex digits", 2 * size);
	CHECK_STR(R, hex_of(f->regs, size, want), "g reply is the register file");
	CHECK_ERR(send_pkt(s, "g00"), -EINVAL, "g with arguments is rejected");

	f->read_regs_err = -EIO;
	CHECK_ERR(send_pkt(s, "g"), -EIO, "g passes read_registers' error on");
	f->read_regs_err = 0;

	/* G: a new register file. */
	for (unsigned i = 0; i < size; i++)
		before[i] = (uint8_t)(0xff - i);
	pkt[0] = 'G';
	hex_of(before, size, pkt + 1);
	CHECK_INT(send_pkt(s, pkt), 0, "G with %u digits", 2 * size);
	CHECK_STR(R, "OK", "G reply");
	CHECK_MEM(f->regs, before, size, "G wrote the whole register file");

	fill_regs(f);
	memcpy(before, f->regs, size);
	f->write_regs_calls = 0;
	pkt[1 + 2 * size - 1] = '\0';
	CHECK_ERR(send_pkt(s, pkt), -EINVAL, "G with one digit short is rejected");
	pkt[1 + 2 * size - 1] = '0';
	pkt[1 + 2 * size] = '0';
	pkt[1 + 2 * size + 1] = '\0';
	CHECK_ERR(send_pkt(s, pkt), -EINVAL, "G with one digit more is rejected");
	pkt[1 + 2 * size] = '\0';
	pkt[100] = 'x';
	CHECK_ERR(send_pkt(s, pkt), -EINVAL, "G with a bad digit is rejected");
	CHECK_ERR(send_pkt(s, "G"), -EINVAL, "G with nothing is rejected");
	CHECK_INT(f->write_regs_calls, 0, "rejected G packets write nothing");
	CHECK_MEM(f->regs, before, size, "registers unchanged by rejected G packets");

	/* p: each register. */
	for (unsigned r = 0; r < a->num_regs; r++) {
		snprintf(pkt, sizeof(pkt), "p%x", r);
		CHECK_INT(send_pkt(s, pkt), 0, "p%x", r);
		CHECK_STR(R, hex_of(f->regs + a->regs[r].offset, a->regs[r].size, want),
			  "p%x (%s) gives its %u bytes", r, a->regs[r].name, a->regs[r].size);
	}
	snprintf(pkt, sizeof(pkt), "p%x", a->num_regs);
	CHECK_ERR(send_pkt(s, pkt), -ENOENT, "p%x (one past the last) is out of range", a->num_regs);

	/* P of the pc, whatever its size. */
	memset(before, 0x5a, sizeof(before));
	snprintf(pkt, sizeof(pkt), "P%x=", a->pc);
	hex_of(before, a->regs[a->pc].size, pkt + strlen(pkt));
	CHECK_INT(send_pkt(s, pkt), 0, "P of the pc (%s, %u bytes)", a->regs[a->pc].name,
		  a->regs[a->pc].size);
	CHECK_MEM(f->regs + a->regs[a->pc].offset, before, a->regs[a->pc].size, "P wrote the pc");
	CHECK_INT(f->last_write_regno, a->pc, "write_register got the pc's number");
	set_view(s, f, &gdb_arch_i8086);
}

static void test_registers(struct gdb_stub *s, struct fake_target *f)
{

	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		test_registers_in(s, f, views[i]);
	fill_regs(f);
	CHECK_ERR(send_pkt(s, "p2b"), -ENOENT, "p2b (43) is out of the i8086 view");
	CHECK_ERR(send_pkt(s, "pffffffffffffffff"), -ENOENT, "p2^64-1 is out of range");
	CHECK_ERR(send_pkt(s, "p"), -EINVAL, "p with no number");
	CHECK_ERR(send_pkt(s, "p8x"), -EINVAL, "p with junk after the number");
	CHECK_ERR(send_pkt(s, "p10000000000000008"), -EINVAL, "p with 17 digits");

	/* P: exact sizes. */
	CHECK_INT(send_pkt(s, "P8=78563412"), 0, "P8=78563412");
	CHECK_STR(R, "OK", "P reply");
	CHECK_HEX(fake_reg32(f, GDB_REG_EIP), 0x12345678, "P8 wrote eip, little-endian");
	CHECK_INT(f->last_write_regno, GDB_REG_EIP, "write_register got regno 8");
	CHECK_INT(send_pkt(s, "P10=0102030405060708090a"), 0, "P10 (st0, 10 bytes)");
	CHECK_MEM(f->regs + gdb_arch_i8086.regs[GDB_REG_ST0].offset, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a",
		  10, "P10 wrote st0");
	CHECK_INT(send_pkt(s, "P1f=efbeadde"), 0, "P1f (fop)");
	CHECK_HEX(fake_reg32(f, GDB_REG_FOP), 0xdeadbeef, "P1f wrote fop");
	f->write_reg_calls = 0;
	CHECK_ERR(send_pkt(s, "P8=785634"), -EINVAL, "P8 with 3 bytes is rejected");
	CHECK_ERR(send_pkt(s, "P8=7856341200"), -EINVAL, "P8 with 5 bytes is rejected");
	CHECK_ERR(send_pkt(s, "P10=01020304"), -EINVAL, "P10 (st0) with 4 bytes is rejected");
	CHECK_ERR(send_pkt(s, "P8=7856341x"), -EINVAL, "P8 with a bad digit is rejected");
	CHECK_ERR(send_pkt(s, "P2b=00000000"), -ENOENT, "P2b is out of range");
	CHECK_ERR(send_pkt(s, "P8"), -EINVAL, "P8 with no value");
	CHECK_ERR(send_pkt(s, "P=00000000"), -EINVAL, "P with no number");
	CHECK_ERR(send_pkt(s, "P8:00000000"), -EINVAL, "P with ':' for '='");
	CHECK_INT(f->write_reg_calls, 0, "rejected P packets write nothing");
	CHECK_HEX(fake_reg32(f, GDB_REG_EIP), 0x12345678, "eip unchanged by rejected P packets");
}

static void cmd_memory_tests(struct gdb_stub *s, struct fake_target *f)
{
	static char big[2 * 8192 + 2];
	char want[64];
	static const uint8_t bin[] = { 0x00, '#', '$', '}', '*', 0xff, 0x03 };
	char pkt[64];

	for (unsigned i = 0; i < FAKE_RAM_SIZE; i++)
		f->ram[i] = (uint8_t)(i ^ (i >> 8));

	CHECK_INT(send_pkt(s, "m1000,4"), 0, "m1000,4");
	CHECK_STR(R, hex_of(f->ram + 0x1000, 4, want), "m1000,4 reply");
	CHECK_INT(send_pkt(s, "mffff,1"), 0, "m of the last RAM byte");
	CHECK_STR(R, hex_of(f->ram + 0xffff, 1, want), "mffff,1 reply");
	CHECK_ERR(send_pkt(s, "mffff,2"), -EFAULT, "m across the end of RAM");
	CHECK_STR(R, "", "an error leaves no reply (server.c writes Exx)");
	CHECK_ERR(send_pkt(s, "m10000,1"), -EFAULT, "m past RAM");
	CHECK_ERR(send_pkt(s, "mffffffffffffffff,2"), -EFAULT, "m whose addr+len overflows");
	CHECK_ERR(send_pkt(s, "mfffffffffffffff0,20"), -EFAULT, "m whose addr+len overflows (2)");
	CHECK_INT(send_pkt(s, "m0,10000"), 0, "m0,10000 (64 KiB) is capped");
	CHECK_INT(RLEN, GDB_PACKET_MAX, "capped m reply fills the packet: 8192 bytes");
	hex_of(f->ram, 8192, big);
	CHECK(RLEN == GDB_PACKET_MAX && memcmp(R, big, GDB_PACKET_MAX) == 0,
	      "capped m reply is the first 8192 bytes");
	CHECK_INT(send_pkt(s, "m0,2001"), 0, "m0,2001 is capped too");
	CHECK_INT(RLEN, GDB_PACKET_MAX, "m0,2001 gives 8192 bytes");
	CHECK_ERR(send_pkt(s, "m1000"), -EINVAL, "malformed m1000");
	CHECK_ERR(send_pkt(s, "m,4"), -EINVAL, "malformed m,4");
	CHECK_ERR(send_pkt(s, "m1000,"), -EINVAL, "malformed m1000,");
	CHECK_ERR(send_pkt(s, "m1000,4,"), -EINVAL, "malformed m1000,4,");
	CHECK_ERR(send_pkt(s, "m1000,zz"), -EINVAL, "malformed m1000,zz");
	CHECK_ERR(send_pkt(s, "m"), -EINVAL, "malformed m");
	CHECK_ERR(send_pkt(s, "m10000000000000000,1"), -EINVAL, "m with a 17-digit address");

	/* M: hex. */
	CHECK_INT(send_pkt(s, "M2000,4:deadBEEF"), 0, "M2000,4:deadBEEF");
	CHECK_STR(R, "OK", "M reply");
	CHECK_MEM(f->ram + 0x2000, "\xde\xad\xbe\xef", 4, "M wrote RAM");
	f->write_mem_calls = 0;
	CHECK_ERR(send_pkt(s, "M2000,4:deadbe"), -EINVAL, "M with too few digits");
	CHECK_ERR(send_pkt(s, "M2000,4:deadbeef00"), -EINVAL, "M with too many digits");
	CHECK_ERR(send_pkt(s, "M2000,2:zzzz"), -EINVAL, "M with bad digits");
	CHECK_ERR(send_pkt(s, "M2000,4"), -EINVAL, "M with no ':'");
	CHECK_ERR(send_pkt(s, "M2000:deadbeef"), -EINVAL, "M with no length");
	CHECK_ERR(send_pkt(s, "Mffffffffffffffff,2:0000"), -EFAULT, "M whose addr+len overflows");
	CHECK_INT(f->write_mem_calls, 0, "rejected M packets write nothing");
	CHECK_ERR(send_pkt(s, "M10000,1:00"), -EFAULT, "M past RAM");
	CHECK_INT(send_pkt(s, "M2000,0:"), 0, "M2000,0: writes nothing");
	CHECK_STR(R, "OK", "M2000,0: reply");
	CHECK_MEM(f->ram + 0x2000, "\xde\xad\xbe\xef", 4, "RAM unchanged by rejected M packets");

	/* X: binary, escapes already undone by the parser. */
	memcpy(pkt, "X3000,7:", 8);
	memcpy(pkt + 8, bin, sizeof(bin));
	CHECK_INT(send_bin(s, pkt, 8 + sizeof(bin)), 0, "X3000,7 with binary data");
	CHECK_STR(R, "OK", "X reply");
	CHECK_MEM(f->ram + 0x3000, bin, sizeof(bin), "X wrote the bytes, NUL included");
	f->write_mem_calls = 0;
	CHECK_ERR(send_bin(s, pkt, 8 + sizeof(bin) - 1), -EINVAL, "X with one byte missing");
	memcpy(pkt, "X3000,6:", 8);
	CHECK_ERR(send_bin(s, pkt, 8 + sizeof(bin)), -EINVAL, "X with one byte too many");
	CHECK_ERR(send_pkt(s, "X3000,1"), -EINVAL, "X with no ':'");
	CHECK_ERR(send_pkt(s, "X,1:a"), -EINVAL, "X with no address");
	CHECK_ERR(send_pkt(s, "Xffffffffffffffff,2:ab"), -EFAULT, "X whose addr+len overflows");
	CHECK_INT(send_pkt(s, "X3000,0:"), 0, "X3000,0: (gdb's probe)");
	CHECK_STR(R, "OK", "X addr,0: -> OK");
	CHECK_INT(f->write_mem_calls, 0, "X with length 0 and rejected X write nothing");
	CHECK_ERR(send_pkt(s, "X10000,1:a"), -EFAULT, "X past RAM");
}

static void test_resume(struct gdb_stub *s, struct fake_target *f)
{
	struct {
		const char *pkt;
		enum gdb_resume_mode mode;
		bool set_pc;
		uint64_t pc;
	} ok[] = {
		{ "c", GDB_RESUME_CONTINUE, false, 0 },
		{ "s", GDB_RESUME_STEP, false, 0 },
		{ "c1000", GDB_RESUME_CONTINUE, true, 0x1000 },
		{ "s7c00", GDB_RESUME_STEP, true, 0x7c00 },
		{ "C05", GDB_RESUME_CONTINUE, false, 0 },
		{ "S05", GDB_RESUME_STEP, false, 0 },
		{ "S05;1000", GDB_RESUME_STEP, true, 0x1000 },
		{ "C0b;2000", GDB_RESUME_CONTINUE, true, 0x2000 },
		{ "vCont;c", GDB_RESUME_CONTINUE, false, 0 },
		{ "vCont;s", GDB_RESUME_STEP, false, 0 },
		{ "vCont;s:1", GDB_RESUME_STEP, false, 0 },
		{ "vCont;c:-1", GDB_RESUME_CONTINUE, false, 0 },
		{ "vCont;s:p1.1;c", GDB_RESUME_STEP, false, 0 },
		{ "vCont;s:p1.-1", GDB_RESUME_STEP, false, 0 },
		{ "vCont;C05", GDB_RESUME_CONTINUE, false, 0 },
		{ "vCont;S05:1", GDB_RESUME_STEP, false, 0 },
		{ "vCont;c:2;s:1", GDB_RESUME_STEP, false, 0 },
	};
	static const char *bad[] = {
		"cxyz", "c1000x", "s,", "C", "Czz", "C05;zz", "S05;1000x", "S",
		"vCont;", "vCont;x", "vCont;cc", "vCont;C5", "vCont;C005",
		"vCont?x", "vCont;;c", "vCont;s1",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		unsigned resumes = f->resume_calls, pcs = f->set_pc_calls;

		f->order[0] = '\0';
		s->running = false;
		CHECK_INT(send_pkt(s, ok[i].pkt), GDB_REPLY_LATER, "%s: the reply comes later",
			  ok[i].pkt);
		CHECK_INT(RLEN, 0, "%s: no reply now", ok[i].pkt);
		CHECK(s->running, "%s: the stub marks the target running", ok[i].pkt);
		CHECK_INT(f->resume_calls, resumes + 1, "%s: resume called once", ok[i].pkt);
		CHECK_INT(f->last_mode, ok[i].mode, "%s: resume mode", ok[i].pkt);
		if (ok[i].set_pc) {
			CHECK_INT(f->set_pc_calls, pcs + 1, "%s: set_pc called", ok[i].pkt);
			CHECK_HEX(f->last_pc, ok[i].pc, "%s: set_pc address", ok[i].pkt);
			CHECK_STR(f->order, "PR", "%s: set_pc, then resume", ok[i].pkt);
		} else {
			CHECK_INT(f->set_pc_calls, pcs, "%s: set_pc not called", ok[i].pkt);
		}
		fake_settle(f);
	}
	s->running = false;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned resumes = f->resume_calls, pcs = f->set_pc_calls;

		CHECK_ERR(send_pkt(s, bad[i]), -EINVAL, "malformed %s is rejected", bad[i]);
		CHECK(f->resume_calls == resumes && f->set_pc_calls == pcs && !s->running,
		      "malformed %s: no resume, no set_pc", bad[i]);
		fake_settle(f);
		s->running = false;
	}

	/* Strict parsing of the signal of vCont;Cxx (as "C" does for "Czz"). */
	{
		unsigned resumes = f->resume_calls;
		int rc = send_pkt(s, "vCont;Czz");

		CHECK_ERR(rc, -EINVAL, "vCont;Czz (signal not hex) is rejected");
		CHECK_INT(f->resume_calls, resumes, "vCont;Czz does not resume");
		fake_settle(f);
		s->running = false;
	}

	/* set_pc failing stops the resume. */
	{
		unsigned resumes = f->resume_calls;

		CHECK_ERR(send_pkt(s, "c100000000"), -ERANGE, "c ADDR passes set_pc's error on");
		CHECK_INT(f->resume_calls, resumes, "no resume after set_pc failed");
	}

	/* Other threads only: nothing runs. */
	{
		unsigned resumes = f->resume_calls;

		CHECK_INT(send_pkt(s, "vCont;c:2"), 0, "vCont;c:2 (another thread)");
		CHECK_STR(R, "OK", "vCont for another thread: OK");
		CHECK_INT(f->resume_calls, resumes, "vCont for another thread does not resume");
		CHECK_INT(send_pkt(s, "vCont;s:p1.2;c:3"), 0, "vCont;s:p1.2;c:3");
		CHECK_STR(R, "OK", "vCont for other threads: OK");
		CHECK_INT(f->resume_calls, resumes, "vCont for other threads does not resume");
		CHECK(!s->running, "the target stays stopped");
	}

	CHECK_INT(send_pkt(s, "vCont?"), 0, "vCont?");
	CHECK_STR(R, "vCont;c;C;s;S", "vCont? lists c;C;s;S");
	CHECK_INT(send_pkt(s, "vCont"), 0, "bare vCont");
	CHECK_INT(RLEN, 0, "bare vCont is unknown: the empty reply");
	fake_settle(f);
	s->running = false;
}

static void test_breakpoints(struct gdb_stub *s, struct fake_target *f)
{
	static const char *bad[] = {
		"Z0,1000,0", "Z5,1000,1", "Zf,1000,1", "Z0", "Z0,1000", "Z0,,1", "Z,1000,1",
		"Zz,1000,1", "Z0,1000,1x", "Z0,1000,10001", "Z0,ffffffffffffffff,2", "Z0;1000,1",
		"z0,1000,0", "z5,1000,1", "z0,1000",
	};
	char pkt[64];
	unsigned n;

	f->ncalls = 0;
	for (unsigned type = 0; type <= 4; type++) {
		uint64_t addr = 0x1000 + 0x100 * type, len = type ? 2 : 1;

		snprintf(pkt, sizeof(pkt), "Z%u,%llx,%llx", type, (unsigned long long)addr,
			 (unsigned long long)len);
		CHECK_INT(send_pkt(s, pkt), 0, "%s", pkt);
		CHECK_STR(R, "OK", "%s reply", pkt);
		n = f->ncalls;
		CHECK(n > 0 && f->calls[n - 1].insert && f->calls[n - 1].type == type &&
		      f->calls[n - 1].addr == addr && f->calls[n - 1].len == len,
		      "%s: insert_breakpoint(type %u, 0x%llx, %llu)", pkt, type,
		      (unsigned long long)addr, (unsigned long long)len);
		pkt[0] = 'z';
		CHECK_INT(send_pkt(s, pkt), 0, "%s", pkt);
		CHECK_STR(R, "OK", "%s reply", pkt);
		n = f->ncalls;
		CHECK(n > 0 && !f->calls[n - 1].insert && f->calls[n - 1].type == type &&
		      f->calls[n - 1].addr == addr && f->calls[n - 1].len == len,
		      "%s: remove_breakpoint(type %u, 0x%llx, %llu)", pkt, type,
		      (unsigned long long)addr, (unsigned long long)len);
	}
	CHECK_INT(f->nbps, 0, "all inserted breakpoints removed");

	n = f->ncalls;
	CHECK_INT(send_pkt(s, "Z0,7c00,1;X3,220027"), 0, "Z0 with a condition");
	CHECK_STR(R, "OK", "the condition is ignored");
	CHECK(f->ncalls == n + 1 && f->calls[n].addr == 0x7c00 && f->calls[n].len == 1,
	      "Z0 with a condition: the kind stops at ';'");
	CHECK_INT(send_pkt(s, "Z1,7c10,1;X3,220027;cmds:0,X3,220027"), 0,
		  "Z1 with a condition and commands");
	CHECK_STR(R, "OK", "condition and commands ignored");
	CHECK_INT(send_pkt(s, "z0,7c00,1"), 0, "z0,7c00,1");
	CHECK_INT(send_pkt(s, "z1,7c10,1"), 0, "z1,7c10,1");
	CHECK_ERR(send_pkt(s, "z0,7c00,1"), -ENOENT, "removing a missing breakpoint passes -ENOENT on");

	n = f->ncalls;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_ERR(send_pkt(s, bad[i]), -EINVAL, "malformed %s is rejected", bad[i]);
	CHECK_INT(f->ncalls, n, "malformed Z/z packets reach no target op");

	/* Four hardware slots. */
	for (unsigned i = 0; i < 4; i++) {
		snprintf(pkt, sizeof(pkt), "Z1,%x,1", 0x100 + i);
		CHECK_INT(send_pkt(s, pkt), 0, "hardware breakpoint %u fits", i + 1);
	}
	CHECK_ERR(send_pkt(s, "Z3,200,4"), -ENOSPC, "a fifth debug-register slot: -ENOSPC (E1c)");
	CHECK_INT(send_pkt(s, "Z0,200,1"), 0, "software breakpoints still fit");
	for (unsigned i = 0; i < 4; i++) {
		snprintf(pkt, sizeof(pkt), "z1,%x,1", 0x100 + i);
		send_pkt(s, pkt);
	}
	send_pkt(s, "z0,200,1");
	CHECK_INT(f->nbps, 0, "slots freed");

	/* Kinds the host cannot serve: an error reply, so gdb says so. */
	f->no_rw_watch = true;
	CHECK_INT(send_pkt(s, "Z3,300,4"), -EOPNOTSUPP, "Z3 when the target cannot: an error");
	CHECK_INT(send_pkt(s, "Z4,300,4"), -EOPNOTSUPP, "Z4 when the target cannot: an error");
	CHECK_INT(send_pkt(s, "Z2,300,4"), 0, "Z2 still works");
	CHECK_STR(R, "OK", "Z2 reply");
	send_pkt(s, "z2,300,4");
	f->no_rw_watch = false;
}

static void test_threads_and_misc(struct gdb_stub *s, struct fake_target *f)
{
	static const char *empty[] = {
		"qTStatus", "vMustReplyEmpty", "!", "qOffsets", "vFile:open:", "qSymbol::",
		"QNonStop:0", "qAttachedX", "qCX", "QStartNoAckModeX",
	};

	CHECK_INT(send_pkt(s, "qAttached"), 0, "qAttached");
	CHECK_STR(R, "1", "qAttached: 1 (attached: gdb detaches on quit)");
	CHECK_INT(send_pkt(s, "qAttached:1"), 0, "qAttached:1");
	CHECK_STR(R, "1", "qAttached:1 reply");
	s->cfg.kill_on_quit = true;
	CHECK_INT(send_pkt(s, "qAttached"), 0, "qAttached with kill_on_quit");
	CHECK_STR(R, "0", "qAttached with kill_on_quit: 0");
	s->cfg.kill_on_quit = false;

	CHECK_INT(send_pkt(s, "qC"), 0, "qC");
	CHECK_STR(R, "QC1", "qC: QC1");
	CHECK_INT(send_pkt(s, "qfThreadInfo"), 0, "qfThreadInfo");
	CHECK_STR(R, "m1", "qfThreadInfo: m1");
	CHECK_INT(send_pkt(s, "qsThreadInfo"), 0, "qsThreadInfo");
	CHECK_STR(R, "l", "qsThreadInfo: l");

	CHECK_INT(send_pkt(s, "Hg0"), 0, "Hg0");
	CHECK_STR(R, "OK", "Hg0: OK");
	CHECK_INT(send_pkt(s, "Hc-1"), 0, "Hc-1");
	CHECK_STR(R, "OK", "Hc-1: OK");
	CHECK_INT(send_pkt(s, "Hg1"), 0, "Hg1");
	CHECK_STR(R, "OK", "Hg1: OK");
	CHECK_INT(send_pkt(s, "Hgp1.1"), 0, "Hgp1.1");
	CHECK_STR(R, "OK", "Hgp1.1: OK");
	CHECK_ERR(send_pkt(s, "Hg2"), -ESRCH, "Hg2: no such thread");
	CHECK_ERR(send_pkt(s, "Hc2"), -ESRCH, "Hc2: no such thread");
	CHECK_ERR(send_pkt(s, "Hg"), -EINVAL, "Hg with no thread");
	CHECK_ERR(send_pkt(s, "Hx1"), -EINVAL, "Hx1: no such operation");

	CHECK_INT(send_pkt(s, "T1"), 0, "T1");
	CHECK_STR(R, "OK", "T1: alive");
	CHECK_ERR(send_pkt(s, "T2"), -ESRCH, "T2: no such thread");
	CHECK_ERR(send_pkt(s, "T"), -ESRCH, "T with no thread");
	CHECK_ERR(send_pkt(s, "Tzz"), -ESRCH, "Tzz");

	CHECK_INT(send_pkt(s, "QStartNoAckMode"), 0, "QStartNoAckMode");
	CHECK_STR(R, "OK", "QStartNoAckMode: OK");
	CHECK(!s->noack, "the handler leaves the switch to server.c");

	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		R[0] = 'x';
		CHECK_INT(send_pkt(s, empty[i]), 0, "unknown %s: no error", empty[i]);
		CHECK_INT(RLEN, 0, "unknown %s: the empty reply", empty[i]);
	}
	CHECK_INT(send_bin(s, "", 0), 0, "an empty packet");
	CHECK_INT(RLEN, 0, "an empty packet: the empty reply");

	/* '?' reports the last stop. */
	fake_set_reg32(f, GDB_REG_EIP, 0x7c05);
	fake_set_reg32(f, GDB_REG_ESP, 0xfffe);
	fake_set_reg32(f, GDB_REG_EBP, 0x12345678);
	s->last_stop = (struct gdb_stop){ .kind = GDB_STOP_SWBREAK, .signal = GDB_SIGTRAP };
	CHECK_INT(send_pkt(s, "?"), 0, "?");
	CHECK_STR(R, "T05swbreak:;08:057c0000;04:feff0000;05:78563412;thread:1;",
		  "? reports the last stop");

	/* Detach: breakpoints go, the target runs, OK. */
	{
		unsigned removes = f->remove_all_calls, resumes = f->resume_calls;

		f->order[0] = '\0';
		s->running = false;
		CHECK_INT(send_pkt(s, "D"), 0, "D");
		CHECK_STR(R, "OK", "D: OK");
		CHECK_INT(f->remove_all_calls, removes + 1, "D removes every breakpoint");
		CHECK_INT(f->resume_calls, resumes + 1, "D resumes the target");
		CHECK_INT(f->last_mode, GDB_RESUME_CONTINUE, "D continues");
		CHECK_STR(f->order, "AR", "D: remove_all, then resume");
		CHECK(s->running, "D: the target is running");
		CHECK(!s->ending, "D does not end the stub");
		fake_settle(f);
		s->running = false;
		CHECK_INT(send_pkt(s, "D;1"), 0, "D;1 (with a pid)");
		CHECK_STR(R, "OK", "D;1: OK");
		fake_settle(f);
		s->running = false;
	}

	/* Kill: no reply, the session ends. */
	CHECK_INT(send_pkt(s, "k"), GDB_REPLY_NONE, "k: no reply");
	CHECK(s->ending, "k ends the session");
	CHECK_INT(s->end, GDB_END_KILLED, "k: GDB_END_KILLED");
	s->ending = false;
	s->end = 0;
}

/* What the stub sent through its sink (stub.h) while a packet ran. */
static char SENT[65536];
static struct sent_text sent = { SENT, sizeof(SENT), 0 };

/*
 * The console output in SENT: every frame must be "$O<hex>#cs" with the
 * right checksum; their text, joined, goes to out.  "(bad frame)" or
 * "(not hex)" when the stream is not that.
 */
static const char *console_text(char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < sent.len;) {
		const char *hash = memchr(SENT + i, '#', sent.len - i);
		size_t plen;
		char cs[3];
		uint8_t sum = 0;

		if (SENT[i] != '$' || !hash || (size_t)(hash - SENT) + 3 > sent.len)
			return "(bad frame)";
		plen = (size_t)(hash - SENT) - i - 1;
		for (size_t k = 0; k < plen; k++)
			sum = (uint8_t)(sum + (uint8_t)SENT[i + 1 + k]);
		snprintf(cs, sizeof(cs), "%02x", sum);
		if (memcmp(hash + 1, cs, 2) != 0 || plen < 1 || SENT[i + 1] != 'O' || plen % 2 != 1)
			return "(bad frame)";
		if ((plen - 1) / 2 >= cap - o ||
		    hex_decode(SENT + i + 2, plen - 1, (uint8_t *)out + o, (plen - 1) / 2))
			return "(not hex)";
		o += (plen - 1) / 2;
		i += plen + 4;
	}
	out[o] = '\0';
	return out;
}

/* Send a qRcmd with the sink in place of a socket; the reply is in R and
 * what went out ahead of it in SENT. */
static int send_monitor(struct gdb_stub *s, const char *pkt)
{
	int rc;

	sent_text_clear(&sent);
	s->sink = (struct gdb_sink){ .write = sent_text_append, .ctx = &sent };
	s->client_fd = 0;
	rc = send_pkt(s, pkt);
	s->sink = (struct gdb_sink){ 0 };
	s->client_fd = -1;
	return rc;
}

static void test_monitor(struct gdb_stub *s, struct fake_target *f)
{
	static char text[32768];

	CHECK_INT(send_monitor(s, "qRcmd,68656c70"), 0, "qRcmd help");
	CHECK_STR(f->last_monitor, "help", "monitor got \"help\"");
	CHECK_STR(console_text(text, sizeof(text)),
		  "fake: help regs long fail faulty reset record quit block\n",
		  "the output went out as 'O' packets of hex-encoded text");
	CHECK_STR(R, "OK", "then the reply is OK");
	CHECK(!s->ending, "help does not end the session");

	CHECK_INT(send_monitor(s, "qRcmd,6c6f6e67"), 0, "qRcmd long");
	CHECK_INT(count_substr(SENT, "$O"), 6,
		  "three pieces of 1500 bytes: two 'O' packets each (1 KiB of text at most)");
	CHECK_INT(strlen(console_text(text, sizeof(text))), 4500,
		  "all 4500 bytes of a long output arrive");
	CHECK(text[0] == 'a' && text[1499] == '\n' && text[1500] == 'b' && text[4499] == '\n',
	      "the pieces arrive whole and in order");
	CHECK_STR(R, "OK", "long output: then OK");

	CHECK_INT(send_monitor(s, "qRcmd,666f6f"), 0, "qRcmd foo (unknown)");
	CHECK_STR(f->last_monitor, "foo", "monitor got \"foo\"");
	CHECK_STR(console_text(text, sizeof(text)),
		  "unknown monitor command; try \"monitor help\"\n",
		  "unknown command: the message as console output");
	CHECK_STR(R, "OK", "unknown command: then OK");

	CHECK_INT(send_monitor(s, "qRcmd,"), 0, "qRcmd with an empty command");
	CHECK_CONTAINS(console_text(text, sizeof(text)), "unknown monitor command",
		       "empty command: the unknown-command message");

	f->monitor_calls = 0;
	CHECK_ERR(send_pkt(s, "qRcmd,zz"), -EINVAL, "qRcmd with bad hex");
	CHECK_ERR(send_pkt(s, "qRcmd,686"), -EINVAL, "qRcmd with an odd number of digits");
	CHECK_ERR(send_pkt(s, "qRcmd,680069"), -EINVAL, "qRcmd with a NUL in the command");
	CHECK_INT(f->monitor_calls, 0, "bad qRcmd packets reach no monitor");
	CHECK_INT(send_pkt(s, "qRcmd"), 0, "qRcmd with no ','");
	CHECK_INT(RLEN, 0, "qRcmd with no ',': the empty reply");

	CHECK_INT(send_monitor(s, "qRcmd,71756974"), 0, "qRcmd quit");
	CHECK_INT(sent.len, 0, "quit: no output");
	CHECK_STR(R, "OK", "quit with no output: OK");
	CHECK(s->ending, "quit ends the session");
	CHECK_INT(s->end, GDB_END_QUIT, "quit: GDB_END_QUIT");
	s->ending = false;
	s->end = 0;
}

static void test_format_stop(struct gdb_stub *s, struct fake_target *f)
{
	static const char regs[] = "08:057c0000;04:feff0000;05:78563412;thread:1;";
	struct {
		struct gdb_stop stop;
		const char *prefix;
	} cases[] = {
		{ { .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP }, "T05" },
		{ { .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGINT }, "T02" },
		{ { .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGSEGV }, "T0b" },
		{ { .kind = GDB_STOP_SWBREAK, .signal = GDB_SIGTRAP }, "T05swbreak:;" },
		{ { .kind = GDB_STOP_HWBREAK, .signal = GDB_SIGTRAP }, "T05hwbreak:;" },
		{ { .kind = GDB_STOP_WATCH, .signal = GDB_SIGTRAP, .watch_type = GDB_WP_WRITE,
		    .watch_addr = 0x1234 }, "T05watch:1234;" },
		{ { .kind = GDB_STOP_WATCH, .signal = GDB_SIGTRAP, .watch_type = GDB_WP_READ,
		    .watch_addr = 0xabcd }, "T05rwatch:abcd;" },
		{ { .kind = GDB_STOP_WATCH, .signal = GDB_SIGTRAP, .watch_type = GDB_WP_ACCESS,
		    .watch_addr = 0xffff0 }, "T05awatch:ffff0;" },
	};
	struct {
		int code;
		const char *want;
	} exits[] = { { 0, "W00" }, { 3, "W03" }, { 255, "Wff" }, { 256, "W00" }, { 0x42, "W42" } };
	char want[160];

	fake_set_reg32(f, GDB_REG_EIP, 0x7c05);
	fake_set_reg32(f, GDB_REG_ESP, 0xfffe);
	fake_set_reg32(f, GDB_REG_EBP, 0x12345678);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(want, sizeof(want), "%s%s", cases[i].prefix, regs);
		gdb_format_stop(s, &cases[i].stop);
		CHECK(s->reply_len == strlen(want) && memcmp(s->reply, want, s->reply_len) == 0,
		      "stop reply %s... is %s", cases[i].prefix, want);
		CHECK_INT(s->reply_len, strlen(s->reply), "stop reply %s is NUL-terminated",
			  cases[i].prefix);
	}
	for (size_t i = 0; i < sizeof(exits) / sizeof(exits[0]); i++) {
		struct gdb_stop st = { .kind = GDB_STOP_EXITED, .exit_code = exits[i].code };

		gdb_format_stop(s, &st);
		CHECK_STR(s->reply, exits[i].want, "exit code %d: %s", exits[i].code, exits[i].want);
	}
	f->read_regs_err = -EIO;
	{
		struct gdb_stop st = { .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };

		gdb_format_stop(s, &st);
		CHECK_STR(s->reply, "T05thread:1;", "no expedited registers when they cannot be read");
	}
	f->read_regs_err = 0;
}

/* LLDB's packets: host and process info, register info, thread suffix. */
static void test_lldb(struct gdb_stub *s, struct fake_target *f)
{
	char want[128], hex[64];

	hex_of((const uint8_t *)"i386-unknown-unknown-code16", 27, hex);
	CHECK_INT(send_pkt(s, "qHostInfo"), 0, "qHostInfo ok");
	snprintf(want, sizeof(want), "triple:%s;", hex);
	CHECK_CONTAINS(R, want, "qHostInfo gives the hex-encoded triple");
	CHECK_CONTAINS(R, "ptrsize:4;", "qHostInfo: ptrsize");
	CHECK_CONTAINS(R, "endian:little;", "qHostInfo: endian");
	CHECK_INT(send_pkt(s, "qProcessInfo"), 0, "qProcessInfo ok");
	CHECK_CONTAINS(R, "pid:1;", "qProcessInfo: pid 1");
	CHECK_CONTAINS(R, hex, "qProcessInfo: triple");

	CHECK_INT(send_pkt(s, "qRegisterInfo0"), 0, "qRegisterInfo0 ok");
	CHECK_STR(R, "name:eax;bitsize:32;offset:0;encoding:uint;format:hex;"
		  "set:General Purpose Registers;ehframe:0;dwarf:0;", "qRegisterInfo0 is eax");
	CHECK_INT(send_pkt(s, "qRegisterInfo8"), 0, "qRegisterInfo8 ok");
	CHECK_CONTAINS(R, "name:eip;", "register 8 is eip");
	CHECK_CONTAINS(R, "generic:pc;", "eip is the generic pc");
	send_pkt(s, "qRegisterInfo4");
	CHECK_CONTAINS(R, "generic:sp;", "esp is the generic sp");
	send_pkt(s, "qRegisterInfo5");
	CHECK_CONTAINS(R, "generic:fp;", "ebp is the generic fp");
	send_pkt(s, "qRegisterInfo9");
	CHECK_CONTAINS(R, "generic:flags;", "eflags is the generic flags");
	send_pkt(s, "qRegisterInfoa");
	CHECK_CONTAINS(R, "name:cs;", "register 0xa is cs (hex numbering)");
	CHECK_CONTAINS(R, "dwarf:41;", "cs has DWARF number 41");
	send_pkt(s, "qRegisterInfo10");
	CHECK_CONTAINS(R, "name:st0;bitsize:80;offset:64;encoding:vector;format:vector-uint8;"
		       "set:Floating Point Registers;", "register 0x10 is st0, 80 bits");
	send_pkt(s, "qRegisterInfo22");
	CHECK_CONTAINS(R, "name:cr3;bitsize:64;", "register 0x22 is cr3, 64 bits");
	CHECK_CONTAINS(R, "set:System Registers;", "cr3 is a system register");
	CHECK_INT(send_pkt(s, "qRegisterInfo2b"), -ENOENT, "qRegisterInfo past the end: error");

	/* The other views: their own triple, pointer size and registers. */
	set_view(s, f, &gdb_arch_i386);
	send_pkt(s, "qProcessInfo");
	hex_of((const uint8_t *)"i386-pc-unknown", 15, hex);
	snprintf(want, sizeof(want), "triple:%s;", hex);
	CHECK_CONTAINS(R, want, "qProcessInfo in 32-bit code: i386-pc-unknown, not code16");
	CHECK_CONTAINS(R, "ptrsize:4;", "qProcessInfo in 32-bit code: ptrsize 4");
	set_view(s, f, &gdb_arch_amd64);
	send_pkt(s, "qProcessInfo");
	hex_of((const uint8_t *)"x86_64-pc-unknown", 17, hex);
	snprintf(want, sizeof(want), "triple:%s;", hex);
	CHECK_CONTAINS(R, want, "qProcessInfo in 64-bit code: x86_64-pc-unknown");
	CHECK_CONTAINS(R, "ptrsize:8;", "qProcessInfo in 64-bit code: ptrsize 8");
	send_pkt(s, "qRegisterInfo10");
	CHECK_STR(R, "name:rip;bitsize:64;offset:128;encoding:uint;format:hex;"
		  "set:General Purpose Registers;ehframe:16;dwarf:16;generic:pc;",
		  "amd64 register 0x10 is rip, the generic pc");
	send_pkt(s, "qRegisterInfo28");
	CHECK_CONTAINS(R, "name:xmm0;bitsize:128;offset:276;encoding:vector;format:vector-uint8;"
		       "set:SSE Registers;", "amd64 register 0x28 is xmm0");
	set_view(s, f, &gdb_arch_i8086);
	CHECK_INT(send_pkt(s, "qRegisterInfozz"), -EINVAL, "qRegisterInfo with bad hex: error");

	CHECK_INT(send_pkt(s, "p0;thread:1;"), -EINVAL,
		  "a thread suffix before QThreadSuffixSupported is an error");
	CHECK_INT(send_pkt(s, "QThreadSuffixSupported"), 0, "QThreadSuffixSupported ok");
	CHECK_STR(R, "OK", "QThreadSuffixSupported: OK");
	fill_regs(f);
	CHECK_INT(send_pkt(s, "p0;thread:0001;"), 0, "p with a thread suffix");
	CHECK_STR(R, hex_of(f->regs, 4, hex), "p0;thread:0001; reads eax");
	CHECK_INT(send_pkt(s, "g;thread:1;"), 0, "g with a thread suffix");
	CHECK_INT((int)RLEN, 2 * (int)gdb_arch_i8086.size, "g;thread:1; gives all registers");
	CHECK_INT(send_pkt(s, "qWatchpointSupportInfo:"), 0, "qWatchpointSupportInfo ok");
	CHECK_STR(R, "num:32;", "qWatchpointSupportInfo: 32 watchpoints");
	CHECK_INT(send_pkt(s, "QListThreadsInStopReply"), 0, "QListThreadsInStopReply ok");
	gdb_format_stop(s, &(struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP });
	RLEN = s->reply_len;
	memcpy(R, s->reply, RLEN);
	R[RLEN] = '\0';
	CHECK_CONTAINS(R, "threads:1;thread-pcs:", "stop replies list the threads and their pcs");
	snprintf(want, sizeof(want), "thread-pcs:%02x%02x%02x%02x;", f->regs[35], f->regs[34],
		 f->regs[33], f->regs[32]);
	CHECK_CONTAINS(R, want, "thread-pcs is eip as a big-endian number");
	CHECK_INT(send_pkt(s, "k"), 0, "k from LLDB gets a reply");
	CHECK_STR(R, "X09", "k from LLDB: X09 (killed)");
	s->thread_suffix = false;
	s->list_threads = false;
	s->ending = false;
}

void test_gdb_cmds(void)
{
	struct fake_target *f;
	struct gdb_stub *s;

	tap_suite("gdbstub packet handlers (cmds.c)");
	f = fake_new();
	s = f ? new_stub(f) : NULL;
	if (!CHECK(f && s, "fake target and stub allocated")) {
		fake_free(f);
		return;
	}
	test_supported(s);
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		set_view(s, f, views[i]);
		test_xfer(s, views[i]);
	}
	set_view(s, f, &gdb_arch_i8086);
	test_xfer_threads(s);
	test_xfer_exec_file(s, f);
	test_registers(s, f);
	cmd_memory_tests(s, f);
	test_resume(s, f);
	test_breakpoints(s, f);
	test_threads_and_misc(s, f);
	test_monitor(s, f);
	test_format_stop(s, f);
	test_lldb(s, f);
	CHECK_INT(f->violations, 0, "no target op but interrupt ran while the target ran (%s)",
		  f->violation[0] ? f->violation : "none");
	free(s);
	fake_free(f);
}
