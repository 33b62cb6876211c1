/* test_gdb_codec.c - tests the remote protocol codecs: hex (gdbstub/hex.c) and
 * packet framing and parsing (gdbstub/packet.c). */
#include "hex.h"
#include "packet.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void test_hex_digit(void)
{
	CHECK_INT(hex_digit('0'), 0, "hex_digit('0')");
	CHECK_INT(hex_digit('9'), 9, "hex_digit('9')");
	CHECK_INT(hex_digit('a'), 10, "hex_digit('a')");
	CHECK_INT(hex_digit('F'), 15, "hex_digit('F')");
	CHECK_INT(hex_digit('g'), -1, "hex_digit('g') is not a digit");
	CHECK_INT(hex_digit('/'), -1, "hex_digit('/') is not a digit");
	CHECK_INT(hex_digit(':'), -1, "hex_digit(':') is not a digit");
	CHECK_INT(hex_digit('@'), -1, "hex_digit('@') is not a digit");
	CHECK_INT(hex_digit('G'), -1, "hex_digit('G') is not a digit");
	CHECK_INT(hex_digit('\0'), -1, "hex_digit(NUL) is not a digit");
}

static void test_hex_encode(void)
{
	const uint8_t in[] = { 0x00, 0xab, 0xff, 0x12, 0x7f };
	char out[16];

	memset(out, 'Z', sizeof(out));
	hex_encode(in, sizeof(in), out);
	CHECK_MEM(out, "00abff127f", 10, "hex_encode gives lowercase pairs");
	CHECK(out[10] == 'Z', "hex_encode writes exactly 2*len digits, no terminator");
	memset(out, 'Z', sizeof(out));
	hex_encode(in, 0, out);
	CHECK(out[0] == 'Z', "hex_encode of nothing writes nothing");
}

static void test_hex_decode(void)
{
	uint8_t out[8];

	memset(out, 0xee, sizeof(out));
	CHECK_ERR(hex_decode("00ABff12", 8, out, 4), 0, "hex_decode of 8 digits into 4 bytes");
	CHECK_MEM(out, "\x00\xab\xff\x12", 4, "hex_decode accepts both cases");
	CHECK_HEX(out[4], 0xee, "hex_decode writes no byte past len");

	memset(out, 0xee, sizeof(out));
	CHECK_ERR(hex_decode("00abf", 5, out, 2), -EINVAL, "hex_decode rejects an odd length");
	CHECK_ERR(hex_decode("00abff", 6, out, 4), -EINVAL, "hex_decode rejects too few digits");
	CHECK_ERR(hex_decode("00abff1234", 10, out, 4), -EINVAL,
		  "hex_decode rejects too many digits");
	CHECK_ERR(hex_decode("0g", 2, out, 1), -EINVAL, "hex_decode rejects a bad low digit");
	CHECK_ERR(hex_decode("g0", 2, out, 1), -EINVAL, "hex_decode rejects a bad high digit");
	CHECK_ERR(hex_decode("12 4", 4, out, 2), -EINVAL, "hex_decode rejects a space");
	CHECK_ERR(hex_decode("", 0, out, 0), 0, "hex_decode of nothing into nothing");
	CHECK_HEX(out[5], 0xee, "failed decodes write no byte past len");
}

