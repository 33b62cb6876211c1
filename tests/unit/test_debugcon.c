/* test_debugcon.c - tests the port-E9 debug console (vmm/debugcon.c) and the
 * output stream it shares with COM1 (vmm/outstream.c). */
#include "debugcon.h"
#include "helpers.h"
#include "outstream.h"
#include "pio.h"
#include "suites.h"
#include "tap.h"
#include "uart.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A stream into a pipe the test reads without waiting. */
struct piped {
	struct out_stream out;
	int r, w;
};

static bool pipe_stream(struct piped *p)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return false;
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	p->r = fds[0];
	p->w = fds[1];
	outstream_init(&p->out, p->w);
	return true;
}

static void unpipe(struct piped *p)
{
	close(p->r);
	close(p->w);
}

static size_t drain(int fd, char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size) {
		ssize_t r = read(fd, buf + n, size - 1 - n);

		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	return n;
}

static void put(struct debugcon *d, const char *s)
{
	for (; *s; s++) {
		uint8_t b = (uint8_t)*s;

		debugcon_pio(d, 0, &b, 1, true);
	}
}

static void test_reads(void)
{
	struct piped p;
	struct debugcon d;
	uint8_t data[4];

	if (!CHECK(pipe_stream(&p), "a pipe for the debug console"))
		return;
	debugcon_init(&d, &p.out);
	memset(data, 0, sizeof(data));
	debugcon_pio(&d, 0, data, 1, false);
	CHECK_HEX(data[0], 0xe9, "reading port 0xe9 gives 0xe9 (how guests detect it)");
	memset(data, 0, sizeof(data));
	debugcon_pio(&d, 0, data, 2, false);
	CHECK_HEX(data[0] | data[1] << 8, 0xffe9, "a 2-byte read gives 0xe9, then all ones");
	memset(data, 0, sizeof(data));
	debugcon_pio(&d, 0, data, 4, false);
	CHECK_HEX(data[0] | data[1] << 8 | data[2] << 16 | (uint32_t)data[3] << 24, 0xffffffe9,
		  "a 4-byte read gives 0xffffffe9");
	CHECK_INT(d.bytes, 0, "reads send nothing");
	CHECK_INT(p.out.len, 0, "and buffer nothing");
	unpipe(&p);
}

static void test_writes(void)
{
	struct piped p;
	struct debugcon d;
	char buf[64];
	uint8_t data[4];

	if (!CHECK(pipe_stream(&p), "a pipe for the debug console"))
		return;
	debugcon_init(&d, &p.out);
	put(&d, "E9");
	CHECK_INT(drain(p.r, buf, sizeof(buf)), 0, "bytes to a pipe wait for a newline");
	put(&d, " log\n");
	CHECK_INT(drain(p.r, buf, sizeof(buf)), 7, "a newline sends the line");
	CHECK_STR(buf, "E9 log\n", "the bytes come out unchanged, in order");
	memcpy(data, "AB\xff\xff", 4);
	debugcon_pio(&d, 0, data, 2, true);
	memcpy(data, "CDEF", 4);
	debugcon_pio(&d, 0, data, 4, true);
	CHECK_ERR(outstream_flush(&p.out), 0, "the stream flushes");
	CHECK_INT(drain(p.r, buf, sizeof(buf)), 2, "a 2- and a 4-byte write send one byte each");
	CHECK_STR(buf, "AC", "their low bytes (as Bochs and QEMU do)");
	CHECK_INT(d.bytes, 9, "bytes counts every write");
	unpipe(&p);
}

/* COM1 and the debug console share stdout's stream: what the guest wrote
 * first comes out first, whichever port it went to. */
