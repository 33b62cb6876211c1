/*
 * test_gdb_reverse.c - tests the reverse-execution side of the stub
 * (issue 19): qSupported's ReverseStep+/ReverseContinue+, the "bs" and
 * "bc" packets and the target's reverse operation they call, the
 * replaylog stop replies, a target that cannot go back, a target without
 * the operation, hostile variants; and the toy machine's own history
 * (tests/unit/fake_target.c), which the e2e test drives with real gdb.
 *
 * Status of issue 19 (reverse debugging), first layer, the protocol:
 *   done  - gdbstub: the optional reverse() target operation and the stop's
 *           history field (gdbstub.h), bs/bc, ReverseStep+/ReverseContinue+,
 *           replaylog:begin/end, a refusal shown as advice + no history
 *           (cmds.c says why, measured with gdb 13.1); vmm/gdb_target.c
 *           refuses with "recording is off: use --record or monitor record
 *           on"; this file; tests/e2e/test_reverse.sh (real gdb on gdbvm,
 *           and on the toy machine through build/rel/record_server);
 *           docs/gdb.md "Reverse debugging (in progress)".
 *   next  - the recorder (helper "reccore", /work/probes/rec/README.md):
 *           gdb_target.c's op_reverse then undoes from the history and
 *           op_run reports breakpoint/watchpoint/history-begin stops;
 *           forward replay with GDB_HISTORY_END where the history ends and
 *           live execution cannot go on; "monitor record" and --record;
 *           e2e tests of reverse-stepi over real guests (registers and
 *           memory bit-identical after back N / forward N).
 */
#include "fake_target.h"
#include "hex.h"
#include "stub.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char R[GDB_PACKET_MAX + 2];	/* the last reply, NUL-terminated */
static char sent[4096];		/* what went through the sink */
static size_t sent_len;

static int sink_write(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	if (len > sizeof(sent) - 1 - sent_len)
		len = sizeof(sent) - 1 - sent_len;
	memcpy(sent + sent_len, buf, len);
	sent_len += len;
	sent[sent_len] = '\0';
	return 0;
}

static int send_bin(struct gdb_stub *s, const char *pkt, size_t len)
{
	int rc;

	sent_len = 0;
	sent[0] = '\0';
	rc = gdb_handle_packet(s, pkt, len);
	memcpy(R, s->reply, s->reply_len < GDB_PACKET_MAX ? s->reply_len : GDB_PACKET_MAX);
	R[s->reply_len < GDB_PACKET_MAX ? s->reply_len : GDB_PACKET_MAX] = '\0';
	return rc;
}

static int send_pkt(struct gdb_stub *s, const char *pkt)
{
	return send_bin(s, pkt, strlen(pkt));
}

/* A stub over f with ops, "attached" through the memory sink. */
static struct gdb_stub *new_stub(struct fake_target *f, const struct gdb_target_ops *ops)
{
	struct gdb_stub *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->ops = ops;
	s->target = f;
	s->listen_fd = -1;
	s->client_fd = 0;	/* a marker: the sink carries the bytes */
	s->noack = true;
	s->sink = (struct gdb_sink){ .write = sink_write };
	s->last_stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	gdb_parser_init(&s->parser);
	return s;
}

static void test_supported(struct gdb_stub *s, struct gdb_stub *plain)
{
	CHECK_INT(send_pkt(s, "qSupported:swbreak+;hwbreak+"), 0, "qSupported ok");
	CHECK_CONTAINS(R, ";ReverseStep+", "a target with reverse(): ReverseStep+ offered");
	CHECK_CONTAINS(R, ";ReverseContinue+", "and ReverseContinue+");
	CHECK_INT(send_pkt(plain, "qSupported:swbreak+;hwbreak+"), 0, "qSupported ok (no reverse)");
	CHECK_LACKS(R, "Reverse", "a target without reverse(): nothing reverse offered");
}

static void test_packets(struct gdb_stub *s, struct fake_target *f)
{
	static const struct {
		const char *pkt;
		enum gdb_resume_mode mode;
	} ok[] = { { "bs", GDB_RESUME_STEP }, { "bc", GDB_RESUME_CONTINUE } };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		unsigned rev = f->reverse_calls, res = f->resume_calls;

		fake_settle(f);
		s->running = false;
		CHECK_INT(send_pkt(s, ok[i].pkt), GDB_REPLY_LATER, "%s: the stop reply comes later",
			  ok[i].pkt);
		CHECK_INT(f->reverse_calls, rev + 1, "%s: reverse() called once", ok[i].pkt);
		CHECK_INT(f->last_reverse_mode, ok[i].mode, "%s: the right mode",
			  ok[i].pkt);
		CHECK_INT(f->resume_calls, res, "%s: resume() not called", ok[i].pkt);
		CHECK(s->running, "%s: the stub waits for the target's stop", ok[i].pkt);
		CHECK_INT(s->last_resume, ok[i].mode, "%s: remembered as the last resume", ok[i].pkt);
		CHECK_STR(sent, "", "%s: nothing sent yet", ok[i].pkt);
	}
	fake_settle(f);
	s->running = false;
}

