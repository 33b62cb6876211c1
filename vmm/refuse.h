/*
 * refuse.h - shared by the checks of guest files (ELF, Multiboot headers):
 * saying why a file is refused, and reading its little-endian fields.
 */
#ifndef GDBVM_REFUSE_H
#define GDBVM_REFUSE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Format the reason into why (whylen bytes) and return -ENOEXEC. */
int refuse(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Fields of a file at any alignment.  gdbvm runs on x86 hosts, which are
 * little-endian like every file it reads, so a copy is the conversion. */
static inline uint16_t file_get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t file_get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#endif