static void test_shared_with_com1(void)
{
	struct piped p;
	struct debugcon d;
	struct uart u;
	struct pio_bus bus;
	char buf[64];
	uint8_t b, rep[3] = { 'r', 'e', 'p' };

	if (!CHECK(pipe_stream(&p), "a pipe for stdout"))
		return;
	uart_init(&u, -1, &p.out);
	debugcon_init(&d, &p.out);
	pio_bus_init(&bus, NULL);
	CHECK_ERR(pio_register(&bus, "com1", UART_COM1_BASE, UART_NPORTS, uart_pio, &u), 0,
		  "COM1 registers");
	CHECK_ERR(pio_register(&bus, "debugcon", DEBUGCON_PORT, DEBUGCON_NPORTS, debugcon_pio,
			       &d), 0, "the debug console registers at 0xe9");
	for (const char *s = "1a2b3"; *s; s++) {
		b = (uint8_t)*s;
		pio_dispatch(&bus, (*s >= '0' && *s <= '9') ? UART_COM1_BASE : DEBUGCON_PORT, &b,
			     1, 1, true);
	}
	pio_dispatch(&bus, DEBUGCON_PORT, rep, 1, 3, true);	/* rep outsb */
	b = '\n';
	pio_dispatch(&bus, UART_COM1_BASE, &b, 1, 1, true);
	CHECK_INT(drain(p.r, buf, sizeof(buf)), 9, "COM1's newline sends both devices' bytes");
	CHECK_STR(buf, "1a2b3rep\n", "interleaved in the order the guest wrote them");
	b = 0;
	pio_dispatch(&bus, DEBUGCON_PORT, &b, 1, 1, false);
	CHECK_HEX(b, 0xe9, "a read through the port bus gives 0xe9");
	b = 0;
	pio_dispatch(&bus, DEBUGCON_PORT + 1, &b, 1, 1, false);
	CHECK_HEX(b, 0xff, "port 0xea is not the console's");
	CHECK_INT(u.tx_bytes, 4, "COM1 counts only its own bytes");
	CHECK_INT(d.bytes, 5, "the console counts its own");
	put(&d, "x");
	b = 0;
	uart_pio(&u, UART_RBR_THR, &b, 1, false);
	CHECK_INT(drain(p.r, buf, sizeof(buf)), 1, "a COM1 input read flushes the console's bytes too");
	unpipe(&p);
}

static void test_open(void)
{
	char path[64], dir[64], fifo[80], buf[16];
	struct out_stream s;
	int fd, fd2;

	if (!CHECK(temp_file(path, "old contents", 12) == 0, "a temporary file"))
		return;
	fd = debugcon_open(path, -1);
	CHECK(fd >= 0, "debugcon_open opens an existing file");
	if (fd >= 0) {
		outstream_init(&s, fd);
		CHECK(!s.direct && !s.lines, "a regular file is fully buffered");
		outstream_put(&s, 'o');
		outstream_put(&s, 'k');
		outstream_put(&s, '\n');
		CHECK(outstream_finish(&s), "outstream_finish writes it out");
		close(fd);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK_INT(fd >= 0 ? drain(fd, buf, sizeof(buf)) : 0, 3, "the file was truncated first");
	CHECK_STR(buf, "ok\n", "and holds what was written");
	if (fd >= 0)
		close(fd);

	/* The same file as the shared descriptor: neither truncated nor reopened. */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	fd2 = fd >= 0 ? debugcon_open(path, fd) : -1;
	CHECK_INT(fd2, fd, "a FILE that is the shared descriptor's file gives that descriptor");
	if (fd >= 0) {
		CHECK_INT(drain(fd, buf, sizeof(buf)), 3, "and it was not truncated");
		close(fd);
	}
	unlink(path);

	strcpy(dir, "/tmp/gdbvm-unit-XXXXXX");
	if (!CHECK(mkdtemp(dir), "a temporary directory"))
		return;
	CHECK_ERR(debugcon_open(dir, -1), -EISDIR, "a directory is refused");
	snprintf(fifo, sizeof(fifo), "%s/missing/file", dir);
	CHECK_ERR(debugcon_open(fifo, -1), -ENOENT, "a file in a missing directory is refused");
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	if (CHECK(mkfifo(fifo, 0600) == 0, "a FIFO")) {
		CHECK_ERR(debugcon_open(fifo, -1), -ENXIO,
			  "a FIFO nobody reads is refused at once (no hang)");
		unlink(fifo);
	}
	rmdir(dir);
}

void test_debugcon(void)
{
	tap_suite("debugcon");
	test_reads();
	test_writes();
	test_shared_with_com1();
	test_open();
}