static void test_hostile(struct gdb_stub *s, struct fake_target *f)
{
	static const char *bad[] = { "bs1", "bc1000", "bs;", "bcxyz", "bs:1", "bc,", "bss", "bcc" };
	unsigned rev = f->reverse_calls;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_ERR(send_pkt(s, bad[i]), -EINVAL, "%s: refused", bad[i]);
		CHECK(!s->running, "%s: the target stays stopped", bad[i]);
	}
	CHECK_ERR(send_bin(s, "bs\0", 3), -EINVAL, "bs with a NUL after it: refused");
	CHECK_ERR(send_bin(s, "bc\xff", 3), -EINVAL, "bc with a high byte after it: refused");
	CHECK_INT(f->reverse_calls, rev, "reverse() never called for them");
	/* "b" alone and other b-words are unknown packets, not reverse ones. */
	CHECK_INT(send_pkt(s, "b"), 0, "b alone: the empty reply");
	CHECK_STR(R, "", "b alone: empty");
	CHECK_INT(send_pkt(s, "bx"), 0, "bx: the empty reply");
	CHECK_STR(R, "", "bx: empty");
	CHECK_INT(f->reverse_calls, rev, "nor for those");
}

static void test_without_op(struct gdb_stub *plain, struct fake_target *f)
{
	unsigned rev = f->reverse_calls, res = f->resume_calls, runs = f->run_calls;

	CHECK_INT(send_pkt(plain, "bs"), 0, "no reverse(): bs answered at once");
	CHECK_STR(R, "", "with the empty reply (unsupported)");
	CHECK_INT(send_pkt(plain, "bc"), 0, "no reverse(): bc answered at once");
	CHECK_STR(R, "", "with the empty reply (unsupported)");
	CHECK_INT(send_pkt(plain, "bs12"), 0, "no reverse(): even bs with an argument");
	CHECK_STR(R, "", "gets the empty reply");
	CHECK(!plain->running, "the target stays stopped");
	CHECK(f->reverse_calls == rev && f->resume_calls == res && f->run_calls == runs,
	      "and nothing was called on it");
}

static void test_stop_replies(struct gdb_stub *s)
{
	struct gdb_stop st = { .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP,
			       .history = GDB_HISTORY_BEGIN };

	gdb_format_stop(s, &st);
	s->reply[s->reply_len] = '\0';
	CHECK(strncmp(s->reply, "T05replaylog:begin;", 19) == 0,
	      "history begin: T05replaylog:begin; (got %.40s)", s->reply);
	CHECK_CONTAINS(s->reply, "thread:1;", "with the usual thread");
	st.history = GDB_HISTORY_END;
	gdb_format_stop(s, &st);
	s->reply[s->reply_len] = '\0';
	CHECK(strncmp(s->reply, "T05replaylog:end;", 17) == 0,
	      "history end: T05replaylog:end; (got %.40s)", s->reply);
	st = (struct gdb_stop){ .kind = GDB_STOP_SWBREAK, .signal = GDB_SIGTRAP };
	gdb_format_stop(s, &st);
	s->reply[s->reply_len] = '\0';
	CHECK_LACKS(s->reply, "replaylog", "no history end: no replaylog");
	CHECK_CONTAINS(s->reply, "swbreak:;", "a breakpoint met going back is a breakpoint");
	st.kind = GDB_STOP_WATCH;
	st.watch_type = GDB_WP_WRITE;
	st.watch_addr = 0x2000;
	st.history = GDB_HISTORY_BEGIN;
	gdb_format_stop(s, &st);
	s->reply[s->reply_len] = '\0';
	CHECK_CONTAINS(s->reply, "replaylog:begin;", "a watch stop at the start says both");
	CHECK_CONTAINS(s->reply, "watch:2000;", "(the watchpoint too)");
	st = (struct gdb_stop){ .kind = GDB_STOP_EXITED, .exit_code = 3,
				.history = GDB_HISTORY_BEGIN };
	gdb_format_stop(s, &st);
	s->reply[s->reply_len] = '\0';
	CHECK_STR(s->reply, "W03", "an exit is an exit, history or not");
}