static void test_hex_parse(void)
{
	const char *end = NULL;
	uint64_t v = 0;
	static const char s1[] = "1234";
	static const char s2[] = "12,34";
	static const char max[] = "ffffffffffffffff";
	static const char big[] = "10000000000000000";
	static const char upper[] = "DeadBeef:";
	static const char xyz[] = "xyz";

	CHECK_ERR(hex_parse_u64(s1, s1 + 4, &v, &end), 0, "hex_parse_u64(\"1234\")");
	CHECK_HEX(v, 0x1234, "hex_parse_u64(\"1234\") value");
	CHECK(end == s1 + 4, "hex_parse_u64 ends at the limit");

	CHECK_ERR(hex_parse_u64(s2, s2 + 5, &v, &end), 0, "hex_parse_u64(\"12,34\")");
	CHECK_HEX(v, 0x12, "hex_parse_u64 stops at ','");
	CHECK(end == s2 + 2, "hex_parse_u64 *end points at the ','");

	CHECK_ERR(hex_parse_u64(s1, s1 + 2, &v, &end), 0, "hex_parse_u64 with a short limit");
	CHECK_HEX(v, 0x12, "hex_parse_u64 reads no digit past the limit");
	CHECK(end == s1 + 2, "hex_parse_u64 *end is the limit");

	CHECK_ERR(hex_parse_u64(upper, upper + 9, &v, &end), 0, "hex_parse_u64 of mixed case");
	CHECK_HEX(v, 0xdeadbeef, "hex_parse_u64(\"DeadBeef\") value");
	CHECK(end == upper + 8, "hex_parse_u64 stops at ':'");

	CHECK_ERR(hex_parse_u64(max, max + 16, &v, &end), 0, "hex_parse_u64 of 16 f digits");
	CHECK_HEX(v, UINT64_MAX, "hex_parse_u64 of 16 f digits is UINT64_MAX");

	v = 77;
	end = NULL;
	CHECK_ERR(hex_parse_u64(big, big + 17, &v, &end), -ERANGE,
		  "hex_parse_u64 rejects 17 significant digits");
	CHECK_ERR(hex_parse_u64(max, max, &v, &end), -EINVAL, "hex_parse_u64 of an empty range");
	CHECK_ERR(hex_parse_u64(s2 + 2, s2 + 5, &v, &end), -EINVAL,
		  "hex_parse_u64 with no digit before ','");
	CHECK_ERR(hex_parse_u64(xyz, xyz + 3, &v, &end), -EINVAL, "hex_parse_u64(\"xyz\")");
	CHECK_HEX(v, 77, "failed hex_parse_u64 leaves *out alone");
	CHECK(end == NULL, "failed hex_parse_u64 leaves *end alone");
}

/* The checksum of the bytes between '$' and '#' of a framed packet, compared
 * with the two digits after '#'. */
static bool frame_checksum_ok(const char *f, size_t n)
{
	const char *hash = memchr(f, '#', n);
	uint8_t sum = 0;
	uint8_t want;

	if (n < 4 || f[0] != '$' || !hash || (size_t)(hash - f) + 3 != n)
		return false;
	for (const char *p = f + 1; p < hash; p++)
		sum = (uint8_t)(sum + (uint8_t)*p);
	if (hex_decode(hash + 1, 2, &want, 1))
		return false;
	return want == sum;
}

static void test_frame(void)
{
	char out[64];
	size_t n;

	n = gdb_frame("OK", 2, out, sizeof(out));
	CHECK_INT(n, 6, "gdb_frame(\"OK\") length");
	CHECK_MEM(out, "$OK#9a", 6, "gdb_frame(\"OK\") is $OK#9a");

	n = gdb_frame("", 0, out, sizeof(out));
	CHECK_INT(n, 4, "gdb_frame of the empty reply");
	CHECK_MEM(out, "$#00", 4, "the empty reply is $#00");

	n = gdb_frame("g", 1, out, sizeof(out));
	CHECK_MEM(out, "$g#67", 5, "gdb_frame(\"g\") is $g#67");
	n = gdb_frame("qSupported", 10, out, sizeof(out));
	CHECK_INT(n, 14, "gdb_frame(\"qSupported\") length");
	CHECK_MEM(out, "$qSupported#37", 14, "gdb_frame(\"qSupported\") checksum 37");

	n = gdb_frame("a#b$c}d*e", 9, out, sizeof(out));
	CHECK_INT(n, 17, "gdb_frame escapes four bytes: 1 + 9 + 4 + 3");
	CHECK_MEM(out, "$a}\x03" "b}\x04" "c}]d}\x0a" "e#", 15,
		  "'#', '$', '}' and '*' become '}' then the byte xor 0x20");
	CHECK(frame_checksum_ok(out, n), "the checksum covers the escaped bytes");
	/* a + } + 03 + b + } + 04 + c + } + 5d + d + } + 0a + e = 0x551 */
	CHECK_MEM(out + 15, "51", 2, "escaped packet checksum is 51");

	n = gdb_frame("}", 1, out, sizeof(out));
	CHECK_MEM(out, "$}]#da", 6, "gdb_frame(\"}\") is $}]#da");

	CHECK_INT(gdb_frame("OK", 2, out, 5), 0, "gdb_frame with one byte too few returns 0");
	CHECK_INT(gdb_frame("OK", 2, out, 6), 6, "gdb_frame with exactly enough room");
	CHECK_INT(gdb_frame("", 0, out, 3), 0, "gdb_frame with cap 3 returns 0");
	CHECK_INT(gdb_frame("#", 1, out, 5), 0, "an escaped byte needs two bytes of room");
	CHECK_INT(gdb_frame("#", 1, out, 6), 6, "an escaped byte fits in 6");
}

