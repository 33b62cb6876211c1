/*
 * uart.c - the COM1 16550 subset (see uart.h).
 *
 * Output to a terminal is written at once, so interactive guests feel
 * live; output to a pipe is flushed at each newline (a reader sees whole
 * lines as they come, as with stdio's line buffering); output to a regular
 * file is buffered.  All buffers are also flushed when full, when the guest
 * waits for input, and when the run stops, which keeps a chatty guest from
 * costing one write(2) per byte.
 */
#include "uart.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_regular_file(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

void uart_init(struct uart *u, int in_fd, int out_fd)
{
	*u = (struct uart){
		.rx = -1,
		.in_fd = in_fd,
		.in_eof = in_fd < 0,
		.out_fd = out_fd,
		.out_direct = isatty(out_fd) == 1,
		.out_lines = !is_regular_file(out_fd),
		.msr = 0xb0,	/* DCD, DSR, CTS: a peer is connected */
		.dll = 12,	/* 9600 baud, as the BIOS would leave it */
	};
}

/* Asked to stop, and the output cannot take a write without waiting?  (The
 * buffer is PIPE_BUF bytes, so a pipe with room takes it whole.) */
static bool stop_waiting(const struct uart *u)
{
	struct pollfd pfd = { .fd = u->out_fd, .events = POLLOUT };

	return u->give_up && u->give_up(u->give_up_ctx) && poll(&pfd, 1, 0) == 0;
}

int uart_flush(struct uart *u)
{
	size_t done = 0;

	while (done < u->outlen && !u->out_error) {
		ssize_t n;

		if (stop_waiting(u)) {
			memmove(u->outbuf, u->outbuf + done, u->outlen - done);
			u->outlen -= done;
			return -EINTR;
		}
		n = write(u->out_fd, u->outbuf + done, u->outlen - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* stdout may be a non-blocking pipe that is full: wait for room. */
			struct pollfd pfd = { .fd = u->out_fd, .events = POLLOUT };

			if (poll(&pfd, 1, -1) >= 0 || errno == EINTR)
				continue;
		}
		if (n <= 0) {
			u->out_error = true;
			u->outlen = 0;
			return n < 0 ? -errno : -EIO;
		}
		done += (size_t)n;
	}
	u->outlen = 0;
	return 0;
}

void uart_output(struct uart *u, uint8_t byte)
{
	u->tx_bytes++;
	u->last_out = byte;
	if (u->out_error)
		return;
	if (u->outlen == sizeof(u->outbuf)) {	/* a flush gave up: try again */
		uart_flush(u);
		if (u->out_error)
			return;
		if (u->outlen == sizeof(u->outbuf)) {
			u->out_dropped = true;	/* it gave up again: no room */
			return;
		}
	}
	u->outbuf[u->outlen++] = byte;
	if (u->out_direct || u->outlen == sizeof(u->outbuf) || (u->out_lines && byte == '\n'))
		uart_flush(u);
}

static void transmit(struct uart *u, uint8_t byte)
{
	if (u->mcr & UART_MCR_LOOP) {
		u->tx_bytes++;
		u->rx = byte;
		return;
	}
	uart_output(u, byte);
}

/* Fill the receiver from the input descriptor if a byte is ready now. */
static void poll_input(struct uart *u)
{
	struct pollfd pfd = { .fd = u->in_fd, .events = POLLIN };
	uint8_t byte;
	ssize_t n;

	if (u->rx >= 0 || u->in_eof || (u->mcr & UART_MCR_LOOP))
		return;
	if (poll(&pfd, 1, 0) <= 0)
		return;
	if (pfd.revents & POLLNVAL) {
		u->in_eof = true;
		return;
	}
	n = read(u->in_fd, &byte, 1);
	if (n == 1)
		u->rx = byte;
	else if (n == 0 || (errno != EINTR && errno != EAGAIN))
		u->in_eof = true;
}

static uint8_t read_reg(struct uart *u, uint16_t reg)
{
	uint8_t v;

	switch (reg) {
	case UART_RBR_THR:
		if (u->lcr & UART_LCR_DLAB)
			return u->dll;
		/* The guest is consuming input: let it see all output first. */
		uart_flush(u);
		poll_input(u);
		v = u->rx >= 0 ? (uint8_t)u->rx : 0;
		u->rx = -1;
		return v;
	case UART_IER:
		return (u->lcr & UART_LCR_DLAB) ? u->dlm : u->ier;
	case UART_IIR_FCR:
		/* No interrupt pending; FIFOs reported enabled when FCR bit 0 is set. */
		return (u->fcr & 1) ? 0xc1 : 0x01;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		poll_input(u);
		return UART_LSR_THRE | UART_LSR_TEMT | (u->rx >= 0 ? UART_LSR_DR : 0);
	case UART_MSR:
		if (u->mcr & UART_MCR_LOOP)	/* outputs wired back to inputs */
			return (uint8_t)(((u->mcr & 0x01) << 5) | ((u->mcr & 0x02) << 3) |
					 ((u->mcr & 0x04) << 4) | ((u->mcr & 0x08) << 4));
		return u->msr;
	case UART_SCR:
		return u->scr;
	default:
		return 0xff;
	}
}

static void write_reg(struct uart *u, uint16_t reg, uint8_t v)
{
	switch (reg) {
	case UART_RBR_THR:
		if (u->lcr & UART_LCR_DLAB)
			u->dll = v;
		else
			transmit(u, v);
		break;
	case UART_IER:
		if (u->lcr & UART_LCR_DLAB)
			u->dlm = v;
		else
			u->ier = v & 0x0f;
		break;
	case UART_IIR_FCR:
		u->fcr = v & 0xc9;	/* enable, DMA mode and trigger level stick */
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		u->mcr = v & 0x1f;
		break;
	case UART_MSR:
		u->msr = v;
		break;
	case UART_SCR:
		u->scr = v;
		break;
	default:
		break;	/* LSR is read-only */
	}
}

void uart_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	struct uart *u = ctx;

	/* A 16- or 32-bit access touches consecutive byte registers. */
	for (unsigned i = 0; i < size; i++) {
		uint16_t reg = (uint16_t)(offset + i);

		if (reg >= UART_NPORTS) {
			if (!is_write)
				data[i] = 0xff;
			continue;
		}
		if (is_write)
			write_reg(u, reg, data[i]);
		else
			data[i] = read_reg(u, reg);
	}
}
