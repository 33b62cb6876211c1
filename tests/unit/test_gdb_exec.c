/* test_gdb_exec.c - tests how the stub follows the CPU from one mode to
 * another (gdbstub/server.c, cmds.c): a stop in another view is reported as
 * an exec stop before anything else, the description and the register
 * packets switch with it, gdb's automatic resume is answered with the held
 * stop without running the target, and LLDB, which stops at the exec, gets
 * no held stop.  The stub is driven through its connection steps
 * (gdb_server_attach, gdb_server_input, gdb_server_run_target) with the
 * fake target behind it and a memory sink for its bytes. */
#include "fake_target.h"
#include "hex.h"
#include "stub.h"
#include "suites.h"
#include "helpers.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything the stub sent since the last exchange. */
static char out[4 * GDB_PACKET_MAX];
static struct sent_text sent = { out, sizeof(out), 0 };

/* Send one packet as gdb would; returns what the stub sent back. */
static const char *exchange(struct gdb_stub *s, const char *payload)
{
	char framed[2 * GDB_PACKET_MAX + 8];
	size_t n = gdb_frame(payload, strlen(payload), framed, sizeof(framed));

	sent_text_clear(&sent);
	gdb_server_input(s, (const uint8_t *)framed, n);
	return out;
}

/* Run the resumed target once; returns what the stub sent. */
static const char *run_once(struct gdb_stub *s)
{
	sent_text_clear(&sent);
	gdb_server_run_target(s);
	return out;
}

static const char *hex_text(const char *text, char *buf)
{
	hex_encode((const uint8_t *)text, strlen(text), buf);
	buf[2 * strlen(text)] = '\0';
	return buf;
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
	s->sink = (struct gdb_sink){ .write = sent_text_append, .ctx = &sent };
	s->last_stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	gdb_parser_init(&s->parser);
	gdb_server_attach(s, 0);
	return s;
}

/* stepi across a switch: exec first, then the step's end on gdb's resume. */
static void test_step_across(struct gdb_stub *s, struct fake_target *f)
{
	char want[160], hex[64];
	unsigned resumes, runs;

	CHECK(s->arch == &gdb_arch_i8086, "a client attaching in real mode gets the i8086 view");
	CHECK_CONTAINS(exchange(s, "qXfer:features:read:target.xml:0,3fff"),
		       "<architecture>i8086</architecture>", "target.xml says i8086");
	CHECK_CONTAINS(exchange(s, "s"), "+", "s is acknowledged");
	CHECK(s->running, "s resumes the target");
	f->arch = &gdb_arch_i386;	/* the step was a far jump to 32-bit code */
	f->stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	f->read_regs_calls = 0;
	snprintf(want, sizeof(want), "$T05exec:%s;reason:exec;thread:1;#",
		 hex_text("i386", hex));
	CHECK_CONTAINS(run_once(s), want, "the stop in 32-bit code is reported as an exec of i386");
	CHECK_LACKS(out, "T05thread", "and not as the step's stop yet");
	CHECK_INT(f->read_regs_calls, 0, "the exec stop reads no register (gdb's layout is old)");
	CHECK(s->arch == &gdb_arch_i386, "the stub serves the i386 view from now on");

	/* gdb re-reads the description, the registers, re-inserts its
	 * breakpoints, then resumes by itself. */
	CHECK_CONTAINS(exchange(s, "qXfer:features:read:target.xml:0,3fff"),
		       "<architecture>i386</architecture>", "target.xml now says i386");
	exchange(s, "g");
	CHECK(sent.len == 1 + 1 + 2 * gdb_arch_i386.size + 3, "g is in the i386 layout (%zu bytes sent)",
	      sent.len);
	CHECK_CONTAINS(exchange(s, "Z0,10f4,1"), "$OK#", "Z0 after the exec");
	CHECK_CONTAINS(exchange(s, "Z0,10f4,1"), "$OK#", "the same Z0 again, with no z0 between");
	resumes = f->resume_calls;
	runs = f->run_calls;
	CHECK_CONTAINS(exchange(s, "vCont;c:p1.-1"), "$T00", "gdb's resume is answered at once: T00");
	CHECK_CONTAINS(out, "08:", "the stop carries the i386 view's pc");
	CHECK_INT(f->resume_calls, resumes, "the target was not resumed");
	CHECK_INT(f->run_calls, runs, "nor run");
	CHECK(!s->running && !s->exec_pending, "the target stays stopped, nothing held");
	CHECK_CONTAINS(exchange(s, "?"), "$T05", "'?' gives the stop as it was");
	CHECK_LACKS(out, "exec", "'?' reports no second exec");
}

