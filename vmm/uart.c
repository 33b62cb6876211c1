/*
 * uart.c - the COM1 16550 subset (see uart.h).
 *
 * Output goes through an out_stream (outstream.c), which buffers it as
 * its descriptor's kind calls for; it is flushed before the guest reads
 * input, so a prompt is seen before the guest waits for the answer.
 */
#include "uart.h"

#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

void uart_init(struct uart *u, int in_fd, struct out_stream *out)
{
	*u = (struct uart){
		.rx = -1,
		.in_fd = in_fd,
		.in_eof = in_fd < 0,
		.out = out,
		.msr = 0xb0,	/* DCD, DSR, CTS: a peer is connected */
		.dll = 12,	/* 9600 baud, as the BIOS would leave it */
	};
}

int uart_flush(struct uart *u)
{
	return outstream_flush(u->out);
}

void uart_output(struct uart *u, uint8_t byte)
{
	u->tx_bytes++;
	outstream_put(u->out, byte);
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

/*
 * Whether a received byte waits (LSR's data ready).  stdin's bytes are
 * counted where the descriptor can say (FIONREAD: pipes, terminals, files)
 * and stay in stdin until the guest reads the receive register, so a
 * guest that only polls LSR to transmit takes no input from another
 * reader of stdin (the keyboard, kbd_input.h).
 */
static bool input_waiting(struct uart *u)
{
	int n;

	if (u->rx >= 0)
		return true;
	if (u->in_eof || (u->mcr & UART_MCR_LOOP))
		return false;
	if (ioctl(u->in_fd, FIONREAD, &n) == 0 && n > 0)
		return true;
	/* Nothing counted: the end of input shows as a read of 0 bytes (and a
	 * descriptor that cannot count gives its byte now). */
	poll_input(u);
	return u->rx >= 0;
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
		return UART_LSR_THRE | UART_LSR_TEMT | (input_waiting(u) ? UART_LSR_DR : 0);
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
