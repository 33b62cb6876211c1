/*
 * i8042.c - the 8042 keyboard controller and its PS/2 keyboard (see
 * i8042.h).
 */
#include "i8042.h"

#include <string.h>

#define ACK	0xfa
#define RESEND	0xfe
#define BAT_OK	0xaa

void i8042_init(struct i8042 *c, const struct irq_line *irq)
{
	*c = (struct i8042){
		.command_byte = I8042_CB_KBD_INT | I8042_CB_SYS | I8042_CB_AUX_OFF | I8042_CB_XLATE,
		.scanning = true,
		.a20 = true,	/* gdbvm's A20 is always on (INT 15h AH=24h says so too) */
	};
	if (irq)
		c->irq = *irq;
}

static bool irq_enabled(const struct i8042 *c)
{
	return c->command_byte & I8042_CB_KBD_INT;
}

/* Whether the keyboard may send its next byte now. */
static bool byte_due(const struct i8042 *c)
{
	return !c->hold || !c->hold(c->hold_ctx);
}

/* Move the next byte into a free output buffer: the controller's replies
 * first, then the keyboard's while its interface is enabled and nothing
 * holds it.  A byte that enters it is an edge on IRQ1. */
static void refill(struct i8042 *c)
{
	if (c->obf)
		return;
	if (c->nctl) {
		c->out = c->ctl[0];
		memmove(c->ctl, c->ctl + 1, --c->nctl);
	} else if (c->fifo_count && !(c->command_byte & I8042_CB_KBD_OFF) && byte_due(c)) {
		c->out = c->fifo[c->fifo_head];
		c->fifo_head = (c->fifo_head + 1) % I8042_FIFO;
		c->fifo_count--;
	} else {
		return;
	}
	c->obf = true;
	c->out_count++;
	if (irq_enabled(c))
		irq_line_pulse(&c->irq);
}

void i8042_tick(struct i8042 *c)
{
	refill(c);
}


/* A reply from the controller itself. */
static void ctl_reply(struct i8042 *c, uint8_t v)
{
	if (c->nctl < sizeof(c->ctl))
		c->ctl[c->nctl++] = v;
	refill(c);
}

static void fifo_push(struct i8042 *c, uint8_t v)
{
	if (c->fifo_count < I8042_FIFO)
		c->fifo[(c->fifo_head + c->fifo_count++) % I8042_FIFO] = v;
}

/* A reply from the keyboard: it goes behind the keys already sent. */
static void kbd_reply(struct i8042 *c, uint8_t v)
{
	fifo_push(c, v);
	c->kbd_last = v;
	refill(c);
}

static void kbd_defaults(struct i8042 *c)
{
	c->typematic = 0x2b;	/* 10.9 characters/s after 500 ms */
	c->leds = 0;
	c->fifo_count = 0;
}

/* A byte the guest sent to the keyboard (port 0x60 with no controller
 * command waiting for it). */
static void kbd_command(struct i8042 *c, uint8_t v)
{
	uint8_t arg_cmd = c->kbd_arg_cmd;

	c->kbd_arg_cmd = 0;
	switch (arg_cmd) {
	case 0xed:	/* the LEDs */
		c->leds = v & 7;
		kbd_reply(c, ACK);
		return;
	case 0xf3:	/* typematic rate and delay */
		c->typematic = v & 0x7f;
		kbd_reply(c, ACK);
		return;
	case 0xf0:	/* scan code set: 0 asks; only set 1 is made */
		if (v == 0) {
			kbd_reply(c, ACK);
			kbd_reply(c, 0x01);
		} else {
			kbd_reply(c, v == 1 ? ACK : RESEND);
		}
		return;
	default:
		break;
	}
	switch (v) {
	case 0xed:
	case 0xf3:
	case 0xf0:
		c->kbd_arg_cmd = v;
		kbd_reply(c, ACK);
		break;
	case 0xee:	/* echo */
		kbd_reply(c, 0xee);
		break;
	case 0xf2:	/* identify: an MF2 keyboard */
		kbd_reply(c, ACK);
		kbd_reply(c, 0xab);
		kbd_reply(c, 0x83);
		break;
	case 0xf4:	/* enable scanning */
		c->fifo_count = 0;
		c->scanning = true;
		kbd_reply(c, ACK);
		break;
	case 0xf5:	/* disable scanning, defaults */
		kbd_defaults(c);
		c->scanning = false;
		kbd_reply(c, ACK);
		break;
	case 0xf6:	/* defaults, scanning on */
		kbd_defaults(c);
		c->scanning = true;
		kbd_reply(c, ACK);
		break;
	case 0xfe:	/* resend the last byte */
		kbd_reply(c, c->kbd_last);
		break;
	case 0xff:	/* reset: acknowledge, then the self-test passed */
		kbd_defaults(c);
		c->scanning = true;
		kbd_reply(c, ACK);
		kbd_reply(c, BAT_OK);
		break;
	default:
		kbd_reply(c, RESEND);
		break;
	}
}

/* The output port: bit 0 the reset line (0 resets), bit 1 A20, bit 4
 * output buffer full. */
static uint8_t output_port(const struct i8042 *c)
{
	return (uint8_t)(0x01 | (c->a20 ? 0x02 : 0) | (c->obf ? 0x10 : 0));
}

