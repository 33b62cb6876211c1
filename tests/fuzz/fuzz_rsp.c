/*
 * fuzz_rsp.c - libFuzzer target for the gdb stub.
 *
 * Each input is the byte stream a gdb client sends: packets with their
 * framing and checksums, acknowledgements, interrupt bytes, binary X data,
 * noise.  It goes through the same code the server runs on bytes from the
 * socket (gdb_server_input, see stub.h), so the framing and every packet
 * handler run, against the toy machine of the shared fake target
 * (tests/unit/fake_target.c, in strict mode).  The stub sends
 * through its own send path into a memory sink (struct gdb_sink in stub.h,
 * in place of the socket's send()), which checks every byte as it comes.
 *
 * The loop does what gdb_server_run does after poll(), with the byte
 * stream cut into reads at every acknowledgement or end of packet: a stop
 * the target has ready is collected and reported there, and a client that
 * detached is replaced by a new connection (which stops a running target).
 * The end of the input is the client hanging up; a target still running
 * then is stopped, as gdb_server_run does when it ends.  Nothing waits: the
 * toy machine stops at once or when interrupted.
 *
 * Checked beyond ASan and UBSan: the target contract (the fake aborts
 * on a broken one), and the reply stream: only '+', '-' and well-formed
 * packets (escapes only where needed, right checksums, at most
 * GDB_PACKET_MAX bytes), never a partial packet, and no acknowledgement
 * once no-ack mode is on.
 */
#include "stub.h"
#include "fake_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fake_target *toy;
static struct gdb_stub stub;	/* static, not malloc'd: no fresh pages per input */

/* Code that must not count as coverage (clang; gcc has no libFuzzer). */
#ifdef __clang__
#define NO_COVERAGE __attribute__((no_sanitize("coverage"), noinline))
#else
#define NO_COVERAGE __attribute__((noinline))
#endif

#define FAIL(...)                                                               \
	do {                                                                    \
		fprintf(stderr, "fuzz_rsp: " __VA_ARGS__);                      \
		fputc('\n', stderr);                                            \
		abort();                                                        \
	} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	toy = fake_new();
	if (!toy)
		FAIL("cannot set up the fake target");
	toy->machine = true;
	toy->strict = true;
	toy->exec_file = "/toy/machine.elf";
	return 0;
}

/*
 * gdb's side of the reply stream.  Not instrumented: what the stub sends
 * (checksums, memory contents) must not count as new coverage.
 */
static struct {
	enum { R_IDLE, R_DATA, R_ESCAPE, R_CSUM1, R_CSUM2 } state;
	uint8_t sum, want;
	size_t len;
} reply;

NO_COVERAGE
static int lower_hex(uint8_t b)
{
	return b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
}

NO_COVERAGE
static void check_reply_byte(uint8_t b, bool noack)
{
	switch (reply.state) {
	case R_IDLE:
		if (b == '$') {
			reply.state = R_DATA;
			reply.sum = 0;
			reply.want = 0;
			reply.len = 0;
		} else if (b != '+' && b != '-') {
			FAIL("stray byte %#x between replies", b);
		} else if (noack) {
			FAIL("'%c' sent in no-ack mode", b);
		}
		return;
	case R_DATA:
		if (b == '#') {
			reply.state = R_CSUM1;
			return;
		}
		if (b == '$' || b == '*')
			FAIL("unescaped '%c' in a reply", b);
		reply.sum = (uint8_t)(reply.sum + b);
		if (b == '}') {
			reply.state = R_ESCAPE;
			return;
		}
		reply.len++;
		return;
	case R_ESCAPE:
		if (!memchr("#$}*", b ^ 0x20, 4))
			FAIL("needless escape of %#x in a reply", b ^ 0x20);
		reply.sum = (uint8_t)(reply.sum + b);
		reply.len++;
		reply.state = R_DATA;
		return;
	case R_CSUM1:
	case R_CSUM2:
		if (lower_hex(b) < 0)
			FAIL("checksum digit %#x in a reply", b);
		reply.want = (uint8_t)(reply.want << 4 | lower_hex(b));
		if (reply.state == R_CSUM1) {
			reply.state = R_CSUM2;
			return;
		}
		if (reply.want != reply.sum)
			FAIL("a reply with a bad checksum");
		if (reply.len > GDB_PACKET_MAX)
			FAIL("a reply of %zu bytes, over GDB_PACKET_MAX", reply.len);
		reply.state = R_IDLE;
		return;
	}
}

