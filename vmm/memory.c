/*
 * memory.c - guest RAM allocation and checked access (see memory.h).
 */
#include "memory.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

int mem_alloc(struct guest_mem *mem, uint64_t size)
{
	void *p;

	/* Anonymous mappings are zero-filled on first touch: no memset, so
	 * start-up cost does not grow with the RAM size. */
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	mem->host = p;
	mem->size = size;
	mem->written = NULL;
	return 0;
}

void mem_free(struct guest_mem *mem)
{
	if (mem->host)
		munmap(mem->host, mem->size);
	mem->host = NULL;
	mem->size = 0;
}

bool mem_range_ok(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	return gpa <= mem->size && len <= mem->size - gpa;
}

void *mem_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	return mem_range_ok(mem, gpa, len) ? mem->host + gpa : NULL;
}

int mem_read(const struct guest_mem *mem, uint64_t gpa, void *buf, size_t len)
{
	const void *src = mem_ptr(mem, gpa, len);

	if (!src)
		return -EFAULT;
	memcpy(buf, src, len);
	return 0;
}

int mem_write(struct guest_mem *mem, uint64_t gpa, const void *buf, size_t len)
{
	void *dst = mem_ptr(mem, gpa, len);

	if (!dst)
		return -EFAULT;
	mem_note_write(mem, gpa, len);
	memcpy(dst, buf, len);
	return 0;
}

void mem_note_write(struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	if (!mem->written || len == 0 || !mem_range_ok(mem, gpa, len))
		return;
	for (uint64_t page = gpa / MEM_PAGE_SIZE; page <= (gpa + len - 1) / MEM_PAGE_SIZE; page++)
		mem->written[page / 64] |= 1ULL << (page % 64);
}