static void write_output_port(struct i8042 *c, uint8_t v)
{
	c->a20 = v & 0x02;
	if (!(v & 0x01))
		c->reset_requested = true;
}

/* The data byte of a controller command that takes one. */
static void command_data(struct i8042 *c, uint8_t cmd, uint8_t v)
{
	switch (cmd) {
	case 0x60:	/* command byte; there is no auxiliary port to enable */
		c->command_byte = (uint8_t)(v | I8042_CB_AUX_OFF);
		if (c->obf && irq_enabled(c))
			irq_line_set(&c->irq, true);
		else if (!irq_enabled(c))
			irq_line_set(&c->irq, false);
		refill(c);
		break;
	case 0xd1:
		write_output_port(c, v);
		break;
	case 0xd2:	/* as if the keyboard had sent it */
		kbd_reply(c, v);
		break;
	default:	/* 61h-7Fh (controller RAM), D3h/D4h (the absent mouse): dropped */
		break;
	}
}

static void controller_command(struct i8042 *c, uint8_t cmd)
{
	c->pending_cmd = 0;
	if (cmd == 0x20) {
		ctl_reply(c, c->command_byte);
	} else if (cmd > 0x20 && cmd < 0x40) {
		ctl_reply(c, 0);	/* controller RAM: nothing kept there */
	} else if ((cmd >= 0x60 && cmd < 0x80) || cmd == 0xd1 || cmd == 0xd2 || cmd == 0xd3 ||
		   cmd == 0xd4) {
		c->pending_cmd = cmd;
	} else if ((cmd & 0xf0) == 0xf0) {	/* pulse output lines; bit 0 clear: reset */
		if (!(cmd & 0x01))
			c->reset_requested = true;
	} else {
		switch (cmd) {
		case 0xa7:	/* disable / enable the auxiliary port: there is none */
		case 0xa8:
			break;
		case 0xa9:	/* test it: clock line stuck high, nothing is wired */
			ctl_reply(c, 0x02);
			break;
		case 0xaa:	/* self-test passed */
			c->command_byte |= I8042_CB_SYS;
			ctl_reply(c, 0x55);
			break;
		case 0xab:	/* keyboard interface test: no error */
			ctl_reply(c, 0x00);
			break;
		case 0xad:
			c->command_byte |= I8042_CB_KBD_OFF;
			break;
		case 0xae:
			c->command_byte &= (uint8_t)~I8042_CB_KBD_OFF;
			refill(c);
			break;
		case 0xc0:	/* input port: keyboard not locked */
			ctl_reply(c, 0x80);
			break;
		case 0xd0:
			ctl_reply(c, output_port(c));
			break;
		case 0xdd:	/* A20 off / on (some controllers) */
		case 0xdf:
			c->a20 = cmd == 0xdf;
			break;
		case 0xe0:	/* test inputs */
			ctl_reply(c, 0x00);
			break;
		default:	/* unknown: ignored */
			break;
		}
	}
}

uint8_t i8042_read(struct i8042 *c, uint16_t port)
{
	uint8_t v;

	if (port == I8042_STATUS)
		return (uint8_t)((c->obf ? I8042_STR_OBF : 0) |
				 (c->command_byte & I8042_CB_SYS ? I8042_STR_SYS : 0) |
				 c->status_cmd | I8042_STR_UNLOCKED);
	v = c->out;	/* an empty buffer reads as the last byte again */
	c->obf = false;
	irq_line_set(&c->irq, false);
	refill(c);
	return v;
}

void i8042_write(struct i8042 *c, uint16_t port, uint8_t value)
{
	uint8_t cmd = c->pending_cmd;

	if (port == I8042_STATUS) {
		c->status_cmd = I8042_STR_CMD;
		controller_command(c, value);
		return;
	}
	c->status_cmd = 0;
	c->pending_cmd = 0;
	if (cmd)
		command_data(c, cmd, value);
	else
		kbd_command(c, value);
}

static void access(struct i8042 *c, uint16_t port, uint8_t *data, unsigned size, bool is_write)
{
	c->used = true;
	if (!is_write && c->before_read)
		c->before_read(c->before_read_ctx, port);
	for (unsigned i = 0; i < size; i++) {
		if (is_write)
			i8042_write(c, port, data[i]);
		else
			data[i] = i8042_read(c, port);
	}
}

void i8042_data_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	(void)offset;
	access(ctx, I8042_DATA, data, size, is_write);
}

void i8042_ctl_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	(void)offset;
	access(ctx, I8042_STATUS, data, size, is_write);
}

bool i8042_key_room(const struct i8042 *c, unsigned n)
{
	return c->scanning && c->fifo_count + n <= I8042_FIFO;
}

bool i8042_busy(const struct i8042 *c)
{
	return c->obf || c->fifo_count || c->nctl;
}

bool i8042_key_bytes(struct i8042 *c, const uint8_t *bytes, unsigned n)
{
	if (!i8042_key_room(c, n))
		return false;
	for (unsigned i = 0; i < n; i++)
		fifo_push(c, bytes[i]);
	if (n)
		c->kbd_last = bytes[n - 1];
	refill(c);
	return true;
}