/* The 'O' packet carrying text + "\n", as the sink saw it. */
static bool sent_console_line(const char *text)
{
	char hex[512];

	if (strlen(text) * 2 + 3 > sizeof(hex))
		return false;
	hex_encode((const uint8_t *)text, strlen(text), hex);
	strcpy(hex + 2 * strlen(text), "0a#");
	return strstr(sent, "$O") && strstr(sent, hex);
}

static void test_refused(struct gdb_stub *s, struct fake_target *f)
{
	unsigned runs = f->run_calls, res = f->resume_calls, rev = f->reverse_calls;

	f->reverse_err = -ENODATA;
	f->reverse_why = "recording is off: test";
	CHECK_INT(send_pkt(s, "bs"), 0, "refused bs: answered at once");
	CHECK_INT(f->reverse_calls, rev + 1, "after asking the target");
	CHECK(sent_console_line("recording is off: test"), "the target's reason goes to gdb's console (sent %.80s)", sent);
	CHECK(strncmp(R, "T05replaylog:begin;", 19) == 0,
	      "then a stop at the start of the (empty) history (got %.40s)", R);
	CHECK(!s->running, "the target stays stopped");
	CHECK(f->run_calls == runs && f->resume_calls == res, "and never ran");

	f->reverse_why = NULL;
	f->reverse_err = -EIO;
	CHECK_INT(send_pkt(s, "bc"), 0, "refused bc with no reason: answered at once");
	CHECK(sent_console_line("cannot execute backwards: Input/output error"),
	      "the stub words the errno (sent %.80s)", sent);
	CHECK(strncmp(R, "T05replaylog:begin;", 19) == 0, "and the same stop (got %.40s)", R);

	/* A client gone by the time the reason is sent: no reply at all. */
	s->client_fd = -1;
	CHECK_INT(send_pkt(s, "bc"), GDB_REPLY_NONE, "no client: no reply");
	s->client_fd = 0;
	f->reverse_err = 0;
}

static void test_exec_held(struct gdb_stub *s, struct fake_target *f)
{
	unsigned rev = f->reverse_calls;

	s->exec_pending = true;
	s->exec_held = (struct gdb_stop){ .kind = GDB_STOP_SWBREAK, .signal = GDB_SIGTRAP };
	CHECK_INT(send_pkt(s, "bc"), 0, "bc after an exec stop: the held stop at once");
	CHECK_CONTAINS(R, "swbreak:;", "it is the held stop");
	CHECK(!s->exec_pending && f->reverse_calls == rev, "without going anywhere");
	/* A mode switch met going back by a reverse-stepi: gdb re-reads the
	 * description and resumes backwards; the held step's stop ends it as
	 * a plain stop, as a forward step's would. */
	s->exec_pending = true;
	s->exec_held = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	s->last_resume = GDB_RESUME_STEP;
	CHECK_INT(send_pkt(s, "bs"), 0, "bs after an exec stop: the held stop at once");
	CHECK(strncmp(R, "T00", 3) == 0, "a held step's stop is reported with no signal (%.20s)",
	      R);
	CHECK(!s->exec_pending && f->reverse_calls == rev, "and the target was not asked again");
}

/* Run the toy machine's prepared op to its stop. */
static struct gdb_stop run_stop(struct fake_target *f)
{
	struct gdb_stop st = { 0 };

	if (fake_ops.run(f, &st) != 0)
		st.kind = (enum gdb_stop_kind)-1;
	return st;
}

