/*
 * test_gdb_server.c - tests the gdb connection loop (gdbstub/server.c) over
 * real TCP: gdb_server_run runs in a thread over the fake target and the
 * test plays gdb on a client socket.  Every wait is bounded by poll().
 */
#include "fake_target.h"
#include "hex.h"
#include "packet.h"
#include "stub.h"
#include "suites.h"
#include "tap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define WAIT_MS 5000		/* a bound on every wait: a bug fails, never hangs */
#define QUIET_MS 100		/* how long "nothing arrives" is watched for */

#define RX_TIMEOUT (-1)
#define RX_EOF (-2)

/* ---- the server, in a thread ---- */

static volatile sig_atomic_t quit_flag;

static bool should_quit(void)
{
	return quit_flag != 0;
}

static volatile sig_atomic_t quit_sig;	/* what quit_signal() says */

static int quit_signal(void)
{
	return quit_sig;
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

struct session {
	struct fake_target *f;
	struct gdb_stub *s;
	pthread_t thread;
	bool started, joined;
	int done_r, done_w;
	enum gdb_end end;
	int code;
	char host[64];
	unsigned port;
	unsigned listens;
};

static void on_listen(void *ctx, const char *host, unsigned port)
{
	struct session *ss = ctx;

	snprintf(ss->host, sizeof(ss->host), "%s", host);
	ss->port = port;
	ss->listens++;
}

static void *server_thread(void *arg)
{
	struct session *ss = arg;
	char b = 'd';

	ss->end = gdb_server_run(ss->s, &ss->code);
	if (write(ss->done_w, &b, 1) != 1) {
		/* the test then times out waiting */
	}
	return NULL;
}

/* Open the server on 127.0.0.1, an ephemeral port; the fake is configured
 * by the caller first when f is given.  false when it could not start. */
static bool session_start(struct session *ss, struct fake_target *f, bool start_stopped,
			  bool kill_on_quit)
{
	struct gdb_server_config cfg = {
		.host = "127.0.0.1",
		.port = "0",
		.start_stopped = start_stopped,
		.kill_on_quit = kill_on_quit,
		.should_quit = should_quit,
		.quit_signal = quit_signal,
		/* The handler test_gdb_server() installs: it interrupts the
		 * fake's run() as SIGIO does gdbvm's KVM_RUN. */
		.async_signal = SIGUSR1,
		.on_listen = on_listen,
		.ctx = ss,
	};
	char err[256] = "";
	int p[2];
	int rc;

	memset(ss, 0, sizeof(*ss));
	ss->done_r = ss->done_w = -1;
	ss->f = f;
	quit_flag = 0;
	quit_sig = 0;
	if (!f)
		return false;
	rc = gdb_server_open(&ss->s, &cfg, &fake_ops, f, err, sizeof(err));
	if (!CHECK_ERR(rc, 0, "gdb_server_open on 127.0.0.1:0 (%s)", err))
		return false;
	if (pipe2(p, O_CLOEXEC) < 0)
		return false;
	ss->done_r = p[0];
	ss->done_w = p[1];
	if (pthread_create(&ss->thread, NULL, server_thread, ss) != 0)
		return false;
	ss->started = true;
	return true;
}

static bool session_wait_done(struct session *ss, int timeout_ms)
{
	struct pollfd pfd = { .fd = ss->done_r, .events = POLLIN };

	return ss->started && poll(&pfd, 1, timeout_ms) == 1;
}

/* Join the server, stopping it first if it is still running (should_quit
 * through SIGUSR1, then cancellation as a last resort), and free it all. */
static void session_finish(struct session *ss)
{
	if (ss->started && !ss->joined) {
		if (!session_wait_done(ss, 0)) {
			quit_flag = 1;
			for (int i = 0; i < 20 && !session_wait_done(ss, 100); i++)
				pthread_kill(ss->thread, SIGUSR1);
			if (!session_wait_done(ss, 0)) {
				tap_skip("server thread stuck: cancelled");
				pthread_cancel(ss->thread);
			}
		}
		pthread_join(ss->thread, NULL);
		ss->joined = true;
	}
	gdb_server_close(ss->s);
	ss->s = NULL;
	if (ss->done_r >= 0)
		close(ss->done_r);
	if (ss->done_w >= 0)
		close(ss->done_w);
	ss->done_r = ss->done_w = -1;
	fake_free(ss->f);
	ss->f = NULL;
}

/* ---- the client: a minimal gdb ---- */

struct client {
	int fd;
	uint8_t buf[4096];
	size_t len, pos;
	int first;			/* the byte that was not '$', or RX_* */
	struct gdb_parser p;
	char raw[2 * GDB_PACKET_MAX + 8];	/* the last packet as framed */
	size_t raw_len;
	char data[GDB_PACKET_MAX + 1];		/* its payload, NUL-terminated */
	size_t data_len;
};

static struct client *client_connect(unsigned port)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (c->fd >= 0)
			close(c->fd);
		free(c);
		return NULL;
	}
	return c;
}

