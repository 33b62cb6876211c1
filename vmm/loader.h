/*
 * loader.h - putting the guest image into guest RAM before the VM starts.
 */
#ifndef GDBVM_LOADER_H
#define GDBVM_LOADER_H

#include <stdint.h>
#include <stdio.h>

#include "memory.h"

/*
 * Copy the flat binary at path into RAM at load_addr.  On failure prints
 * "gdbvm: ..." naming the file to err and returns -errno (-EFBIG when it
 * does not fit, -EINVAL when it is empty or not a regular file).
 */
int load_flat_binary(struct guest_mem *mem, const char *path, uint64_t load_addr, FILE *err);

/* Copy an in-memory image (the built-in demo) into RAM at load_addr. */
int load_image(struct guest_mem *mem, const uint8_t *image, size_t len, uint64_t load_addr);

#endif
