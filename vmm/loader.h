/*
 * loader.h - putting the guest image into guest RAM before the VM starts.
 */
#ifndef GDBVM_LOADER_H
#define GDBVM_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "memory.h"

/* ELF files larger than this are refused (debug sections make them larger
 * than the RAM they fill, but not by this much). */
#define ELF_FILE_MAX (256 << 20)

#define GUEST_MAX_RANGES 32	/* ELF_MAX_SEGMENTS */

/* Where the image went in RAM: the flat binary, or each ELF segment. */
struct guest_range {
	uint64_t start, len;
};

struct guest_image {
	bool is_elf;
	bool is64;		/* ELF64 (x86-64) */
	uint64_t entry;		/* ELF: e_entry, the linear entry address */
	unsigned nranges;
	struct guest_range ranges[GUEST_MAX_RANGES];
};

/*
 * Load the guest file at path.  An ELF executable (recognised by its magic
 * number) goes segment by segment to the physical addresses it names; any
 * other file is a flat binary copied to load_addr.  On failure prints
 * "gdbvm: ..." naming the file to err and returns -errno: -EFBIG when it
 * does not fit, -EINVAL when it is empty or not a regular file, -ENOEXEC
 * for a malformed or unsupported ELF file.
 */
int load_guest_file(struct guest_mem *mem, const char *path, uint64_t load_addr,
		    struct guest_image *info, FILE *err);

/*
 * What the start of a guest file says before it is loaded: an ELF64 file
 * starts in long mode, so it gets the wider default RAM (options.h).
 * Reads at most the first few KiB; a file that cannot be read is reported
 * when it is loaded, so this returns false then.
 */
bool guest_file_starts_beyond_real_mode(const char *path);

/* Read the first len bytes of fd, a regular file. 0, or -errno (-EIO when
 * the file is shorter). */
int read_file_start(int fd, uint8_t *dst, size_t len);

/* Copy an in-memory image (the built-in demo) into RAM at load_addr. */
int load_image(struct guest_mem *mem, const uint8_t *image, size_t len, uint64_t load_addr);

#endif