static void client_close(struct client *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

static int rx_byte(struct client *c, int timeout_ms)
{
	if (c->pos == c->len) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, timeout_ms) != 1)
			return RX_TIMEOUT;
		n = recv(c->fd, c->buf, sizeof(c->buf), 0);
		if (n <= 0)
			return RX_EOF;
		c->len = (size_t)n;
		c->pos = 0;
	}
	return c->buf[c->pos++];
}

static bool send_all(struct client *c, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);

		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static bool send_str(struct client *c, const char *s)
{
	return send_all(c, s, strlen(s));
}

static bool send_packet_bin(struct client *c, const char *payload, size_t len)
{
	static char framed[2 * GDB_PACKET_MAX + 8];
	size_t n = gdb_frame(payload, len, framed, sizeof(framed));

	return n && send_all(c, framed, n);
}

static bool send_packet(struct client *c, const char *payload)
{
	return send_packet_bin(c, payload, strlen(payload));
}

/* Read one packet, which must begin with the next byte. */
static bool recv_packet(struct client *c)
{
	int b = rx_byte(c, WAIT_MS);

	c->raw_len = 0;
	c->data_len = 0;
	c->data[0] = '\0';
	c->first = b;
	if (b != '$')
		return false;
	gdb_parser_init(&c->p);
	gdb_parser_feed(&c->p, '$');
	c->raw[c->raw_len++] = '$';
	for (;;) {
		enum gdb_rx_event e;

		b = rx_byte(c, WAIT_MS);
		if (b < 0)
			return false;
		if (c->raw_len < sizeof(c->raw))
			c->raw[c->raw_len++] = (char)b;
		e = gdb_parser_feed(&c->p, (uint8_t)b);
		if (e == GDB_RX_PACKET) {
			memcpy(c->data, c->p.data, c->p.len);
			c->data_len = c->p.len;
			c->data[c->data_len] = '\0';
			return true;
		}
		if (e != GDB_RX_NONE)
			return false;
	}
}

static bool expect_byte(struct client *c, int want)
{
	return rx_byte(c, WAIT_MS) == want;
}

/* Nothing arrives for QUIET_MS. */
static bool quiet(struct client *c)
{
	return rx_byte(c, QUIET_MS) == RX_TIMEOUT;
}

/* The connection ends (EOF) within WAIT_MS; what came before goes to text. */
static bool read_to_eof(struct client *c, char *text, size_t cap)
{
	size_t n = 0;
	int b;

	while ((b = rx_byte(c, WAIT_MS)) >= 0)
		if (n + 1 < cap)
			text[n++] = (char)b;
	text[n] = '\0';
	return b == RX_EOF;
}

/* Send a packet, expect '+', then the reply packet. */
static bool exchange(struct client *c, const char *pkt)
{
	return send_packet(c, pkt) && expect_byte(c, '+') && recv_packet(c);
}

/* ---- the sessions ---- */

