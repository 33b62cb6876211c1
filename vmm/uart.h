/*
 * uart.h - COM1: the subset of a 16550A that guest code really uses.
 *
 * Transmitted bytes go to an output stream (stdout's, which the debug
 * console shares), received bytes come from an input descriptor (stdin),
 * never blocking.  The registers a
 * driver programs (IER, FCR, LCR, MCR, SCR, the divisor latch) keep their
 * values, and loopback mode (MCR bit 4) echoes transmitted bytes back into
 * the receiver so the usual "is there a UART here?" probe passes.
 */
#ifndef GDBVM_UART_H
#define GDBVM_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outstream.h"

#define UART_COM1_BASE 0x3f8
#define UART_NPORTS 8

/* Register offsets from the base port. */
enum {
	UART_RBR_THR = 0,	/* receive buffer / transmit holding; DLL when DLAB */
	UART_IER = 1,		/* interrupt enable; DLM when DLAB */
	UART_IIR_FCR = 2,	/* interrupt identification (read) / FIFO control (write) */
	UART_LCR = 3,		/* line control; bit 7 is DLAB */
	UART_MCR = 4,		/* modem control; bit 4 is loopback */
	UART_LSR = 5,		/* line status */
	UART_MSR = 6,		/* modem status */
	UART_SCR = 7,		/* scratch */
};

#define UART_LCR_DLAB	0x80
#define UART_MCR_LOOP	0x10
#define UART_LSR_DR	0x01	/* a received byte is waiting */
#define UART_LSR_THRE	0x20	/* transmit holding register empty */
#define UART_LSR_TEMT	0x40	/* transmitter empty */

struct uart {
	uint8_t ier, fcr, lcr, mcr, msr, scr, dll, dlm;
	int rx;			/* byte waiting in the receiver, or -1 */
	int in_fd;		/* -1: no input */
	bool in_eof;
	struct out_stream *out;	/* where transmitted bytes go */
	uint64_t tx_bytes;	/* bytes the guest transmitted */
};

void uart_init(struct uart *u, int in_fd, struct out_stream *out);

/* pio_handler for the eight UART ports. */
void uart_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);

/* Send a byte to the output as the transmitter does with the line in its
 * normal state (no divisor latch, no loopback): the BIOS console uses it. */
void uart_output(struct uart *u, uint8_t byte);

/* Write out the output stream's buffered bytes (outstream_flush). */
int uart_flush(struct uart *u);

#endif
