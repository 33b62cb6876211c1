/*
 * loader.c - loads flat guest binaries into guest RAM (see loader.h).
 */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(int fd, uint8_t *dst, size_t len)
{
	while (len) {
		ssize_t n = read(fd, dst, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO; /* the file shrank under us */
		dst += n;
		len -= (size_t)n;
	}
	return 0;
}

int load_flat_binary(struct guest_mem *mem, const char *path, uint64_t load_addr, FILE *err)
{
	struct stat st;
	uint8_t *dst;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = -errno;
		fprintf(err, "gdbvm: cannot open guest '%s': %s\n", path, strerror(-e));
		return e;
	}
	if (fstat(fd, &st) < 0) {
		e = -errno;
		fprintf(err, "gdbvm: cannot stat guest '%s': %s\n", path, strerror(-e));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		e = -EINVAL;
		fprintf(err, "gdbvm: guest '%s' is not a regular file\n", path);
		goto out;
	}
	if (st.st_size == 0) {
		e = -EINVAL;
		fprintf(err, "gdbvm: guest '%s' is empty\n", path);
		goto out;
	}
	dst = mem_ptr(mem, load_addr, (uint64_t)st.st_size);
	if (!dst) {
		e = -EFBIG;
		fprintf(err, "gdbvm: guest '%s' (%lld bytes) does not fit in guest RAM at load "
			"address 0x%llx (RAM is 0x%llx bytes)\n", path, (long long)st.st_size,
			(unsigned long long)load_addr, (unsigned long long)mem->size);
		goto out;
	}
	e = read_all(fd, dst, (size_t)st.st_size);
	if (e)
		fprintf(err, "gdbvm: cannot read guest '%s': %s\n", path, strerror(-e));
out:
	close(fd);
	return e;
}

int load_image(struct guest_mem *mem, const uint8_t *image, size_t len, uint64_t load_addr)
{
	return mem_write(mem, load_addr, image, len);
}