static void test_main_session(void)
{
	struct session ss;
	struct fake_target *f = fake_new();
	struct client *c = NULL, *c2 = NULL;
	char framed[64], text[256];
	size_t n;

	if (!session_start(&ss, f, true, false)) {
		CHECK(false, "server session started");
		session_finish(&ss);
		return;
	}
	CHECK_INT(ss.listens, 1, "on_listen called once");
	CHECK_STR(ss.host, "127.0.0.1", "on_listen host");
	CHECK(ss.port > 0 && ss.port < 65536, "on_listen gives the bound port (%u)", ss.port);

	c = client_connect(ss.port);
	if (!CHECK(c != NULL, "client connects"))
		goto out;

	/* Acks and framing. */
	CHECK(send_str(c, "$?#3f"), "client sends ?");
	CHECK(expect_byte(c, '+'), "? is acked with '+'");
	CHECK(recv_packet(c), "a stop reply comes back");
	CHECK(strncmp(c->data, "T05", 3) == 0, "start-stopped target reports T05 (%s)", c->data);
	CHECK(c->data_len > 9 && strcmp(c->data + c->data_len - 9, "thread:1;") == 0,
	      "stop reply ends with thread:1;");
	n = gdb_frame(c->data, c->data_len, framed, sizeof(framed));
	CHECK(n == c->raw_len && memcmp(framed, c->raw, n) == 0, "the reply is framed correctly");

	CHECK(exchange(c, "qC"), "qC exchange");
	CHECK(c->raw_len == 7 && memcmp(c->raw, "$QC1#c5", 7) == 0, "qC reply framed as $QC1#c5");

	/* A bad checksum gets '-' and no reply. */
	CHECK(send_str(c, "$qC#00"), "client sends a bad checksum");
	CHECK(expect_byte(c, '-'), "a bad checksum is answered '-'");
	CHECK(exchange(c, "qfThreadInfo"), "the next packet is acked and answered");
	CHECK_STR(c->data, "m1", "... with its own reply, nothing for the bad one");

	/* '-' from the client: the last packet again. */
	memcpy(framed, c->raw, c->raw_len);
	n = c->raw_len;
	CHECK(send_str(c, "-"), "client sends '-'");
	CHECK(recv_packet(c), "the server retransmits after '-'");
	CHECK(c->raw_len == n && memcmp(c->raw, framed, n) == 0, "the same framed packet again");
	CHECK(send_str(c, "+"), "client sends '+'");

	CHECK(exchange(c, "qSupported:swbreak+;hwbreak+"), "qSupported exchange");
	CHECK_CONTAINS(c->data, "PacketSize=4000", "qSupported over TCP");

	/* Memory through the wire, with escaped binary. */
	CHECK(exchange(c, "M1000,4:01020304"), "M exchange");
	CHECK_STR(c->data, "OK", "M reply");
	CHECK(exchange(c, "m1000,4"), "m exchange");
	CHECK_STR(c->data, "01020304", "m reads back what M wrote");
	{
		static const char x[] = "X2000,6:#$}*\0\x03";

		CHECK(send_packet_bin(c, x, sizeof(x) - 1) && expect_byte(c, '+') && recv_packet(c),
		      "X exchange with bytes that need escaping");
		CHECK_STR(c->data, "OK", "X reply");
		CHECK_MEM(f->ram + 0x2000, "#$}*\0\x03", 6, "X bytes arrive unescaped");
	}
	CHECK(exchange(c, "m10000,1"), "m past RAM exchange");
	CHECK_STR(c->data, "E0e", "an error becomes Exx (EFAULT: E0e)");
	CHECK(exchange(c, "vMustReplyEmpty"), "unknown packet exchange");
	CHECK(c->raw_len == 4 && memcmp(c->raw, "$#00", 4) == 0, "the empty reply is $#00");

	/* A packet too long. */
	{
		size_t len = GDB_PACKET_MAX + 100;
		char *big = malloc(len);

		if (big) {
			memset(big, 'a', len);
			CHECK(send_packet_bin(c, big, len) && expect_byte(c, '+') && recv_packet(c),
			      "a too-long packet is acked and answered");
			CHECK_STR(c->data, "E16", "a too-long packet gets E16");
			free(big);
		}
		CHECK(exchange(c, "qC"), "the session goes on after a too-long packet");
		CHECK_STR(c->data, "QC1", "qC after a too-long packet");
	}

	/* Continue, and 0x03 while running. */
	f->hold_until_interrupt = true;
	CHECK(send_packet(c, "c") && expect_byte(c, '+'), "c is acked");
	CHECK(quiet(c), "no stop reply while the target runs");
	CHECK(exchange(c, "g"), "a packet while running is acked and answered");
	CHECK_STR(c->data, "E10", "a packet while running: E10");
	CHECK(send_str(c, "\x03"), "client sends 0x03");
	CHECK(fake_wait_event(f, 'I', WAIT_MS), "0x03 while running calls interrupt");
	CHECK(recv_packet(c), "the stop reply comes after the interrupt");
	CHECK(strncmp(c->data, "T02", 3) == 0, "interrupted: T02 (%s)", c->data);
	CHECK_CONTAINS(c->data, "thread:1;", "interrupted stop names the thread");
	CHECK_INT(f->interrupt_calls, 1, "interrupt called once");
	CHECK_INT(f->resume_calls, 1, "resume called once for c");
	CHECK_INT(f->last_mode, GDB_RESUME_CONTINUE, "c continues");
	f->hold_until_interrupt = false;

	/* A step with a breakpoint stop. */
	f->stop = (struct gdb_stop){ .kind = GDB_STOP_SWBREAK, .signal = GDB_SIGTRAP };
	CHECK(exchange(c, "s"), "s exchange: ack then the stop reply");
	CHECK(strncmp(c->data, "T05swbreak:;", 12) == 0, "step stop reply (%s)", c->data);
	CHECK_INT(f->last_mode, GDB_RESUME_STEP, "s steps");
	CHECK(send_str(c, "\x03"), "0x03 while stopped");
	CHECK(exchange(c, "qC"), "the session goes on");
	CHECK_INT(f->interrupt_calls, 1, "0x03 while stopped does not call interrupt");

	/* A second client is refused while the first is connected. */
	c2 = client_connect(ss.port);
	if (CHECK(c2 != NULL, "a second client can connect at TCP level")) {
		CHECK(read_to_eof(c2, text, sizeof(text)), "the second client is closed");
		CHECK_CONTAINS(text, "already connected", "and told why");
		client_close(c2);
		c2 = NULL;
	}
	CHECK(exchange(c, "qC"), "the first client still works");
	CHECK_STR(c->data, "QC1", "first client's reply");

	/* A breakpoint, then QStartNoAckMode. */
	CHECK(exchange(c, "Z0,1000,1"), "Z0 exchange");
	CHECK_STR(c->data, "OK", "Z0 reply");
	CHECK(exchange(c, "QStartNoAckMode"), "QStartNoAckMode is acked");
	CHECK_STR(c->data, "OK", "QStartNoAckMode: OK");
	CHECK(send_str(c, "+"), "gdb acks the OK");
	CHECK(send_packet(c, "qC") && recv_packet(c), "no-ack mode: the reply comes with no '+'");
	CHECK_STR(c->data, "QC1", "no-ack mode reply");
	CHECK(send_str(c, "$qC#00"), "a bad checksum in no-ack mode");
	CHECK(send_packet(c, "qfThreadInfo") && recv_packet(c),
	      "no-ack mode: no '-' for a bad checksum, the next reply comes first");
	CHECK_STR(c->data, "m1", "no-ack mode: the good packet's reply");

	/* Disconnect: breakpoints go; a new client starts with acks again. */
	CHECK_INT(f->remove_all_calls, 0, "no remove_all_breakpoints yet");
	client_close(c);
	c = NULL;
	CHECK(fake_wait_event(f, 'R', WAIT_MS), "disconnect calls remove_all_breakpoints");
	CHECK_INT(f->remove_all_calls, 1, "remove_all_breakpoints called once");
	CHECK_INT(f->nbps, 0, "no breakpoint left");
	c = client_connect(ss.port);
	if (!CHECK(c != NULL, "reconnect"))
		goto out;
	CHECK(exchange(c, "?"), "the new client is acked again");
	CHECK(strncmp(c->data, "T05swbreak:;", 12) == 0, "? reports the last stop (%s)", c->data);

	/* k ends the server. */
	CHECK(send_packet(c, "k") && expect_byte(c, '+'), "k is acked");
	CHECK(session_wait_done(&ss, WAIT_MS), "k ends gdb_server_run");
	pthread_join(ss.thread, NULL);
	ss.joined = true;
	CHECK_INT(ss.end, GDB_END_KILLED, "k: GDB_END_KILLED");
	CHECK(quiet(c), "no reply to k");
	CHECK_INT(f->violations, 0, "no op but interrupt while the target ran (%s)",
		  f->violation[0] ? f->violation : "none");
out:
	client_close(c);
	session_finish(&ss);
}

