/*
 * packet.h - remote protocol framing as pure functions over buffers:
 * building "$data#cs" with escaping, and a byte-at-a-time parser that finds
 * packets, acknowledgements and the interrupt byte in a stream.
 */
#ifndef GDBSTUB_PACKET_H
#define GDBSTUB_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest packet payload accepted (advertised as PacketSize). */
#define GDB_PACKET_MAX 16384

enum gdb_rx_event {
	GDB_RX_NONE,		/* byte consumed, nothing complete yet */
	GDB_RX_PACKET,		/* a packet with a good checksum: see data/len */
	GDB_RX_BAD_CHECKSUM,	/* a whole packet whose checksum is wrong */
	GDB_RX_TOO_LONG,	/* a whole packet longer than GDB_PACKET_MAX */
	GDB_RX_ACK,		/* '+' */
	GDB_RX_NACK,		/* '-' */
	GDB_RX_INTERRUPT,	/* 0x03 outside a packet */
};

struct gdb_parser {
	enum { RX_IDLE, RX_DATA, RX_ESCAPE, RX_CSUM1, RX_CSUM2 } state;
	bool overflow;
	uint8_t sum;		/* running checksum of the raw bytes */
	uint8_t want;		/* checksum digits received so far */
	size_t len;
	/* Unescaped payload, NUL-terminated for convenience (binary data may
	 * hold NULs itself: always use len). */
	char data[GDB_PACKET_MAX + 1];
};

void gdb_parser_init(struct gdb_parser *p);

/* Feed one byte; returns what, if anything, it completed. */
enum gdb_rx_event gdb_parser_feed(struct gdb_parser *p, uint8_t byte);

/*
 * Inside a packet's data, take the run of ordinary bytes at the start of
 * buf (up to the first '#', '$' or '}') in one go: the same as feeding them
 * one at a time, each of which would complete nothing.  Returns how many
 * bytes it took; 0 outside packet data.  A binary 'X' packet is mostly such
 * bytes, so this is the parser's fast path.
 */
size_t gdb_parser_feed_data(struct gdb_parser *p, const uint8_t *buf, size_t n);

/*
 * Frame payload as "$...#cs" into out, escaping '#', '$', '}' and '*'.
 * Returns the framed length, or 0 when out (of size cap) is too small.
 */
size_t gdb_frame(const char *payload, size_t len, char *out, size_t cap);

#endif