/* Feed a byte string; return the last event that was not GDB_RX_NONE (or
 * NONE), and count the events seen. */
struct feed_result {
	enum gdb_rx_event last;
	unsigned events;
	size_t at;		/* index of the byte that gave the last event */
};

static struct feed_result feed(struct gdb_parser *p, const char *bytes, size_t n)
{
	struct feed_result r = { GDB_RX_NONE, 0, 0 };

	for (size_t i = 0; i < n; i++) {
		enum gdb_rx_event e = gdb_parser_feed(p, (uint8_t)bytes[i]);

		if (e != GDB_RX_NONE) {
			r.last = e;
			r.events++;
			r.at = i;
		}
	}
	return r;
}

#define FEED(p, lit) feed((p), (lit), sizeof(lit) - 1)

static void test_parser_basic(void)
{
	struct gdb_parser *p = malloc(sizeof(*p));
	struct feed_result r;

	if (!CHECK(p != NULL, "parser allocated"))
		return;
	gdb_parser_init(p);

	r = FEED(p, "$OK#9a");
	CHECK_INT(r.last, GDB_RX_PACKET, "a good packet");
	CHECK_INT(r.events, 1, "one event for one packet");
	CHECK_INT(r.at, 5, "the packet completes on the last checksum digit");
	CHECK_INT(p->len, 2, "packet length");
	CHECK_STR(p->data, "OK", "packet data, NUL-terminated");

	r = FEED(p, "$OK#9A");
	CHECK_INT(r.last, GDB_RX_PACKET, "an upper-case checksum is accepted");

	CHECK_INT(gdb_parser_feed(p, '+'), GDB_RX_ACK, "'+' is an ack");
	CHECK_INT(gdb_parser_feed(p, '-'), GDB_RX_NACK, "'-' is a nack");
	CHECK_INT(gdb_parser_feed(p, 0x03), GDB_RX_INTERRUPT, "0x03 is the interrupt");

	r = FEED(p, "xyz\r\n#00$g#67");
	CHECK_INT(r.last, GDB_RX_PACKET, "noise before '$' is ignored");
	CHECK_INT(r.events, 1, "noise gives no event");
	CHECK_STR(p->data, "g", "the packet after noise");

	r = FEED(p, "$OK#00");
	CHECK_INT(r.last, GDB_RX_BAD_CHECKSUM, "a bad checksum");
	r = FEED(p, "$OK#9a");
	CHECK_INT(r.last, GDB_RX_PACKET, "the parser recovers after a bad checksum");

	r = FEED(p, "$OK#z");
	CHECK_INT(r.last, GDB_RX_BAD_CHECKSUM, "a non-hex first checksum digit");
	CHECK_INT(r.at, 4, "reported at the bad digit");
	r = FEED(p, "$OK#9z");
	CHECK_INT(r.last, GDB_RX_BAD_CHECKSUM, "a non-hex second checksum digit");
	r = FEED(p, "$OK#9a");
	CHECK_INT(r.last, GDB_RX_PACKET, "the parser recovers after a non-hex checksum");

	r = FEED(p, "$}]#da");
	CHECK_INT(r.last, GDB_RX_PACKET, "an escaped packet ($}]#da)");
	CHECK_INT(p->len, 1, "an escape pair is one byte");
	CHECK(p->data[0] == '}', "\"}]\" is '}'");

	r = FEED(p, "$X}\x03}\x04}\x0a#e0");
	CHECK_INT(r.last, GDB_RX_PACKET, "escaped '#', '$', '*'");
	CHECK_MEM(p->data, "X#$*", 4, "escapes undone");
	CHECK_INT(p->len, 4, "escaped packet length");

	r = FEED(p, "$a}\x20" "b#60");
	CHECK_INT(r.last, GDB_RX_PACKET, "an escaped NUL");
	CHECK_INT(p->len, 3, "a packet holding a NUL has the right length");
	CHECK_MEM(p->data, "a\0b", 3, "the NUL is in the data");

	r = FEED(p, "$\x03#03");
	CHECK_INT(r.last, GDB_RX_PACKET, "0x03 inside a packet is data");
	CHECK_INT(r.events, 1, "0x03 inside a packet is no interrupt");

	r = FEED(p, "$abc$OK#9a");
	CHECK_INT(r.last, GDB_RX_PACKET, "a '$' inside a packet restarts it");
	CHECK_INT(r.events, 1, "the cut packet gives no event");
	CHECK_STR(p->data, "OK", "the restarted packet's data");

	/* Cut off after '#', after one checksum digit, after an escape: the
	 * next packet is still found, with no event for the cut one. */
	r = FEED(p, "$m1000,4#$OK#9a");
	CHECK_INT(r.last, GDB_RX_PACKET, "a '$' after '#' starts the next packet");
	CHECK_INT(r.events, 1, "a packet cut after '#' gives no event");
	CHECK_STR(p->data, "OK", "the packet after one cut after '#'");
	r = FEED(p, "$m1000,4#2$OK#9a");
	CHECK_INT(r.last, GDB_RX_PACKET, "a '$' for the second checksum digit starts a packet");
	CHECK_INT(r.events, 1, "a packet cut in its checksum gives no event");
	CHECK_STR(p->data, "OK", "the packet after one cut in its checksum");
	r = FEED(p, "$X1000,1:}$OK#9a");
	CHECK_INT(r.last, GDB_RX_PACKET, "a '$' after '}' starts a packet");
	CHECK_INT(r.events, 1, "a packet cut after '}' gives no event");
	CHECK_STR(p->data, "OK", "the packet after one cut after '}'");

	r = FEED(p, "+$g#67+$OK#9a-");
	CHECK_INT(r.events, 5, "acks and packets back to back: five events");
	CHECK_INT(r.last, GDB_RX_NACK, "the last of them is the nack");
	CHECK_STR(p->data, "OK", "the second packet's data");

	r = FEED(p, "$#00");
	CHECK_INT(r.last, GDB_RX_PACKET, "the empty packet");
	CHECK_INT(p->len, 0, "the empty packet's length");
	free(p);
}