static void test_exit_session(void)
{
	struct session ss;
	struct fake_target *f = fake_new();
	struct client *c;

	if (!session_start(&ss, f, true, false)) {
		CHECK(false, "server session started");
		session_finish(&ss);
		return;
	}
	c = client_connect(ss.port);
	if (CHECK(c != NULL, "client connects")) {
		f->stop = (struct gdb_stop){ .kind = GDB_STOP_EXITED, .exit_code = 3 };
		CHECK(exchange(c, "c"), "c: ack, then the exit");
		CHECK_STR(c->data, "W03", "guest exit with status 3: W03");
		CHECK(session_wait_done(&ss, WAIT_MS), "the exit ends gdb_server_run");
		pthread_join(ss.thread, NULL);
		ss.joined = true;
		CHECK_INT(ss.end, GDB_END_EXITED, "GDB_END_EXITED");
		CHECK_INT(ss.code, 3, "exit code 3");
	}
	client_close(c);
	session_finish(&ss);
}

/* A stop with a message: gdb gets it as console output ('O' packet), then
 * the stop reply. */
static void test_stop_message(void)
{
	static const char msg[] = "gdbvm: KVM_RUN failed: Bad address";
	char want[2 * sizeof(msg) + 4] = "O";
	struct session ss;
	struct fake_target *f = fake_new();
	struct client *c;

	for (size_t i = 0; i < sizeof(msg) - 1; i++)
		snprintf(want + 1 + 2 * i, 3, "%02x", (unsigned char)msg[i]);
	strcat(want, "0a");	/* the newline gdb needs to end the line */
	if (!session_start(&ss, f, true, false)) {
		CHECK(false, "server session started");
		session_finish(&ss);
		return;
	}
	c = client_connect(ss.port);
	if (CHECK(c != NULL, "client connects")) {
		f->stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGSEGV,
					     .fatal = true, .exit_code = 20 };
		snprintf(f->stop.message, sizeof(f->stop.message), "%s", msg);
		CHECK(exchange(c, "c"), "c: ack, then a packet");
		CHECK_STR(c->data, want, "the stop's message comes first, as an O packet");
		CHECK(recv_packet(c) && strncmp(c->data, "T0b", 3) == 0,
		      "then the stop reply (%s)", c->data);
	}
	client_close(c);
	session_finish(&ss);
}

