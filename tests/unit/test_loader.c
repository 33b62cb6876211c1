/* test_loader.c - tests loading flat guest binaries and images into RAM (vmm/loader.c). */
#include "helpers.h"
#include "loader.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RAM_SIZE (64 * 1024)

static int load_file(struct guest_mem *mem, const char *path, uint64_t addr, FILE *err)
{
	struct guest_image img;
	int e = load_guest_file(mem, path, addr, &img, err);

	CHECK(!img.is_elf, "a file without the ELF magic is not taken for ELF");
	return e;
}

/* Load a temporary file holding len bytes (byte i is i * 7 + 1) at addr. */
static int load_temp(struct guest_mem *mem, size_t len, uint64_t addr, struct capture *err,
		     char *path, uint8_t **data)
{
	int e;

	*data = malloc(len ? len : 1);
	for (size_t i = 0; i < len; i++)
		(*data)[i] = (uint8_t)(i * 7 + 1);
	if (temp_file(path, *data, len) < 0) {
		CHECK(0, "cannot create a temporary file");
		return -1000;
	}
	e = load_file(mem, path, addr, err->f);
	unlink(path);
	return e;
}

static void test_load_ok(struct guest_mem *mem)
{
	struct capture err;
	char path[32];
	uint8_t *data;
	int e;

	capture_open(&err);
	e = load_temp(mem, 300, 0x1000, &err, path, &data);
	CHECK_ERR(e, 0, "a 300-byte file loads at 0x1000");
	CHECK_MEM(mem->host + 0x1000, data, 300, "the file's bytes are at 0x1000");
	CHECK(mem->host[0xfff] == 0 && mem->host[0x1000 + 300] == 0,
	      "nothing is written around the image");
	CHECK_STR(capture_text(&err), "", "a successful load prints nothing");
	free(data);

	e = load_temp(mem, RAM_SIZE - 0x2000, 0x2000, &err, path, &data);
	CHECK_ERR(e, 0, "a file exactly filling RAM from the load address loads");
	CHECK_MEM(mem->host + 0x2000, data, RAM_SIZE - 0x2000, "it fills RAM up to the end");
	free(data);
	capture_close(&err);
}

static void test_load_errors(struct guest_mem *mem)
{
	struct capture err;
	char path[32], dir[32];
	uint8_t *data;
	int e;

	capture_open(&err);
	e = load_temp(mem, 0, 0x1000, &err, path, &data);
	CHECK_ERR(e, -EINVAL, "an empty file is rejected with -EINVAL");
	CHECK_CONTAINS(capture_text(&err), path, "the message names the empty file");
	CHECK_CONTAINS(capture_text(&err), "empty", "the message says it is empty");
	free(data);
	capture_close(&err);

	capture_open(&err);
	memset(mem->host, 0, RAM_SIZE);
	e = load_temp(mem, RAM_SIZE - 0x2000 + 1, 0x2000, &err, path, &data);
	CHECK_ERR(e, -EFBIG, "a file one byte too large for RAM is -EFBIG");
	CHECK_CONTAINS(capture_text(&err), path, "the message names the file too large");
	CHECK_CONTAINS(capture_text(&err), "does not fit", "the message says it does not fit");
	CHECK_HEX(mem->host[0x2000], 0, "a file that does not fit is not loaded at all");
	free(data);
	capture_close(&err);

	capture_open(&err);
	e = load_temp(mem, 16, RAM_SIZE + 0x1000, &err, path, &data);
	CHECK_ERR(e, -EFBIG, "a load address past RAM is -EFBIG");
	free(data);
	capture_close(&err);

	capture_open(&err);
	e = load_file(mem, "/tmp/gdbvm-unit-no-such-file", 0x1000, err.f);
	CHECK_ERR(e, -ENOENT, "a missing file is -ENOENT");
	CHECK_CONTAINS(capture_text(&err), "/tmp/gdbvm-unit-no-such-file",
		       "the message names the missing file");
	capture_close(&err);

	capture_open(&err);
	strcpy(dir, "/tmp/gdbvm-unit-XXXXXX");
	if (CHECK(mkdtemp(dir) != NULL, "a temporary directory can be made")) {
		e = load_file(mem, dir, 0x1000, err.f);
		CHECK_ERR(e, -EINVAL, "a directory is rejected with -EINVAL");
		CHECK_CONTAINS(capture_text(&err), dir, "the message names the directory");
		CHECK_CONTAINS(capture_text(&err), "not a regular file",
			       "the message says it is not a regular file");
		rmdir(dir);
	}
	capture_close(&err);
}

static void test_load_image(struct guest_mem *mem)
{
	const uint8_t image[3] = { 0xf4, 0xeb, 0xfe };

	CHECK_ERR(load_image(mem, image, 3, 0x7c00), 0, "load_image in RAM succeeds");
	CHECK_MEM(mem->host + 0x7c00, image, 3, "load_image copies the image");
	CHECK_ERR(load_image(mem, image, 3, RAM_SIZE - 2), -EFAULT,
		  "load_image crossing the end of RAM is -EFAULT");
}

void test_loader(void)
{
	struct guest_mem mem = { 0 };

	tap_suite("loader");
	if (!CHECK_ERR(mem_alloc(&mem, RAM_SIZE), 0, "mem_alloc for the loader tests"))
		return;
	test_load_ok(&mem);
	test_load_errors(&mem);
	test_load_image(&mem);
	mem_free(&mem);
}
