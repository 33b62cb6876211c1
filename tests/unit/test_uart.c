/* test_uart.c - tests the COM1 16550 subset through pipes (vmm/uart.c). */
#include "suites.h"
#include "tap.h"
#include "uart.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A UART wired to two pipes: the test writes in_w and reads out_r. */
struct wired {
	struct uart u;
	struct out_stream out;
	int in_r, in_w, out_r, out_w;
};

static bool wire(struct wired *w)
{
	int in[2], out[2];

	if (pipe2(in, O_CLOEXEC) < 0)
		return false;
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return false;
	}
	fcntl(out[0], F_SETFL, O_NONBLOCK);	/* reading an empty pipe must not hang */
	w->in_r = in[0];
	w->in_w = in[1];
	w->out_r = out[0];
	w->out_w = out[1];
	outstream_init(&w->out, w->out_w);
	uart_init(&w->u, w->in_r, &w->out);
	return true;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void unwire(struct wired *w)
{
	close_fd(&w->in_r);
	close_fd(&w->in_w);
	close_fd(&w->out_r);
	close_fd(&w->out_w);
}

static void reg_write(struct uart *u, uint16_t reg, uint8_t v)
{
	uart_pio(u, reg, &v, 1, true);
}

static uint8_t reg_read(struct uart *u, uint16_t reg)
{
	uint8_t v = 0x5a;

	uart_pio(u, reg, &v, 1, false);
	return v;
}

/* Read what is in the output pipe now (without waiting), NUL-terminated. */
static size_t drain(struct wired *w, char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size) {
		ssize_t r = read(w->out_r, buf + n, size - 1 - n);

		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	return n;
}