/* Not started stopped, no gdb: a fatal stop ends the run as a crash. */
static void test_crash_session(void)
{
	struct session ss;
	struct fake_target *f = fake_new();

	if (f)
		f->stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGSEGV,
					     .fatal = true, .exit_code = 70 };
	if (!session_start(&ss, f, false, false)) {
		CHECK(false, "server session started");
		session_finish(&ss);
		return;
	}
	CHECK(session_wait_done(&ss, WAIT_MS), "a fatal stop with no gdb ends gdb_server_run");
	pthread_join(ss.thread, NULL);
	ss.joined = true;
	CHECK_INT(ss.end, GDB_END_CRASHED, "GDB_END_CRASHED");
	CHECK_INT(ss.code, 70, "the fatal stop's status");
	CHECK_INT(f->resume_calls, 1, "the target was started at once");
	session_finish(&ss);
}

/* should_quit after EINTR ends the run. */
static void test_signal_session(void)
{
	struct session ss;
	struct fake_target *f = fake_new();
	bool done = false;

	if (!session_start(&ss, f, true, false)) {
		CHECK(false, "server session started");
		session_finish(&ss);
		return;
	}
	quit_flag = 1;
	for (int i = 0; i < 50 && !done; i++) {
		pthread_kill(ss.thread, SIGUSR1);
		done = session_wait_done(&ss, 100);
	}
	CHECK(done, "a signal with should_quit() true ends gdb_server_run");
	if (done) {
		pthread_join(ss.thread, NULL);
		ss.joined = true;
		CHECK_INT(ss.end, GDB_END_SIGNALLED, "GDB_END_SIGNALLED");
	}
	session_finish(&ss);
}

