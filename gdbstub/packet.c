/*
 * packet.c - protocol framing (see packet.h).
 */
#include "packet.h"
#include "hex.h"

void gdb_parser_init(struct gdb_parser *p)
{
	p->state = RX_IDLE;
	p->overflow = false;
	p->len = 0;
	p->sum = 0;
	p->want = 0;
}

static void store(struct gdb_parser *p, uint8_t byte)
{
	if (p->len < GDB_PACKET_MAX)
		p->data[p->len++] = (char)byte;
	else
		p->overflow = true;
}

enum gdb_rx_event gdb_parser_feed(struct gdb_parser *p, uint8_t byte)
{
	int d;

	/* A '$' inside a packet (in its data, after a '}', or in place of a
	 * checksum digit) means the packet was cut short: start the new one.
	 * '}' never escapes a '$' (that would be byte 0x04, never escaped). */
	if (byte == '$' && p->state != RX_IDLE) {
		gdb_parser_init(p);
		p->state = RX_DATA;
		return GDB_RX_NONE;
	}
	switch (p->state) {
	case RX_IDLE:
		if (byte == '$') {
			gdb_parser_init(p);
			p->state = RX_DATA;
		} else if (byte == '+') {
			return GDB_RX_ACK;
		} else if (byte == '-') {
			return GDB_RX_NACK;
		} else if (byte == 0x03) {
			return GDB_RX_INTERRUPT;
		}
		return GDB_RX_NONE;	/* noise between packets is ignored */
	case RX_DATA:
		if (byte == '#') {
			p->state = RX_CSUM1;
			return GDB_RX_NONE;
		}
		p->sum = (uint8_t)(p->sum + byte);
		if (byte == '}')
			p->state = RX_ESCAPE;
		else
			store(p, byte);
		return GDB_RX_NONE;
	case RX_ESCAPE:
		p->sum = (uint8_t)(p->sum + byte);
		store(p, byte ^ 0x20);
		p->state = RX_DATA;
		return GDB_RX_NONE;
	case RX_CSUM1:
	case RX_CSUM2:
		d = hex_digit((char)byte);
		if (d < 0) {
			p->state = RX_IDLE;
			return GDB_RX_BAD_CHECKSUM;
		}
		p->want = (uint8_t)(p->want << 4 | d);
		if (p->state == RX_CSUM1) {
			p->state = RX_CSUM2;
			return GDB_RX_NONE;
		}
		p->state = RX_IDLE;
		p->data[p->len] = '\0';
		if (p->want != p->sum)
			return GDB_RX_BAD_CHECKSUM;
		return p->overflow ? GDB_RX_TOO_LONG : GDB_RX_PACKET;
	}
	return GDB_RX_NONE;
}

size_t gdb_parser_feed_data(struct gdb_parser *p, const uint8_t *buf, size_t n)
{
	uint8_t sum = p->sum;
	size_t i;

	if (p->state != RX_DATA)
		return 0;
	for (i = 0; i < n; i++) {
		uint8_t c = buf[i];

		if (c == '#' || c == '$' || c == '}')
			break;
		sum = (uint8_t)(sum + c);
		if (p->len < GDB_PACKET_MAX)
			p->data[p->len++] = (char)c;
		else
			p->overflow = true;
	}
	p->sum = sum;
	return i;
}

size_t gdb_frame(const char *payload, size_t len, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	/* When even an all-escaped payload fits, no byte needs a room check. */
	bool roomy = cap >= 4 && len <= (cap - 4) / 2;
	size_t n = 0;
	uint8_t sum = 0;

	if (cap < 4)
		return 0;
	out[n++] = '$';
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)payload[i];
		bool esc = c == '#' || c == '$' || c == '}' || c == '*';

		if (!roomy && n + (esc ? 2 : 1) + 3 > cap)
			return 0;
		if (esc) {
			out[n++] = '}';
			sum = (uint8_t)(sum + '}');
			c ^= 0x20;
		}
		out[n++] = (char)c;
		sum = (uint8_t)(sum + c);
	}
	out[n++] = '#';
	out[n++] = digits[sum >> 4];
	out[n++] = digits[sum & 15];
	return n;
}
