/*
 * memory.h - guest RAM: one anonymous mapping at guest-physical 0, and the
 * only way the rest of gdbvm turns a guest address into a host pointer.
 *
 * Every access is range-checked with overflow-safe arithmetic, so no guest
 * address or length can reach host memory outside the mapping.
 *
 * While the execution history is recorded (record.h), every write gdbvm
 * itself makes to guest RAM (BIOS services, gdb's memory writes, planted
 * breakpoints) must be seen by the recorder, because KVM's dirty log only
 * sees the guest's own writes: mem_write marks the pages it writes in
 * `written`, and a caller that writes through mem_ptr calls mem_note_write.
 * (The loaders write before recording can start.)
 */
#ifndef GDBVM_MEMORY_H
#define GDBVM_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEM_PAGE_SIZE 4096ULL

struct guest_mem {
	uint8_t *host;
	uint64_t size;
	/* One bit a page: written by gdbvm since the recorder last looked;
	 * NULL when not recording. */
	uint64_t *written;
};

/* Map size bytes of zeroed RAM (lazily backed). 0 or -errno. */
int mem_alloc(struct guest_mem *mem, uint64_t size);
void mem_free(struct guest_mem *mem);

/* True when [gpa, gpa + len) lies inside guest RAM. */
bool mem_range_ok(const struct guest_mem *mem, uint64_t gpa, uint64_t len);

/* Host pointer to [gpa, gpa + len), or NULL when the range is not in RAM. */
void *mem_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len);

/* Copy between guest RAM and a buffer: 0, or -EFAULT when out of range. */
int mem_read(const struct guest_mem *mem, uint64_t gpa, void *buf, size_t len);
int mem_write(struct guest_mem *mem, uint64_t gpa, const void *buf, size_t len);

/* gdbvm wrote (or is about to write) [gpa, gpa + len) through mem_ptr: tell
 * the recorder.  Ranges outside RAM are ignored. */
void mem_note_write(struct guest_mem *mem, uint64_t gpa, uint64_t len);

#endif