/* A signal ends the run while gdb waits for the running target: gdb is
 * told the target was killed by it ("X0e" for SIGALRM), then the
 * connection closes. */
static void test_signal_while_running(void)
{
	struct session ss;
	struct fake_target *f = fake_new();
	struct client *c;
	bool done = false;
	char text[64];

	if (!session_start(&ss, f, true, false)) {
		CHECK(false, "server session started");
		session_finish(&ss);
		return;
	}
	c = client_connect(ss.port);
	if (!CHECK(c != NULL, "client connects"))
		goto out;
	f->hold_until_interrupt = true;
	CHECK(send_packet(c, "c") && expect_byte(c, '+'), "c is acked; the target runs");
	CHECK(quiet(c), "no stop reply while it runs");
	quit_sig = 14;
	quit_flag = 1;
	for (int i = 0; i < 50 && !done; i++) {
		pthread_kill(ss.thread, SIGUSR1);
		done = session_wait_done(&ss, 100);
	}
	CHECK(done, "a signal with should_quit() true ends gdb_server_run");
	CHECK(recv_packet(c), "gdb gets a reply to its c");
	CHECK_STR(c->data, "X0e", "X0e: killed by SIGALRM (the signal quit_signal() names)");
	if (done) {
		pthread_join(ss.thread, NULL);
		ss.joined = true;
		CHECK_INT(ss.end, GDB_END_SIGNALLED, "GDB_END_SIGNALLED");
		gdb_server_close(ss.s);
		ss.s = NULL;
		CHECK(read_to_eof(c, text, sizeof(text)), "closing the server closes the connection");
	}
out:
	client_close(c);
	session_finish(&ss);
}

/*
 * Detach, and a disconnect while the guest runs: the breakpoints are removed
 * (the contract in gdbstub.h: every op but interrupt() while stopped), and a
 * new client stops the running target first.
 */