static void test_reset_state(void)
{
	struct wired w;

	if (!CHECK(wire(&w), "pipes for the UART"))
		return;
	CHECK(!w.out.direct, "output to a pipe is buffered, not direct");
	CHECK_HEX(reg_read(&w.u, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT,
		  "LSR is THRE|TEMT with no input waiting");
	CHECK_HEX(reg_read(&w.u, UART_IIR_FCR), 0x01, "IIR is 0x01 (no interrupt) at reset");
	CHECK_HEX(reg_read(&w.u, UART_MSR), 0xb0, "MSR says DCD, DSR, CTS");
	CHECK_HEX(reg_read(&w.u, UART_RBR_THR), 0, "RBR with no input reads 0");
	unwire(&w);

	outstream_init(&w.out, -1);
	uart_init(&w.u, -1, &w.out);
	CHECK(w.u.in_eof, "uart_init with in_fd -1 has no input");
	CHECK_HEX(reg_read(&w.u, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT,
		  "LSR without an input descriptor has no DR");
}

static void test_transmit(void)
{
	struct wired w;
	char buf[64];

	if (!CHECK(wire(&w), "pipes for the UART"))
		return;
	CHECK(w.out.lines, "output to a pipe is line-buffered");
	reg_write(&w.u, UART_RBR_THR, 'H');
	reg_write(&w.u, UART_RBR_THR, 'i');
	CHECK_INT(drain(&w, buf, sizeof(buf)), 0, "THR bytes are buffered until a newline");
	reg_write(&w.u, UART_RBR_THR, '\n');
	CHECK_INT(drain(&w, buf, sizeof(buf)), 3, "a newline flushes the line to a pipe");
	CHECK_MEM(buf, "Hi\n", 3, "the line comes out in order, unchanged");
	reg_write(&w.u, UART_RBR_THR, 0);
	CHECK_INT(drain(&w, buf, sizeof(buf)), 0, "a byte after the newline waits");
	CHECK_ERR(uart_flush(&w.u), 0, "uart_flush succeeds");
	CHECK_INT(drain(&w, buf, sizeof(buf)), 1, "uart_flush writes the rest");
	CHECK_MEM(buf, "\0", 1, "the NUL byte comes out unchanged");
	CHECK_INT(w.u.tx_bytes, 4, "tx_bytes counts them");
	CHECK_ERR(uart_flush(&w.u), 0, "a second uart_flush succeeds");
	CHECK_INT(drain(&w, buf, sizeof(buf)), 0, "and writes nothing more");

	reg_write(&w.u, UART_RBR_THR, 'x');
	reg_read(&w.u, UART_RBR_THR);
	CHECK_INT(drain(&w, buf, sizeof(buf)), 1, "reading RBR flushes pending output first");
	unwire(&w);
}

static void test_receive(void)
{
	struct wired w;

	if (!CHECK(wire(&w), "pipes for the UART"))
		return;
	CHECK_INT(write(w.in_w, "ab", 2), 2, "two input bytes written");
	CHECK_HEX(reg_read(&w.u, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT | UART_LSR_DR,
		  "LSR has DR when input is waiting");
	CHECK_HEX(reg_read(&w.u, UART_LSR) & UART_LSR_DR, UART_LSR_DR,
		  "LSR keeps DR until RBR is read");
	CHECK_HEX(reg_read(&w.u, UART_RBR_THR), 'a', "RBR gives the first byte");
	CHECK_HEX(reg_read(&w.u, UART_RBR_THR), 'b', "RBR gives the second byte");
	CHECK_HEX(reg_read(&w.u, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT,
		  "LSR drops DR once the input is consumed");
	CHECK(!w.u.in_eof, "an empty but open input is not EOF");

	CHECK_INT(write(w.in_w, "c", 1), 1, "one more input byte written");
	close_fd(&w.in_w);
	CHECK_HEX(reg_read(&w.u, UART_RBR_THR), 'c', "a byte written before EOF is received");
	CHECK_HEX(reg_read(&w.u, UART_LSR) & UART_LSR_DR, 0, "LSR has no DR at EOF");
	CHECK(w.u.in_eof, "EOF on input is noticed");
	CHECK_HEX(reg_read(&w.u, UART_LSR) & UART_LSR_DR, 0, "LSR stays without DR after EOF");
	CHECK_HEX(reg_read(&w.u, UART_RBR_THR), 0, "RBR reads 0 after EOF");
	unwire(&w);
}

static void test_registers(void)
{
	struct wired w;
	char buf[16];

	if (!CHECK(wire(&w), "pipes for the UART"))
		return;

	/* Divisor latch */
	reg_write(&w.u, UART_IER, 0x05);
	reg_write(&w.u, UART_LCR, UART_LCR_DLAB | 0x03);
	CHECK_HEX(reg_read(&w.u, UART_RBR_THR), 12, "DLL reads 12 (9600 baud) at reset");
	reg_write(&w.u, UART_RBR_THR, 0x01);
	reg_write(&w.u, UART_IER, 0x02);
	CHECK_HEX(reg_read(&w.u, UART_RBR_THR), 0x01, "DLL keeps its value");
	CHECK_HEX(reg_read(&w.u, UART_IER), 0x02, "DLM keeps its value");
	CHECK_HEX(reg_read(&w.u, UART_LCR), 0x83, "LCR reads back with DLAB");
	uart_flush(&w.u);
	CHECK_INT(drain(&w, buf, sizeof(buf)), 0, "a THR write with DLAB set does not transmit");
	CHECK_INT(w.u.tx_bytes, 0, "and is not counted as transmitted");
	reg_write(&w.u, UART_LCR, 0x03);
	CHECK_HEX(reg_read(&w.u, UART_IER), 0x05, "IER is back once DLAB is clear");
	CHECK_HEX(w.u.dll | w.u.dlm << 8, 0x0201, "the divisor is 0x0201");

	/* Read-back registers */
	reg_write(&w.u, UART_IER, 0x0f);
	CHECK_HEX(reg_read(&w.u, UART_IER), 0x0f, "IER reads back 0x0f");
	reg_write(&w.u, UART_IER, 0xf3);
	CHECK_HEX(reg_read(&w.u, UART_IER), 0x03, "IER keeps only its four defined bits");
	reg_write(&w.u, UART_LCR, 0x1b);
	CHECK_HEX(reg_read(&w.u, UART_LCR), 0x1b, "LCR reads back");
	reg_write(&w.u, UART_MCR, 0x0b);
	CHECK_HEX(reg_read(&w.u, UART_MCR), 0x0b, "MCR reads back");
	reg_write(&w.u, UART_SCR, 0xa5);
	CHECK_HEX(reg_read(&w.u, UART_SCR), 0xa5, "SCR reads back");
	reg_write(&w.u, UART_LSR, 0x00);
	CHECK_HEX(reg_read(&w.u, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT, "LSR is read-only");

	/* FIFO control and interrupt identification */
	CHECK_HEX(reg_read(&w.u, UART_IIR_FCR), 0x01, "IIR is 0x01 without FIFOs");
	reg_write(&w.u, UART_IIR_FCR, 0xc7);
	CHECK_HEX(reg_read(&w.u, UART_IIR_FCR), 0xc1, "IIR is 0xc1 after FCR bit 0");
	reg_write(&w.u, UART_IIR_FCR, 0x00);
	CHECK_HEX(reg_read(&w.u, UART_IIR_FCR), 0x01, "IIR is 0x01 again after FCR 0");
	unwire(&w);
}

static void test_loopback(void)
{
	struct wired w;
	char buf[16];

	if (!CHECK(wire(&w), "pipes for the UART"))
		return;
	CHECK_INT(write(w.in_w, "i", 1), 1, "an input byte waits outside the loop");
	reg_write(&w.u, UART_MCR, UART_MCR_LOOP | 0x03);
	reg_write(&w.u, UART_RBR_THR, 0xae);
	CHECK_HEX(reg_read(&w.u, UART_LSR) & UART_LSR_DR, UART_LSR_DR,
		  "loopback: the THR byte makes DR");
	CHECK_HEX(reg_read(&w.u, UART_RBR_THR), 0xae, "loopback: the THR byte comes back on RBR");
	CHECK_HEX(reg_read(&w.u, UART_LSR) & UART_LSR_DR, 0,
		  "loopback: no DR once read (outside input is not looked at)");
	uart_flush(&w.u);
	CHECK_INT(drain(&w, buf, sizeof(buf)), 0, "loopback: nothing goes to the output");
	CHECK_HEX(reg_read(&w.u, UART_MSR), 0x30, "loopback MSR: DTR|RTS show as DSR|CTS");
	reg_write(&w.u, UART_MCR, UART_MCR_LOOP | 0x0c);
	CHECK_HEX(reg_read(&w.u, UART_MSR), 0xc0, "loopback MSR: OUT1|OUT2 show as RI|DCD");

	reg_write(&w.u, UART_MCR, 0x03);
	CHECK_HEX(reg_read(&w.u, UART_RBR_THR), 'i', "out of loopback, real input is read again");
	reg_write(&w.u, UART_RBR_THR, 'o');
	uart_flush(&w.u);
	CHECK_INT(drain(&w, buf, sizeof(buf)), 1, "out of loopback, THR goes to the output");
	unwire(&w);
}

static void test_wide_access(void)
{
	struct wired w;
	uint8_t data[4];
	char buf[16];

	if (!CHECK(wire(&w), "pipes for the UART"))
		return;
	data[0] = 'W';
	data[1] = 0x05;
	uart_pio(&w.u, 0, data, 2, true);
	uart_flush(&w.u);
	CHECK_INT(drain(&w, buf, sizeof(buf)), 1, "a 16-bit write at offset 0 transmits one byte");
	CHECK_HEX(buf[0], 'W', "the low byte goes to THR");
	CHECK_HEX(reg_read(&w.u, UART_IER), 0x05, "the high byte goes to IER");

	reg_write(&w.u, UART_SCR, 0x77);
	memset(data, 0, sizeof(data));
	uart_pio(&w.u, UART_SCR, data, 2, false);
	CHECK_HEX(data[0], 0x77, "a 16-bit read at offset 7 gives SCR in data[0]");
	CHECK_HEX(data[1], 0xff, "and 0xff in data[1], past the UART");
	memset(data, 0, sizeof(data));
	uart_pio(&w.u, UART_LSR, data, 4, false);
	CHECK(data[0] == 0x60 && data[1] == 0xb0 && data[2] == 0x77 && data[3] == 0xff,
	      "a 32-bit read at offset 5 gives LSR, MSR, SCR, 0xff");
	data[0] = 0x11;
	data[1] = 0x22;
	uart_pio(&w.u, UART_SCR, data, 2, true);
	CHECK_HEX(reg_read(&w.u, UART_SCR), 0x11, "a 16-bit write at offset 7 sets SCR only");
	unwire(&w);
}

static void test_output_buffer(void)
{
	struct wired w;
	char *buf = malloc(OUTSTREAM_BUF_SIZE + 16);
	size_t n;

	if (!CHECK(wire(&w), "pipes for the UART")) {
		free(buf);
		return;
	}
	for (unsigned i = 0; i < OUTSTREAM_BUF_SIZE - 1; i++)
		reg_write(&w.u, UART_RBR_THR, (uint8_t)('a' + i % 26));
	CHECK_INT(drain(&w, buf, OUTSTREAM_BUF_SIZE + 16), 0,
		  "%d bytes stay in the buffer", OUTSTREAM_BUF_SIZE - 1);
	reg_write(&w.u, UART_RBR_THR, '!');
	n = drain(&w, buf, OUTSTREAM_BUF_SIZE + 16);
	CHECK_INT(n, OUTSTREAM_BUF_SIZE, "the %dth byte flushes the buffer by itself",
		  OUTSTREAM_BUF_SIZE);
	CHECK(n == OUTSTREAM_BUF_SIZE && buf[0] == 'a' && buf[26] == 'a' &&
	      buf[OUTSTREAM_BUF_SIZE - 1] == '!', "the flushed bytes are in order");
	reg_write(&w.u, UART_RBR_THR, 'z');
	CHECK_INT(drain(&w, buf, OUTSTREAM_BUF_SIZE + 16), 0, "the next byte is buffered again");
	uart_flush(&w.u);
	CHECK_INT(drain(&w, buf, OUTSTREAM_BUF_SIZE + 16), 1, "and comes out on uart_flush");
	CHECK_INT(w.u.tx_bytes, OUTSTREAM_BUF_SIZE + 1, "tx_bytes counts every byte");
	unwire(&w);
	free(buf);
}

static void test_broken_output(void)
{
	struct wired w;

	if (!CHECK(wire(&w), "pipes for the UART"))
		return;
	close_fd(&w.out_r);	/* nobody reads the output any more */
	reg_write(&w.u, UART_RBR_THR, 'a');
	CHECK_ERR(uart_flush(&w.u), -EPIPE, "uart_flush to a closed pipe is -EPIPE");
	CHECK(w.out.error, "out_error is set");
	for (unsigned i = 0; i < OUTSTREAM_BUF_SIZE + 10; i++)
		reg_write(&w.u, UART_RBR_THR, 'b');
	CHECK_INT(w.out.len, 0, "after an output error, bytes are dropped, not buffered");
	CHECK_ERR(uart_flush(&w.u), 0, "uart_flush after the error has nothing to do");
	CHECK_INT(w.u.tx_bytes, OUTSTREAM_BUF_SIZE + 11, "the guest still transmitted them");
	CHECK_HEX(reg_read(&w.u, UART_LSR) & (UART_LSR_THRE | UART_LSR_TEMT),
		  UART_LSR_THRE | UART_LSR_TEMT, "the transmitter still looks ready");

	/* The buffer filling up with the reader gone: the flush inside
	 * transmit() fails; nothing crashes. */
	unwire(&w);
	if (!CHECK(wire(&w), "pipes for the UART"))
		return;
	close_fd(&w.out_r);
	for (unsigned i = 0; i < OUTSTREAM_BUF_SIZE * 2; i++)
		reg_write(&w.u, UART_RBR_THR, 'c');
	CHECK(w.out.error, "a full buffer that cannot be written sets out_error");
	CHECK_INT(w.out.len, 0, "and nothing more is buffered");
	unwire(&w);
}

static bool stop_flag;

static bool stop_asked(void *ctx)
{
	(void)ctx;
	return stop_flag;
}

/* A reader that stalls: once a stop is asked for, flushing gives up at
 * once (keeping the bytes, in order) instead of waiting for room. */
static void test_stalled_output(void)
{
	struct wired w;
	char *buf = malloc(128 * 1024);
	size_t n = 0, got;
	int flags;

	if (!CHECK(buf && wire(&w), "pipes for the UART")) {
		free(buf);
		return;
	}
	w.out.give_up = stop_asked;
	w.out.give_up_ctx = NULL;
	flags = fcntl(w.out_w, F_GETFL);
	fcntl(w.out_w, F_SETFL, flags | O_NONBLOCK);
	while (write(w.out_w, "f", 1) == 1)
		n++;
	fcntl(w.out_w, F_SETFL, flags);	/* a full, blocking pipe, as a stalled stdout */
	stop_flag = true;
	reg_write(&w.u, UART_RBR_THR, 'x');
	reg_write(&w.u, UART_RBR_THR, '\n');	/* a pipe is flushed at each newline */
	CHECK_INT(w.out.len, 2, "a flush to a full pipe gives up when a stop is asked for");
	CHECK_ERR(uart_flush(&w.u), -EINTR, "uart_flush then returns -EINTR at once");
	for (unsigned i = 0; i < OUTSTREAM_BUF_SIZE; i++)
		reg_write(&w.u, UART_RBR_THR, 'y');
	CHECK_INT(w.out.len, OUTSTREAM_BUF_SIZE, "the buffer fills up, nothing blocks");
	CHECK(w.out.dropped, "a byte with no room left is dropped, and that is recorded");
	CHECK(!w.out.error, "no output error: the reader is only slow");
	got = drain(&w, buf, 128 * 1024);
	CHECK_INT(got, n, "the reader catches up (%zu bytes)", n);
	stop_flag = false;
	CHECK_ERR(uart_flush(&w.u), 0, "with room and no stop asked for, the flush completes");
	got = drain(&w, buf, 128 * 1024);
	CHECK_INT(got, OUTSTREAM_BUF_SIZE, "every kept byte comes out");
	CHECK(got == OUTSTREAM_BUF_SIZE && memcmp(buf, "x\nyyy", 5) == 0 &&
	      buf[OUTSTREAM_BUF_SIZE - 1] == 'y', "in order");
	unwire(&w);
	free(buf);
}

/* LSR counts what stdin holds without taking it: a guest that polls LSR
 * only to transmit leaves the bytes to another reader (the keyboard). */
static void test_lsr_leaves_input(void)
{
	struct wired w;
	char c = 0;

	if (!CHECK(wire(&w), "pipes for the UART"))
		return;
	CHECK_INT(write(w.in_w, "k", 1), 1, "one input byte written");
	CHECK_HEX(reg_read(&w.u, UART_LSR) & UART_LSR_DR, UART_LSR_DR, "LSR has DR");
	CHECK(read(w.in_r, &c, 1) == 1 && c == 'k', "and the byte is still in the pipe");
	CHECK_HEX(reg_read(&w.u, UART_LSR) & UART_LSR_DR, 0, "taken by another reader: no DR");
	unwire(&w);
}

void test_uart(void)
{
	tap_suite("uart");
	test_reset_state();
	test_transmit();
	test_receive();
	test_lsr_leaves_input();
	test_registers();
	test_loopback();
	test_wide_access();
	test_output_buffer();
	test_broken_output();
	test_stalled_output();
}
