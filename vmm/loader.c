/*
 * loader.c - loads guest files into guest RAM: ELF executables by their
 * magic number, anything else as a flat binary (see loader.h).
 */
#include "loader.h"

#include "elf_loader.h"

_Static_assert(GUEST_MAX_RANGES >= ELF_MAX_SEGMENTS, "a range for every ELF segment");

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int read_file_start(int fd, uint8_t *dst, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, dst + done, len - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* the file shrank under us */
		done += (size_t)n;
	}
	return 0;
}

/* Read a whole ELF file (it may be larger than RAM: debug sections are not
 * loaded), check it and copy its segments into RAM. */
static int load_elf(struct guest_mem *mem, int fd, const char *path, size_t size,
		    struct guest_image *info, FILE *err)
{
	char why[256];
	struct elf_image img;
	uint8_t *file;
	int e;

	if (size > ELF_FILE_MAX) {
		fprintf(err, "gdbvm: ELF guest '%s' is too large (%zu bytes; at most %d MiB)\n",
			path, size, ELF_FILE_MAX >> 20);
		return -EFBIG;
	}
	file = malloc(size);
	if (!file) {
		fprintf(err, "gdbvm: cannot read guest '%s': %s\n", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	e = read_file_start(fd, file, size);
	if (e) {
		fprintf(err, "gdbvm: cannot read guest '%s': %s\n", path, strerror(-e));
		goto out;
	}
	e = elf_parse(file, size, mem->size, &img, why, sizeof(why));
	if (e) {
		fprintf(err, "gdbvm: guest '%s': %s\n", path, why);
		goto out;
	}
	e = elf_load(mem, file, size, &img);
	if (e) {
		fprintf(err, "gdbvm: cannot load guest '%s': %s\n", path, strerror(-e));
		goto out;
	}
	info->is_elf = true;
	info->is64 = img.is64;
	info->entry = img.entry;
	for (unsigned i = 0; i < img.nsegs && i < GUEST_MAX_RANGES; i++)
		info->ranges[info->nranges++] = (struct guest_range){ img.segs[i].paddr,
								     img.segs[i].memsz };
out:
	free(file);
	return e;
}

static int load_flat(struct guest_mem *mem, int fd, const char *path, size_t size,
		     uint64_t load_addr, struct guest_image *info, FILE *err)
{
	uint8_t *dst = mem_ptr(mem, load_addr, size);
	int e;

	if (!dst) {
		fprintf(err, "gdbvm: guest '%s' (%zu bytes) does not fit in guest RAM at load "
			"address 0x%llx (RAM is 0x%llx bytes)\n", path, size,
			(unsigned long long)load_addr, (unsigned long long)mem->size);
		return -EFBIG;
	}
	e = read_file_start(fd, dst, size);
	if (e)
		fprintf(err, "gdbvm: cannot read guest '%s': %s\n", path, strerror(-e));
	info->ranges[0] = (struct guest_range){ load_addr, size };
	info->nranges = 1;
	return e;
}

int load_guest_file(struct guest_mem *mem, const char *path, uint64_t load_addr,
		    struct guest_image *info, FILE *err)
{
	uint8_t magic[ELF_MAGIC_LEN];
	struct stat st;
	ssize_t n;
	int fd, e;

	*info = (struct guest_image){ .is_elf = false };
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);	/* a FIFO must not block */
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
	n = pread(fd, magic, sizeof(magic), 0);
	if (n < 0) {
		e = -errno;
		fprintf(err, "gdbvm: cannot read guest '%s': %s\n", path, strerror(-e));
		goto out;
	}
	if (elf_has_magic(magic, (size_t)n))
		e = load_elf(mem, fd, path, (size_t)st.st_size, info, err);
	else
		e = load_flat(mem, fd, path, (size_t)st.st_size, load_addr, info, err);
out:
	close(fd);
	return e;
}

bool guest_file_starts_beyond_real_mode(const char *path)
{
	uint8_t head[EI_NIDENT];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return false;
	n = pread(fd, head, sizeof(head), 0);
	close(fd);
	return n == (ssize_t)sizeof(head) && elf_has_magic(head, (size_t)n) &&
	       head[EI_CLASS] == ELFCLASS64;
}

int load_image(struct guest_mem *mem, const uint8_t *image, size_t len, uint64_t load_addr)
{
	return mem_write(mem, load_addr, image, len);
}