static void test_detach_session(void)
{
	struct session ss;
	struct fake_target *f = fake_new();
	struct client *c;
	char text[64];

	if (!session_start(&ss, f, true, false)) {
		CHECK(false, "server session started");
		session_finish(&ss);
		return;
	}
	c = client_connect(ss.port);
	if (!CHECK(c != NULL, "client connects"))
		goto out;
	CHECK(exchange(c, "Z0,1000,1"), "Z0 exchange");
	f->hold_until_interrupt = true;
	CHECK(exchange(c, "D"), "D exchange");
	CHECK_STR(c->data, "OK", "D: OK");
	CHECK(read_to_eof(c, text, sizeof(text)), "after D the server closes the connection");
	client_close(c);
	c = NULL;
	CHECK(fake_wait_event(f, 'R', WAIT_MS), "D calls remove_all_breakpoints");
	CHECK_INT(f->resume_calls, 1, "D resumed the target");
	CHECK_INT(f->violations, 0,
		  "after D (target running): no op but interrupt runs (first offender: %s)",
		  f->violation[0] ? f->violation : "none");

	/* A new client: the running target is stopped for it. */
	c = client_connect(ss.port);
	if (!CHECK(c != NULL, "client reconnects after D"))
		goto out;
	CHECK(exchange(c, "?"), "? after reconnecting");
	CHECK_INT(f->interrupt_calls, 1, "connecting to a running target interrupts it");
	CHECK(strncmp(c->data, "T05", 3) == 0, "and reports it stopped with SIGTRAP (%s)", c->data);

	/* Disconnect while running. */
	f->violations = 0;
	f->violation[0] = '\0';
	CHECK(send_packet(c, "c") && expect_byte(c, '+'), "c is acked");
	client_close(c);
	c = NULL;
	CHECK(fake_wait_event(f, 'R', WAIT_MS), "a disconnect while running removes breakpoints");
	CHECK_INT(f->violations, 0,
		  "disconnect while running: no op but interrupt runs (first offender: %s)",
		  f->violation[0] ? f->violation : "none");

	c = client_connect(ss.port);
	if (!CHECK(c != NULL, "client reconnects while the target runs"))
		goto out;
	CHECK(exchange(c, "?"), "? after reconnecting to a running target");
	CHECK(strncmp(c->data, "T05", 3) == 0, "stopped with SIGTRAP (%s)", c->data);
	/* Once to clean up after the disconnect (breakpoints may only be
	 * removed from a stopped target), once for the new client. */
	CHECK_INT(f->interrupt_calls, 3, "interrupted for the clean-up and again on connect");
	CHECK(send_packet(c, "k") && expect_byte(c, '+'), "k is acked");
	CHECK(session_wait_done(&ss, WAIT_MS), "k ends gdb_server_run");
	pthread_join(ss.thread, NULL);
	ss.joined = true;
	CHECK_INT(ss.end, GDB_END_KILLED, "GDB_END_KILLED");
out:
	client_close(c);
	session_finish(&ss);
}

/*
 * A reconnect that the server sees in the same poll() round as the old
 * client's disconnect: the old connection is gone, so the new one should be
 * served, not refused as "another gdb".
 */
static void test_reconnect_race(void)
{
	struct session ss;
	struct fake_target *f = fake_new();
	struct client *c1, *c2 = NULL, *c3 = NULL;
	bool served = false;

	if (!session_start(&ss, f, true, false)) {
		CHECK(false, "server session started");
		session_finish(&ss);
		return;
	}
	c1 = client_connect(ss.port);
	if (!CHECK(c1 != NULL, "client connects"))
		goto out;
	/* "monitor block" holds the server inside the packet until the gate opens. */
	CHECK(send_packet(c1, "qRcmd,626c6f636b") && expect_byte(c1, '+'), "qRcmd block acked");
	CHECK(fake_wait_event(f, 'B', WAIT_MS), "the server is busy in the monitor command");
	client_close(c1);
	c1 = NULL;
	c2 = client_connect(ss.port);
	fake_open_gate(f);
	if (CHECK(c2 != NULL, "a new client connects while the server is busy")) {
		served = exchange(c2, "qC");
		CHECK(served, "the new client is served once the old one is gone");
	}
	if (served) {
		CHECK(send_packet(c2, "k") && expect_byte(c2, '+'), "k is acked");
	} else {
		c3 = client_connect(ss.port);
		if (CHECK(c3 != NULL, "a third client connects"))
			CHECK(send_packet(c3, "k") && expect_byte(c3, '+'), "k is acked");
	}
	CHECK(session_wait_done(&ss, WAIT_MS), "k ends gdb_server_run");
	if (session_wait_done(&ss, 0)) {
		pthread_join(ss.thread, NULL);
		ss.joined = true;
	}
out:
	client_close(c1);
	client_close(c2);
	client_close(c3);
	session_finish(&ss);
}

/*
 * gdb acknowledges the last reply with '+' and hangs up; a new client that
 * connects before the server has looked again finds that '+' and the
 * hang-up both unread.  The old client is gone all the same: the new one
 * must be served, not refused.
 */
