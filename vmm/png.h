/*
 * png.h - writing an 8-bit indexed-colour PNG image with no library: the
 * pixel rows go into zlib "stored" (uncompressed) deflate blocks, with the
 * CRC-32 every chunk carries and the Adler-32 the zlib stream ends with.
 */
#ifndef GDBVM_PNG_H
#define GDBVM_PNG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* CRC-32 (ISO 3309, as PNG and zlib use it) of n bytes, continuing crc
 * (start with 0). */
uint32_t png_crc32(uint32_t crc, const uint8_t *p, size_t n);

/* Adler-32 of n bytes, continuing adler (start with 1). */
uint32_t png_adler32(uint32_t adler, const uint8_t *p, size_t n);

/*
 * Write a width x height image, one palette index per pixel (row after
 * row), with npal palette entries of red, green, blue (1 to 256), to out.
 * 0, -EINVAL for bad sizes, -ENOMEM, or -EIO when out fails.
 */
int png_write_indexed(FILE *out, uint32_t width, uint32_t height, const uint8_t *pixels,
		      const uint8_t (*palette)[3], unsigned npal);

#endif
