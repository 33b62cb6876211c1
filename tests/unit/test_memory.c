/* test_memory.c - tests guest RAM allocation and range-checked access (vmm/memory.c). */
#include "memory.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define RAM_SIZE (64 * 1024)

static void test_alloc(struct guest_mem *mem)
{
	size_t nonzero = 0;

	CHECK_HEX(mem->size, RAM_SIZE, "mem_alloc records the size");
	for (size_t i = 0; i < RAM_SIZE; i++)
		nonzero += mem->host[i] != 0;
	CHECK_INT(nonzero, 0, "mem_alloc gives zeroed RAM");
}

static void test_range(struct guest_mem *mem)
{
	static const struct {
		uint64_t gpa, len;
		bool ok;
	} cases[] = {
		{ 0, 0, true },
		{ 0, RAM_SIZE, true },
		{ 0, RAM_SIZE + 1, false },
		{ 1, RAM_SIZE, false },
		{ RAM_SIZE - 1, 1, true },
		{ RAM_SIZE - 1, 2, false },
		{ RAM_SIZE, 0, true },
		{ RAM_SIZE, 1, false },
		{ RAM_SIZE + 1, 0, false },
		{ UINT64_MAX - 1, 4, false },
		{ UINT64_MAX, 1, false },
		{ 4, UINT64_MAX - 1, false },
		{ 0, UINT64_MAX, false },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t gpa = cases[i].gpa, len = cases[i].len;

		CHECK_INT(mem_range_ok(mem, gpa, len), cases[i].ok,
			  "mem_range_ok(gpa 0x%llx, len 0x%llx) is %s", (unsigned long long)gpa,
			  (unsigned long long)len, cases[i].ok ? "true" : "false");
		CHECK(mem_ptr(mem, gpa, len) == (cases[i].ok ? mem->host + gpa : NULL),
		      "mem_ptr(gpa 0x%llx, len 0x%llx) is %s", (unsigned long long)gpa,
		      (unsigned long long)len, cases[i].ok ? "host + gpa" : "NULL");
	}
}

static void test_copy(struct guest_mem *mem)
{
	const uint8_t data[4] = { 0xde, 0xad, 0xbe, 0xef };
	uint8_t buf[4] = { 1, 2, 3, 4 };
	const uint8_t untouched[4] = { 1, 2, 3, 4 };

	CHECK_ERR(mem_write(mem, 0x100, data, 4), 0, "mem_write in range succeeds");
	CHECK_MEM(mem->host + 0x100, data, 4, "mem_write puts the bytes at the address");
	CHECK(mem->host[0xff] == 0 && mem->host[0x104] == 0, "mem_write touches only its range");
	CHECK_ERR(mem_read(mem, 0x100, buf, 4), 0, "mem_read in range succeeds");
	CHECK_MEM(buf, data, 4, "mem_read copies the bytes back");

	CHECK_ERR(mem_write(mem, RAM_SIZE - 4, data, 4), 0, "mem_write of the last 4 bytes");
	CHECK_MEM(mem->host + RAM_SIZE - 4, data, 4, "the last 4 bytes hold the data");

	memcpy(buf, untouched, 4);
	CHECK_ERR(mem_read(mem, RAM_SIZE - 3, buf, 4), -EFAULT,
		  "mem_read crossing the end of RAM is -EFAULT");
	CHECK_MEM(buf, untouched, 4, "a failed mem_read leaves the buffer alone");
	CHECK_ERR(mem_read(mem, RAM_SIZE, buf, 1), -EFAULT, "mem_read at the end of RAM is -EFAULT");
	CHECK_ERR(mem_read(mem, UINT64_MAX - 1, buf, 4), -EFAULT,
		  "mem_read at a wrapping address is -EFAULT");
	CHECK_ERR(mem_write(mem, RAM_SIZE - 3, data, 4), -EFAULT,
		  "mem_write crossing the end of RAM is -EFAULT");
	CHECK_HEX(mem->host[RAM_SIZE - 3], 0xad, "a failed mem_write changes nothing");
	CHECK_ERR(mem_write(mem, UINT64_MAX, data, 1), -EFAULT,
		  "mem_write at UINT64_MAX is -EFAULT");
	CHECK_ERR(mem_read(mem, RAM_SIZE, buf, 0), 0, "an empty mem_read at the end is fine");
}

void test_memory(void)
{
	struct guest_mem mem = { 0 };

	tap_suite("memory");
	if (!CHECK_ERR(mem_alloc(&mem, RAM_SIZE), 0, "mem_alloc of 64K succeeds"))
		return;
	test_alloc(&mem);
	test_range(&mem);
	test_copy(&mem);
	mem_free(&mem);
	CHECK(mem.host == NULL && mem.size == 0, "mem_free clears the descriptor");
	mem_free(&mem);	/* a second free is harmless */
}