static void test_reconnect_after_ack(void)
{
	struct session ss;
	struct fake_target *f = fake_new();
	struct client *c1, *c2 = NULL;
	char text[128];

	if (!session_start(&ss, f, true, false)) {
		CHECK(false, "server session started");
		session_finish(&ss);
		return;
	}
	c1 = client_connect(ss.port);
	if (!CHECK(c1 != NULL, "client connects"))
		goto out;
	/* "monitor block" holds the server until the gate opens, so the '+',
	 * the hang-up and the new connection all wait for its next look. */
	CHECK(send_packet(c1, "qRcmd,626c6f636b") && expect_byte(c1, '+'), "qRcmd block acked");
	CHECK(fake_wait_event(f, 'B', WAIT_MS), "the server is busy in the monitor command");
	CHECK(send_str(c1, "+"), "the client acks (ahead of the reply, as if it had it)");
	CHECK(shutdown(c1->fd, SHUT_WR) == 0, "and hangs up (still reading)");
	c2 = client_connect(ss.port);
	if (!CHECK(c2 != NULL, "a new client connects while the server is busy"))
		goto out;
	fake_open_gate(f);
	CHECK(recv_packet(c1), "the first client gets its reply");
	CHECK(send_packet(c2, "qC"), "the new client sends qC");
	text[0] = '\0';
	if (!CHECK(expect_byte(c2, '+') && recv_packet(c2), "the new client is served, not refused")) {
		read_to_eof(c2, text, sizeof(text));
		CHECK_LACKS(text, "already connected", "it was not told another gdb is connected");
	} else {
		CHECK_STR(c2->data, "QC1", "qC: QC1");
		CHECK(send_packet(c2, "k") && expect_byte(c2, '+'), "k is acked");
	}
	CHECK(session_wait_done(&ss, WAIT_MS), "k ends gdb_server_run");
	if (session_wait_done(&ss, 0)) {
		pthread_join(ss.thread, NULL);
		ss.joined = true;
	}
out:
	client_close(c1);
	client_close(c2);
	session_finish(&ss);
}

/* A new client's '-' must not make the server resend the reply it last
 * sent to the previous client (it has sent this one nothing yet). */
static void test_new_client_nack(void)
{
	struct session ss;
	struct fake_target *f = fake_new();
	struct client *c1, *c2 = NULL;

	if (!session_start(&ss, f, true, false)) {
		CHECK(false, "server session started");
		session_finish(&ss);
		return;
	}
	c1 = client_connect(ss.port);
	if (!CHECK(c1 != NULL, "client connects"))
		goto out;
	CHECK(exchange(c1, "qC"), "qC exchange");
	CHECK_STR(c1->data, "QC1", "qC: QC1");
	client_close(c1);
	c1 = NULL;
	c2 = client_connect(ss.port);
	if (!CHECK(c2 != NULL, "a second client connects after the first left"))
		goto out;
	CHECK(send_str(c2, "-"), "the new client sends '-' first");
	CHECK(exchange(c2, "?"), "then '?': its '+' comes first, not a resent QC1");
	CHECK(strncmp(c2->data, "T05", 3) == 0, "the reply to '?' (%s)", c2->data);
	CHECK(send_packet(c2, "k") && expect_byte(c2, '+'), "k is acked");
	CHECK(session_wait_done(&ss, WAIT_MS), "k ends gdb_server_run");
	if (session_wait_done(&ss, 0)) {
		pthread_join(ss.thread, NULL);
		ss.joined = true;
	}
out:
	client_close(c1);
	client_close(c2);
	session_finish(&ss);
}

void test_gdb_server(void)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 }, old;

	tap_suite("gdbstub server over TCP (server.c)");
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, &old);	/* no SA_RESTART: poll() sees EINTR */
	test_main_session();
	test_exit_session();
	test_stop_message();
	test_crash_session();
	test_signal_session();
	test_signal_while_running();
	test_detach_session();
	test_reconnect_race();
	test_new_client_nack();
	test_reconnect_after_ack();
	sigaction(SIGUSR1, &old, NULL);
}
