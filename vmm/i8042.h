/*
 * i8042.h - the 8042 keyboard controller and the PS/2 keyboard behind it,
 * at ports 0x60 (data) and 0x64 (status / command).
 *
 * One byte waits in the controller's output buffer (status bit 0, OBF);
 * the controller's own replies queue ahead of the keyboard's, and the
 * keyboard holds its bytes in a FIFO until the output buffer is free and
 * the optional hold hook lets them go (the run loop holds them while the
 * interrupt for the last byte is in service: an IRQ 1 handler that reads
 * port 0x60 and chains to the BIOS's, which reads it again, both get the
 * same byte, as on a PC, where the next byte takes a millisecond to come).
 * Each byte that enters the output buffer while the command byte's bit 0
 * is set pulses IRQ1 (an edge); reading port 0x60 drops the line.  Keys
 * arrive in scan code set 1 (scancode.h) through i8042_key_bytes.  There
 * is no mouse: the auxiliary port's commands answer as a controller with
 * nothing wired to it.  Pure: no I/O apart from the irq_line; unit-tested
 * without KVM.
 */
#ifndef GDBVM_I8042_H
#define GDBVM_I8042_H

#include <stdbool.h>
#include <stdint.h>

#include "irq_line.h"

#define I8042_DATA	0x60
#define I8042_STATUS	0x64	/* read: status; write: command */
#define I8042_IRQ	1
#define I8042_FIFO	16	/* the keyboard's own buffer */

/* Status register bits. */
#define I8042_STR_OBF	0x01	/* output buffer full */
#define I8042_STR_IBF	0x02	/* input buffer full (never: writes are taken at once) */
#define I8042_STR_SYS	0x04	/* system flag (self-test passed) */
#define I8042_STR_CMD	0x08	/* the last write went to port 0x64 */
#define I8042_STR_UNLOCKED 0x10	/* keyboard not inhibited by the key lock */

/* Command byte bits. */
#define I8042_CB_KBD_INT	0x01	/* IRQ1 when a byte enters the output buffer */
#define I8042_CB_SYS		0x04
#define I8042_CB_KBD_OFF	0x10	/* keyboard interface disabled */
#define I8042_CB_AUX_OFF	0x20	/* auxiliary port disabled: always, there is none */
#define I8042_CB_XLATE		0x40	/* set 2 -> set 1 translation (output is set 1 anyway) */

struct i8042 {
	uint8_t status_cmd;	/* I8042_STR_CMD: the last write was a command */
	uint8_t command_byte;
	uint8_t out;		/* the output buffer */
	bool obf;
	uint32_t out_count;	/* bytes that have entered the output buffer */
	uint8_t ctl[4];		/* controller replies waiting for the output buffer */
	unsigned nctl;
	uint8_t fifo[I8042_FIFO];	/* the keyboard's bytes */
	unsigned fifo_head, fifo_count;
	uint8_t pending_cmd;	/* controller command waiting for its data byte, or 0 */
	uint8_t kbd_arg_cmd;	/* keyboard command waiting for its argument, or 0 */
	uint8_t kbd_last;	/* the keyboard's last byte (0xFE: resend) */
	bool scanning;		/* keyboard enabled (F4h) */
	uint8_t leds;		/* EDh: bit 0 Scroll, 1 Num, 2 Caps Lock */
	uint8_t typematic;	/* F3h */
	bool a20;		/* output port bit 1 */
	bool reset_requested;	/* the guest pulsed the reset line (FEh, D1h bit 0 clear) */
	bool used;		/* the guest has touched the ports */
	struct irq_line irq;
	/* Optional: told before each guest read of a port, so the host side
	 * can feed the keys that came in meanwhile (kbd_input.c). */
	void (*before_read)(void *ctx, uint16_t port);
	void *before_read_ctx;
	/* Optional: true while the keyboard's next byte must wait (see above);
	 * i8042_tick lets it in once this says false. */
	bool (*hold)(void *ctx);
	void *hold_ctx;
};

/* A controller as a PC BIOS leaves it: self-tested, keyboard enabled and
 * interrupting, translation on.  irq may be NULL (not connected). */
void i8042_init(struct i8042 *c, const struct irq_line *irq);

/* Let the keyboard's next byte in if the output buffer is free and the
 * hold hook allows it (the run loop calls this before each entry). */
void i8042_tick(struct i8042 *c);

/* The port handlers, one per port (0x61 between them is the PIT's); ctx
 * is the struct i8042.  A wider access repeats the byte access. */
void i8042_data_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);
void i8042_ctl_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write);

/* The guest's view, one byte at a time (tests and the BIOS use them). */
uint8_t i8042_read(struct i8042 *c, uint16_t port);
void i8042_write(struct i8042 *c, uint16_t port, uint8_t value);

/* Room in the keyboard for n more bytes of key presses: scanning is on and
 * its FIFO has space (flow control for the host side). */
bool i8042_key_room(const struct i8042 *c, unsigned n);

/* Whether anything is still waiting to reach the guest (output buffer or
 * FIFO). */
bool i8042_busy(const struct i8042 *c);

/* Keys pressed on the keyboard: n scan code bytes (set 1) into its FIFO.
 * False, and nothing queued, without room for all of them. */
bool i8042_key_bytes(struct i8042 *c, const uint8_t *bytes, unsigned n);

#endif