static void test_parser_long(void)
{
	struct gdb_parser *p = malloc(sizeof(*p));
	size_t n = GDB_PACKET_MAX + 1;
	char *buf = malloc(n + 8);
	char *framed = malloc(2 * (GDB_PACKET_MAX + 8));
	struct feed_result r;
	size_t flen;

	if (!CHECK(p && buf && framed, "buffers allocated")) {
		free(p);
		free(buf);
		free(framed);
		return;
	}
	gdb_parser_init(p);

	memset(buf, 'a', n);
	flen = gdb_frame(buf, GDB_PACKET_MAX, framed, 2 * (GDB_PACKET_MAX + 8));
	r = feed(p, framed, flen);
	CHECK_INT(r.last, GDB_RX_PACKET, "a packet of exactly GDB_PACKET_MAX bytes is accepted");
	CHECK_INT(p->len, GDB_PACKET_MAX, "its length");

	flen = gdb_frame(buf, n, framed, 2 * (GDB_PACKET_MAX + 8));
	r = feed(p, framed, flen);
	CHECK_INT(r.last, GDB_RX_TOO_LONG, "a packet longer than GDB_PACKET_MAX is too long");
	CHECK_INT(r.events, 1, "one event for it");
	r = FEED(p, "$OK#9a");
	CHECK_INT(r.last, GDB_RX_PACKET, "the parser recovers after a too-long packet");
	CHECK_STR(p->data, "OK", "the packet after the too-long one");

	/* Escapes count once: GDB_PACKET_MAX '}' bytes escape to twice as many. */
	memset(buf, '}', GDB_PACKET_MAX);
	flen = gdb_frame(buf, GDB_PACKET_MAX, framed, 2 * (GDB_PACKET_MAX + 8));
	CHECK_INT(flen, 2 * GDB_PACKET_MAX + 4, "framed length of GDB_PACKET_MAX escaped bytes");
	r = feed(p, framed, flen);
	CHECK_INT(r.last, GDB_RX_PACKET, "GDB_PACKET_MAX bytes after unescaping fit");
	CHECK_INT(p->len, GDB_PACKET_MAX, "unescaped length");
	CHECK(p->data[0] == '}' && p->data[GDB_PACKET_MAX - 1] == '}', "unescaped data");

	free(p);
	free(buf);
	free(framed);
}

