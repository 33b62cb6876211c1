/*
 * png.c - an indexed-colour PNG writer with uncompressed deflate (see
 * png.h).  The file is: the 8-byte signature, then chunks (length, type,
 * data, CRC-32 of type and data): IHDR, PLTE, IDAT holding a zlib stream,
 * IEND.  The zlib stream is a 2-byte header, stored blocks of at most
 * 65535 bytes (a byte saying "stored" and whether it is the last, the
 * length and its complement), and the Adler-32 of the data.  Each image
 * row is preceded by its filter type, 0 (none).
 */
#include "png.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define STORED_MAX 65535u

uint32_t png_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
	}
	return ~crc;
}

uint32_t png_adler32(uint32_t adler, const uint8_t *p, size_t n)
{
	uint32_t a = adler & 0xffff, b = adler >> 16;

	for (size_t i = 0; i < n; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return b << 16 | a;
}

static void put32be(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* One chunk: its data is at buf + 8, len bytes; buf has room for the
 * length and type before it and the CRC after it. */
static int put_chunk(FILE *out, const char type[4], uint8_t *buf, uint32_t len)
{
	put32be(buf, len);
	memcpy(buf + 4, type, 4);
	put32be(buf + 8 + len, png_crc32(0, buf + 4, (size_t)len + 4));
	return fwrite(buf, 1, (size_t)len + 12, out) == (size_t)len + 12 ? 0 : -EIO;
}

/* The zlib stream of raw (len bytes) into z (at least zlib_size(len)). */
static size_t zlib_stored(const uint8_t *raw, size_t len, uint8_t *z)
{
	size_t at = 0, done = 0;

	z[at++] = 0x78;	/* deflate, 32K window */
	z[at++] = 0x01;	/* no dictionary, fastest; 0x7801 is a multiple of 31 */
	do {
		size_t n = len - done > STORED_MAX ? STORED_MAX : len - done;

		z[at++] = done + n == len;	/* BFINAL, BTYPE 00 (stored) */
		z[at++] = (uint8_t)n;
		z[at++] = (uint8_t)(n >> 8);
		z[at++] = (uint8_t)~n;
		z[at++] = (uint8_t)(~n >> 8);
		memcpy(z + at, raw + done, n);
		at += n;
		done += n;
	} while (done < len);
	put32be(z + at, png_adler32(1, raw, len));
	return at + 4;
}

int png_write_indexed(FILE *out, uint32_t width, uint32_t height, const uint8_t *pixels,
		      const uint8_t (*palette)[3], unsigned npal)
{
	static const uint8_t signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t raw_len, z_max;
	uint8_t *raw, *chunk, head[12 + 13], plte[12 + 256 * 3];
	int e;

	if (width == 0 || height == 0 || width > 4096 || height > 4096 || npal == 0 ||
	    npal > 256)
		return -EINVAL;
	raw_len = (size_t)height * (width + 1);
	z_max = 2 + raw_len + 5 * (raw_len / STORED_MAX + 1) + 4;
	raw = malloc(raw_len);
	chunk = malloc(z_max + 12);
	if (!raw || !chunk) {
		free(raw);
		free(chunk);
		return -ENOMEM;
	}
	for (uint32_t y = 0; y < height; y++) {
		raw[(size_t)y * (width + 1)] = 0;	/* filter: none */
		memcpy(raw + (size_t)y * (width + 1) + 1, pixels + (size_t)y * width, width);
	}
	put32be(head + 8, width);
	put32be(head + 12, height);
	head[16] = 8;	/* bits per index */
	head[17] = 3;	/* colour type: indexed */
	head[18] = head[19] = head[20] = 0;	/* deflate, adaptive filters, no interlace */
	memcpy(plte + 8, palette, (size_t)npal * 3);
	e = fwrite(signature, 1, sizeof(signature), out) == sizeof(signature) ? 0 : -EIO;
	if (!e)
		e = put_chunk(out, "IHDR", head, 13);
	if (!e)
		e = put_chunk(out, "PLTE", plte, npal * 3);
	if (!e)
		e = put_chunk(out, "IDAT", chunk, (uint32_t)zlib_stored(raw, raw_len, chunk + 8));
	if (!e)
		e = put_chunk(out, "IEND", head, 0);
	free(raw);
	free(chunk);
	return e;
}