/* A breakpoint in the new mode: exec, then the breakpoint's own stop. */
static void test_break_after_switch(struct gdb_stub *s, struct fake_target *f)
{
	char want[160], hex[64];

	CHECK_CONTAINS(exchange(s, "c"), "+", "c is acknowledged");
	f->arch = &gdb_arch_amd64;
	f->stop = (struct gdb_stop){ .kind = GDB_STOP_SWBREAK, .signal = GDB_SIGTRAP };
	snprintf(want, sizeof(want), "$T05exec:%s;reason:exec;thread:1;#",
		 hex_text("i386:x86-64", hex));
	CHECK_CONTAINS(run_once(s), want, "a breakpoint in 64-bit code is reported as an exec first");
	CHECK_CONTAINS(exchange(s, "qXfer:features:read:target.xml:0,3fff"),
		       "<architecture>i386:x86-64</architecture>", "target.xml now says i386:x86-64");
	CHECK_CONTAINS(exchange(s, "c"), "$T05swbreak:;", "the resume gets the breakpoint's stop");
	CHECK_CONTAINS(out, ";10:", "with rip (amd64 register 0x10) expedited");
	CHECK_CONTAINS(out, ";07:", "and rsp (0x07)");

	/* The guest's file, when the target names one, is the program. */
	exchange(s, "c");
	f->arch = &gdb_arch_i386;
	f->exec_file = "/tmp/guest.elf";
	f->stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGINT };
	snprintf(want, sizeof(want), "$T05exec:%s;", hex_text("/tmp/guest.elf", hex));
	CHECK_CONTAINS(run_once(s), want, "the exec names the guest's file when there is one");
	CHECK_CONTAINS(exchange(s, "c"), "$T02", "then the held SIGINT");
	f->exec_file = NULL;
	exchange(s, "c");
	f->arch = &gdb_arch_amd64;
	run_once(s);
	exchange(s, "c");

	/* The same mode again: a plain stop, no exec. */
	exchange(s, "c");
	f->stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGINT };
	CHECK_CONTAINS(run_once(s), "$T02", "a stop in the same mode is reported as it is");
	CHECK_LACKS(out, "exec", "with no exec");

	/* A switch with a message: the message goes with the held stop. */
	exchange(s, "c");
	f->arch = &gdb_arch_i8086;
	f->stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGILL, .fatal = true,
				     .exit_code = 8 };
	snprintf(f->stop.message, sizeof(f->stop.message), "gdbvm: the guest crashed");
	CHECK_CONTAINS(run_once(s), "exec:", "a crash in real mode: the exec first");
	CHECK_LACKS(out, "$O", "its message waits for the stop");
	exchange(s, "c");
	CHECK_CONTAINS(out, "$O", "the message comes before the held stop");
	CHECK_CONTAINS(out, "$T04", "then the crash's stop (SIGILL)");

	/* The guest ends in another mode: no exec, the exit. */
	exchange(s, "c");
	f->arch = &gdb_arch_amd64;
	f->stop = (struct gdb_stop){ .kind = GDB_STOP_EXITED, .exit_code = 3 };
	CHECK_CONTAINS(run_once(s), "$W03", "an exit is reported as the exit");
	CHECK_LACKS(out, "exec", "with no exec");
}

/* LLDB stops at the exec: its next continue runs the target. */
static void test_lldb_switch(struct fake_target *f)
{
	struct gdb_stub *s;
	char want[160], hex[64];
	unsigned resumes;

	f->arch = &gdb_arch_i386;
	f->stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	s = new_stub(f);
	if (!CHECK(s != NULL, "stub allocated"))
		return;
	CHECK(s->arch == &gdb_arch_i386, "a client attaching in 32-bit code gets the i386 view");
	exchange(s, "QThreadSuffixSupported");
	hex_text("i386-pc-unknown", hex);
	CHECK_CONTAINS(exchange(s, "qProcessInfo"), hex, "qProcessInfo: the 32-bit triple");
	exchange(s, "c");
	f->arch = &gdb_arch_amd64;
	f->stop = (struct gdb_stop){ .kind = GDB_STOP_SWBREAK, .signal = GDB_SIGTRAP };
	snprintf(want, sizeof(want), "exec:%s;reason:exec;", hex_text("i386:x86-64", hex));
	CHECK_CONTAINS(run_once(s), want, "LLDB gets the exec stop with reason:exec");
	CHECK(!s->exec_pending, "and nothing is held for it");
	hex_text("x86_64-pc-unknown", hex);
	CHECK_CONTAINS(exchange(s, "qProcessInfo"), hex, "qProcessInfo: the 64-bit triple");
	CHECK_CONTAINS(out, "ptrsize:8;", "qProcessInfo: pointer size 8");
	resumes = f->resume_calls;
	exchange(s, "c");
	CHECK_INT(f->resume_calls, resumes + 1, "LLDB's continue runs the target");
	run_once(s);
	free(s);
}

void test_gdb_exec(void)
{
	struct fake_target *f;
	struct gdb_stub *s;

	tap_suite("gdbstub: mode switches as exec stops (server.c, cmds.c)");
	f = fake_new();
	s = f ? new_stub(f) : NULL;
	if (!CHECK(f && s, "fake target and stub allocated")) {
		free(s);
		fake_free(f);
		return;
	}
	test_step_across(s, f);
	test_break_after_switch(s, f);
	free(s);
	test_lldb_switch(f);
	CHECK_INT(f->violations, 0, "the stub kept the target's contract (%s)",
		  f->violation[0] ? f->violation : "none");
	fake_free(f);
}