static void test_parser_split(void)
{
	struct gdb_parser *p = malloc(sizeof(*p));
	char payload[256], framed[600];
	size_t flen;
	bool quiet = true;
	enum gdb_rx_event e = GDB_RX_NONE;

	if (!CHECK(p != NULL, "parser allocated"))
		return;
	gdb_parser_init(p);

	/* Every byte value, framed, then fed one byte per call. */
	for (unsigned i = 0; i < 256; i++)
		payload[i] = (char)i;
	flen = gdb_frame(payload, 256, framed, sizeof(framed));
	CHECK(flen > 256 + 4, "all 256 byte values framed");
	CHECK(frame_checksum_ok(framed, flen), "framed checksum matches its bytes");
	for (size_t i = 0; i < flen; i++) {
		e = gdb_parser_feed(p, (uint8_t)framed[i]);
		if (i + 1 < flen && e != GDB_RX_NONE)
			quiet = false;
	}
	CHECK(quiet, "no event before the last byte of a packet fed bytewise");
	CHECK_INT(e, GDB_RX_PACKET, "the packet completes on its last byte");
	CHECK_INT(p->len, 256, "round trip length");
	CHECK_MEM(p->data, payload, 256, "gdb_frame then gdb_parser_feed gives the payload back");

	/* Two packets in chunks of 3 bytes. */
	{
		static const char stream[] = "$qC#b4$qfThreadInfo#bb";
		unsigned packets = 0;

		for (size_t i = 0; i < sizeof(stream) - 1; i += 3) {
			size_t m = sizeof(stream) - 1 - i < 3 ? sizeof(stream) - 1 - i : 3;
			struct feed_result r = feed(p, stream + i, m);

			packets += r.last == GDB_RX_PACKET;
		}
		CHECK_INT(packets, 2, "two packets fed in 3-byte chunks");
		CHECK_STR(p->data, "qfThreadInfo", "the second packet's data");
	}
	free(p);
}

/* Append ev (and the packet it completed) to log; returns the new length. */
static size_t log_event(const struct gdb_parser *p, enum gdb_rx_event ev, char *log, size_t len,
			size_t cap)
{
	if (ev == GDB_RX_NONE || len + 2 + p->len >= cap)
		return len;
	log[len++] = (char)('0' + ev);
	if (ev == GDB_RX_PACKET) {
		memcpy(log + len, p->data, p->len);
		len += p->len;
	}
	log[len++] = '|';
	return len;
}