static void test_toy_history(void)
{
	struct fake_target *f = fake_new();
	uint8_t regs0[GDB_REGS_MAX], ram0[FAKE_RAM_SIZE];
	uint8_t regs_at[4][GDB_REGS_MAX];
	struct gdb_stop st;
	char why[GDB_STOP_MESSAGE_MAX] = "";

	if (!CHECK(f != NULL, "toy machine"))
		return;
	fake_machine_reset(f);
	f->machine = true;
	memcpy(regs0, f->regs, sizeof(regs0));
	memcpy(ram0, f->ram, sizeof(ram0));
	/* Forward to just past the store at 0x1007 (mov al,7; mov cl,3; then
	 * inc/loop three times; then the store): 9 instructions. */
	for (unsigned i = 0; i < 9; i++) {
		if (i < 4)
			memcpy(regs_at[i], f->regs, GDB_REGS_MAX);
		fake_ops.resume(f, GDB_RESUME_STEP);
		run_stop(f);
	}
	CHECK_HEX(fake_reg32(f, GDB_REG_EIP), 0x100a, "9 steps reach 0x100a");
	CHECK(f->ram[0x2000] != ram0[0x2000], "the store changed [2000]");
	CHECK_INT(fake_ops.reverse(f, GDB_RESUME_STEP, why, sizeof(why)), 0, "reverse step");
	st = run_stop(f);
	CHECK(st.kind == GDB_STOP_SIGNAL && st.history == GDB_HISTORY_NONE,
	      "a plain stop after one step back");
	CHECK_HEX(fake_reg32(f, GDB_REG_EIP), 0x1007, "back at the store");
	CHECK_HEX(f->ram[0x2000], ram0[0x2000], "its byte restored");
	/* A write watchpoint on [2000]: forward over the store, then back. */
	fake_ops.insert_breakpoint(f, GDB_WP_WRITE, 0x2000, 1);
	fake_ops.resume(f, GDB_RESUME_STEP);
	st = run_stop(f);
	CHECK_INT(st.kind, GDB_STOP_WATCH, "forward: the store hits the watchpoint");
	fake_ops.resume(f, GDB_RESUME_STEP);
	run_stop(f);
	fake_ops.reverse(f, GDB_RESUME_CONTINUE, why, sizeof(why));
	st = run_stop(f);
	CHECK_INT(st.kind, GDB_STOP_WATCH, "reverse continue stops at the writer");
	CHECK_HEX(fake_reg32(f, GDB_REG_EIP), 0x1007, "before the store");
	CHECK_HEX(f->ram[0x2000], ram0[0x2000], "with the old value back");
	fake_ops.remove_all_breakpoints(f);
	fake_ops.reverse(f, GDB_RESUME_CONTINUE, why, sizeof(why));
	st = run_stop(f);
	CHECK_INT(st.history, GDB_HISTORY_BEGIN, "reverse continue to the start: history begin");
	CHECK_MEM(f->regs, regs0, GDB_REGS_MAX, "every register as at power-on");
	CHECK_MEM(f->ram, ram0, FAKE_RAM_SIZE, "and all of RAM");
	fake_ops.reverse(f, GDB_RESUME_STEP, why, sizeof(why));
	st = run_stop(f);
	CHECK_INT(st.history, GDB_HISTORY_BEGIN, "a step back at the start: history begin");
	CHECK_MEM(f->regs, regs0, GDB_REGS_MAX, "and nothing moved");
	/* Forward 3, back 3 one at a time: each state as it was. */
	for (unsigned i = 0; i < 3; i++) {
		fake_ops.resume(f, GDB_RESUME_STEP);
		run_stop(f);
	}
	for (unsigned i = 3; i-- > 0;) {
		fake_ops.reverse(f, GDB_RESUME_STEP, why, sizeof(why));
		run_stop(f);
		CHECK_MEM(f->regs, regs_at[i], GDB_REGS_MAX, "back to the state before step %u", i);
	}
	/* Recording off: reverse() refuses and says why. */
	CHECK_INT(fake_ops.monitor(f, "record off", NULL, NULL), 0, "monitor record off");
	CHECK_ERR(fake_ops.reverse(f, GDB_RESUME_STEP, why, sizeof(why)), -ENODATA,
		  "recording off: reverse refused");
	CHECK_CONTAINS(why, "recording is off", "with a reason");
	CHECK(!f->running, "and the machine is not running");
	CHECK_INT(f->violations, 0, "no broken promise (%s)", f->violation);
	fake_free(f);
}

void test_gdb_reverse(void)
{
	struct fake_target *f = fake_new();
	struct gdb_target_ops no_reverse = fake_ops;
	struct gdb_stub *s, *plain;

	no_reverse.reverse = NULL;
	s = f ? new_stub(f, &fake_ops) : NULL;
	plain = f ? new_stub(f, &no_reverse) : NULL;
	if (CHECK(s && plain, "reverse: stub over the fake target")) {
		test_supported(s, plain);
		test_packets(s, f);
		test_hostile(s, f);
		test_without_op(plain, f);
		test_stop_replies(s);
		test_refused(s, f);
		test_exec_held(s, f);
		CHECK_INT(f->violations, 0, "the stub kept the contract (%s)", f->violation);
	}
	free(s);
	free(plain);
	fake_free(f);
	test_toy_history();
}