/*
 * The connection's sink (stub.h): every write the stub makes is checked as
 * gdb would read it, at once.  A write is an acknowledgement or a whole
 * framed packet, so the stream is between replies after each.
 */
NO_COVERAGE
static int sink_write(void *ctx, const char *buf, size_t len)
{
	const struct gdb_stub *s = ctx;

	if (len == 0)
		FAIL("an empty write");
	for (size_t i = 0; i < len; i++) {
		if (reply.state == R_DATA) {	/* the run of plain data bytes */
			size_t j = i;
			uint8_t sum = reply.sum;

			for (; j < len; j++) {
				uint8_t c = (uint8_t)buf[j];

				if (c == '#' || c == '$' || c == '}' || c == '*')
					break;
				sum = (uint8_t)(sum + c);
			}
			reply.sum = sum;
			reply.len += j - i;
			i = j;
			if (i == len)
				break;
		}
		check_reply_byte((uint8_t)buf[i], s->noack);
	}
	if (reply.state != R_IDLE)
		FAIL("a partial reply");
	return 0;
}

NO_COVERAGE
static bool is_hex(uint8_t b)
{
	return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
}

/*
 * The length of the next read: up to and including the next
 * acknowledgement, interrupt byte or end of packet (good checksum or bad),
 * as packet.c's parser sees them, starting between packets.  gdb sends a
 * packet and waits, so that is where its reads end.
 */
NO_COVERAGE
static size_t next_read(const uint8_t *d, size_t n)
{
	enum { IDLE, DATA, ESCAPE, CSUM1, CSUM2 } state = IDLE;

	for (size_t i = 0; i < n; i++) {
		uint8_t b = d[i];

		if (b == '$') {		/* a packet starts (again) */
			state = DATA;
			continue;
		}
		switch (state) {
		case IDLE:
			if (b == '+' || b == '-' || b == 0x03)
				return i + 1;
			break;
		case DATA:
			state = b == '#' ? CSUM1 : b == '}' ? ESCAPE : DATA;
			break;
		case ESCAPE:
			state = DATA;
			break;
		case CSUM1:
			if (!is_hex(b))
				return i + 1;
			state = CSUM2;
			break;
		case CSUM2:
			return i + 1;
		}
	}
	return n;
}

/* A new gdb connection. */
static void connect_client(struct gdb_stub *s)
{
	reply.state = R_IDLE;
	gdb_server_attach(s, 0);
}

/* One read's worth of bytes has been handled: what poll() would see next. */
static void settle(struct gdb_stub *s)
{
	if (!s->ending && s->running)
		gdb_server_run_target(s);	/* a toy that keeps running: -EINTR */
	if (!s->ending && s->client_fd < 0)	/* detached: gdb comes back */
		connect_client(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gdb_stub *s = &stub;

	memset(s, 0, sizeof(*s));
	fake_machine_reset(toy);
	s->cfg = (struct gdb_server_config){ .host = "fuzz", .port = "0", .start_stopped = true,
					     .kill_on_quit = size & 1 };
	s->ops = &fake_ops;
	s->target = toy;
	s->listen_fd = -1;
	s->client_fd = -1;
	s->sink = (struct gdb_sink){ .write = sink_write, .ctx = s };
	s->last_stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	connect_client(s);

	for (size_t i = 0, n; i < size && !s->ending; i += n) {
		n = next_read(data + i, size - i);
		gdb_server_input(s, data + i, n);
		if (i + n < size && !s->ending && s->client_fd >= 0 && s->parser.state != RX_IDLE)
			FAIL("the harness cut a read where the parser is inside a packet");
		settle(s);
	}
	settle(s);

	/* gdb hangs up; then the server ends. */
	if (!s->ending && s->client_fd >= 0)
		gdb_server_input(s, NULL, 0);
	if (s->running) {
		struct gdb_stop ignored;

		fake_ops.interrupt(toy);
		s->running = false;
		if (fake_ops.run(toy, &ignored) != 0)
			FAIL("run() after interrupt() did not stop");
	}
	if (toy->running || toy->stop_ready)
		FAIL("the target is left running");
	return 0;
}