/* Feed buf the way server.c does (the fast path for runs of plain data,
 * then one byte), recording every event and the packet it completed. */
static size_t feed_fast(struct gdb_parser *p, const uint8_t *buf, size_t n, char *log, size_t cap)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		i += gdb_parser_feed_data(p, buf + i, n - i);
		if (i == n)
			break;
		len = log_event(p, gdb_parser_feed(p, buf[i]), log, len, cap);
	}
	return len;
}

static size_t feed_slow(struct gdb_parser *p, const uint8_t *buf, size_t n, char *log, size_t cap)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len = log_event(p, gdb_parser_feed(p, buf[i]), log, len, cap);
	return len;
}

/*
 * The fast path takes runs of plain packet data at once: on any stream it
 * must give exactly what feeding byte by byte gives.  Random streams rich
 * in the bytes that matter ('$', '#', '}', hex digits, '+', '-', 0x03),
 * with long runs of plain data and packets over GDB_PACKET_MAX, cut into
 * random chunks as recv() would.
 */
static void test_parser_fast_path(void)
{
	static const uint8_t special[] = "$#}+-\x03" "0123456789abcdef";
	const size_t size = 3 * GDB_PACKET_MAX;
	uint8_t *buf = malloc(size);
	char *log_fast = malloc(1 << 20), *log_slow = malloc(1 << 20);
	struct gdb_parser *fast = malloc(sizeof(*fast)), *slow = malloc(sizeof(*slow));
	unsigned seed = 12345, same = 0, runs = 200;

	if (!CHECK(buf && log_fast && log_slow && fast && slow, "buffers allocated"))
		goto out;
	for (unsigned r = 0; r < runs; r++) {
		size_t n = 0, lf = 0, ls, at = 0;

		while (n < size) {	/* a mix of plain runs and special bytes */
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 4 == 0) {
				buf[n++] = special[(seed >> 8) % (sizeof(special) - 1)];
			} else {
				size_t run = (seed >> 12) % (r % 3 == 0 ? 20000 : 64);

				for (size_t k = 0; k < run && n < size; k++)
					buf[n++] = (uint8_t)('A' + (k * 7 + r) % 26);
			}
		}
		gdb_parser_init(fast);
		gdb_parser_init(slow);
		while (at < n) {	/* the fast parser gets recv()-sized chunks */
			size_t chunk;

			seed = seed * 1103515245u + 12345u;
			chunk = 1 + (seed >> 10) % 20000;
			if (chunk > n - at)
				chunk = n - at;
			lf += feed_fast(fast, buf + at, chunk, log_fast + lf, (1 << 20) - lf);
			at += chunk;
		}
		ls = feed_slow(slow, buf, n, log_slow, 1 << 20);
		if (lf == ls && memcmp(log_fast, log_slow, lf) == 0 && fast->state == slow->state &&
		    fast->len == slow->len && fast->sum == slow->sum && fast->overflow == slow->overflow)
			same++;
	}
	CHECK_INT(same, runs, "fast path and byte-by-byte agree on %u random streams", runs);
	gdb_parser_init(fast);
	CHECK_INT(gdb_parser_feed_data(fast, (const uint8_t *)"abc", 3), 0,
		  "outside a packet the fast path takes nothing");
	gdb_parser_feed(fast, '$');
	CHECK_INT(gdb_parser_feed_data(fast, (const uint8_t *)"Xab}cd#00", 9), 3,
		  "inside one it takes the plain run and stops at '}'");
	CHECK_INT(fast->len, 3, "and stored those 3 bytes");
out:
	free(buf);
	free(log_fast);
	free(log_slow);
	free(fast);
	free(slow);
}

void test_gdb_codec(void)
{
	tap_suite("gdbstub codecs (hex.c, packet.c)");
	test_hex_digit();
	test_hex_encode();
	test_hex_decode();
	test_hex_parse();
	test_frame();
	test_parser_basic();
	test_parser_long();
	test_parser_split();
	test_parser_fast_path();
}
