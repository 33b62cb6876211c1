/*
 * elf_loader.h - checking ELF executables and placing their loadable segments in
 * guest RAM.
 *
 * The parser works on the file's bytes in memory and trusts nothing in
 * them: every offset, size and address is range-checked with
 * overflow-safe arithmetic before it is used, so a hostile file can only
 * be refused, never make gdbvm read or write outside the buffer or RAM.
 */
#ifndef GDBVM_ELF_LOADER_H
#define GDBVM_ELF_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memory.h"

#define ELF_MAX_SEGMENTS 32

struct elf_segment {
	uint64_t paddr;		/* where it goes in guest RAM */
	uint64_t offset;	/* where its bytes start in the file */
	uint64_t filesz;	/* bytes copied from the file */
	uint64_t memsz;		/* bytes it occupies; the tail is zeroed */
	uint64_t vaddr;		/* its virtual address (the DWARF's addresses) */
};

struct elf_image {
	bool is64;
	uint64_t entry;		/* e_entry */
	unsigned nsegs;
	struct elf_segment segs[ELF_MAX_SEGMENTS];
};

#define ELF_MAGIC_LEN 4

/* True when the buffer starts with the ELF magic (\x7fELF). */
bool elf_has_magic(const uint8_t *file, size_t len);

/*
 * Check an ELF executable for a little-endian x86 machine and collect its
 * PT_LOAD segments, each of which must lie inside guest RAM of ram_size
 * bytes and not overlap another.  Returns 0, or -ENOEXEC with a sentence
 * saying why in why (no "gdbvm:" prefix, no newline).
 */
int elf_parse(const uint8_t *file, size_t len, uint64_t ram_size, struct elf_image *img,
	      char *why, size_t whylen);

/* Copy the segments of a parsed image into RAM and zero their tails. */
int elf_load(struct guest_mem *mem, const uint8_t *file, size_t len,
	     const struct elf_image *img);

#endif
