/*
 * multiboot.c - booting a Multiboot kernel file: telling one from another
 * guest, reading it and its --module files, putting them in RAM and
 * writing the information structure (see multiboot.h; the header checks
 * are in multiboot_header.c, the structure in multiboot_info.c).
 */
#include "multiboot.h"

#include "loader.h"
#include "options.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOADER_NAME "gdbvm " GDBVM_VERSION

_Static_assert(MAX_MODULES <= MB_MAX_MODULES, "--module allows more modules than fit");

/* Open a regular file for reading and give its size; 0 or -errno, with a
 * message naming what (kind) and path. */
static int open_regular(const char *kind, const char *path, int *fd, uint64_t *size, FILE *err)
{
	struct stat st;
	int e;

	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);	/* a FIFO must not block */
	if (*fd < 0) {
		e = -errno;
		fprintf(err, "gdbvm: cannot open %s '%s': %s\n", kind, path, strerror(-e));
		return e;
	}
	if (fstat(*fd, &st) < 0) {
		e = -errno;
		fprintf(err, "gdbvm: cannot stat %s '%s': %s\n", kind, path, strerror(-e));
	} else if (!S_ISREG(st.st_mode)) {
		e = -EINVAL;
		fprintf(err, "gdbvm: %s '%s' is not a regular file\n", kind, path);
	} else {
		*size = (uint64_t)st.st_size;
		return 0;
	}
	close(*fd);
	*fd = -1;
	return e;
}

/* A version 1 header wins over a version 2 one, as with QEMU, which knows
 * only version 1; either one's problem is reported when neither is good. */
static enum mb_scan_result scan_both(const uint8_t *file, size_t len, struct mb_header *h,
				     char *why, size_t whylen)
{
	char why2[320];
	enum mb_scan_result r1 = mb_scan(file, len, h, why, whylen), r2;

	if (r1 == MB_FOUND)
		return r1;
	r2 = mb2_scan(file, len, h, why2, sizeof(why2));
	if (r2 == MB_FOUND || (r2 == MB_BAD && r1 == MB_NONE)) {
		if (r2 == MB_BAD)
			snprintf(why, whylen, "%s", why2);
		return r2;
	}
	return r1;
}

enum mb_scan_result mb_detect(const char *path, FILE *err)
{
	uint8_t head[MB2_SEARCH_LEN];
	struct mb_header h;
	struct stat st;
	char why[320];
	enum mb_scan_result r = MB_NONE;
	ssize_t n;
	/* O_NONBLOCK: a FIFO given as GUEST must not hang the check; the
	 * plain loader refuses anything but a regular file anyway. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return MB_NONE;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return MB_NONE;
	}
	do
		n = pread(fd, head, sizeof(head), 0);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		r = scan_both(head, (size_t)n, &h, why, sizeof(why));
	if (r == MB_BAD)
		fprintf(err, "gdbvm: Multiboot kernel '%s': %s\n", path, why);
	close(fd);
	return r;
}

/* What the header's video fields ask for, against the text screen gdbvm
 * gives: a note when it is something else. */
static void note_video(const char *path, const struct mb_header *h, FILE *err)
{
	if (h->mode_type == 1 && (h->width == 0 || h->width == 80) &&
	    (h->height == 0 || h->height == 25))
		return;
	if (h->mode_type == 1)
		fprintf(err, "gdbvm: note: Multiboot kernel '%s' asks for a %ux%u text mode; gdbvm "
			"gives the 80x25 text screen\n", path, h->width, h->height);
	else
		fprintf(err, "gdbvm: note: Multiboot kernel '%s' asks for a %ux%ux%u graphics mode; "
			"gdbvm gives the 80x25 text screen\n", path, h->width, h->height, h->depth);
}

static int load_kernel(struct guest_mem *mem, const struct mb_boot *b, struct mb_kernel *k,
		       FILE *err)
{
	char why[320];
	struct mb_header h;
	uint8_t *file = NULL;
	uint64_t size;
	int fd, e;

	e = open_regular("Multiboot kernel", b->path, &fd, &size, err);
	if (e)
		return e;
	if (size == 0 || size > ELF_FILE_MAX) {
		fprintf(err, "gdbvm: Multiboot kernel '%s' is %s (%llu bytes)\n", b->path,
			size ? "too large" : "empty", (unsigned long long)size);
		e = -EINVAL;
		goto out;
	}
	file = malloc(size);
	if (!file) {
		e = -ENOMEM;
		fprintf(err, "gdbvm: cannot read Multiboot kernel '%s': %s\n", b->path,
			strerror(-e));
		goto out;
	}
	e = read_file_start(fd, file, size);
	if (e) {
		fprintf(err, "gdbvm: cannot read Multiboot kernel '%s': %s\n", b->path,
			strerror(-e));
		goto out;
	}
	switch (scan_both(file, size, &h, why, sizeof(why))) {
	case MB_FOUND:
		break;
	case MB_NONE:
		snprintf(why, sizeof(why), "no Multiboot header in its first %d bytes (nor a "
			 "Multiboot 2 header in its first %d)", MB_SEARCH_LEN, MB2_SEARCH_LEN);
		/* fall through */
	case MB_BAD:
		e = -ENOEXEC;
		fprintf(err, "gdbvm: Multiboot kernel '%s': %s\n", b->path, why);
		goto out;
	}
	e = mb_kernel_parse(file, size, &h, &b->lim, k, why, sizeof(why));
	if (e) {
		fprintf(err, "gdbvm: Multiboot kernel '%s': %s\n", b->path, why);
		goto out;
	}
	if (h.flags & MB_HF_VIDEO_MODE)
		note_video(b->path, &h, err);
	e = mb_kernel_load(mem, file, size, k);
	if (e)
		fprintf(err, "gdbvm: cannot load Multiboot kernel '%s': %s\n", b->path,
			strerror(-e));
out:
	free(file);
	close(fd);
	return e;
}

/* One --module: its file name and the string the kernel is given. */
struct module_file {
	char *path;	/* FILE, up to the first comma */
	char *string;	/* FILE, then a space and STRING when given */
	int fd;
	uint64_t size;
};

static int split_module(const char *arg, struct module_file *m)
{
	size_t plen = strcspn(arg, ",");
	size_t len = strlen(arg);

	m->path = strndup(arg, plen);
	m->string = strdup(arg);
	if (!m->path || !m->string)
		return -ENOMEM;
	if (plen < len)
		m->string[plen] = ' ';
	return 0;
}

static void free_modules(struct module_file *mods, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		free(mods[i].path);
		free(mods[i].string);
		if (mods[i].fd >= 0)
			close(mods[i].fd);
	}
}

/* Open every module, place them after the kernel, read them into RAM. */
static int load_modules(struct guest_mem *mem, const struct mb_boot *b, uint64_t after,
			struct module_file *mods, struct mb_module *placed, FILE *err)
{
	uint64_t sizes[MB_MAX_MODULES], addrs[MB_MAX_MODULES];
	char why[256];
	int e;

	for (unsigned i = 0; i < b->nmodules; i++) {
		e = split_module(b->modules[i], &mods[i]);
		if (e) {
			fprintf(err, "gdbvm: cannot read module '%s': %s\n", b->modules[i],
				strerror(-e));
			return e;
		}
		e = open_regular("module", mods[i].path, &mods[i].fd, &mods[i].size, err);
		if (e)
			return e;
		sizes[i] = mods[i].size;
	}
	e = mb_place_modules(after, sizes, b->nmodules, b->map, b->nmap, addrs, why, sizeof(why));
	if (e) {
		fprintf(err, "gdbvm: %s\n", why);
		return e;
	}
	for (unsigned i = 0; i < b->nmodules; i++) {
		uint8_t *dst = mem_ptr(mem, addrs[i], sizes[i]);

		e = dst ? read_file_start(mods[i].fd, dst, sizes[i]) : -EFAULT;
		if (e) {
			fprintf(err, "gdbvm: cannot read module '%s': %s\n", mods[i].path,
				strerror(-e));
			return e;
		}
		placed[i] = (struct mb_module){ addrs[i], addrs[i] + sizes[i], mods[i].string };
	}
	return 0;
}

/* The kernel's command line: its path, then a space and --append if given. */
static char *make_cmdline(const struct mb_boot *b)
{
	size_t len = strlen(b->path) + (b->append ? strlen(b->append) + 1 : 0) + 1;
	char *s = malloc(len);

	if (s)
		snprintf(s, len, "%s%s%s", b->path, b->append ? " " : "",
			 b->append ? b->append : "");
	return s;
}

int mb_boot_load(struct guest_mem *mem, const struct mb_boot *b, struct mb_start *start,
		 FILE *err)
{
	struct module_file mods[MB_MAX_MODULES];
	struct mb_module placed[MB_MAX_MODULES];
	struct mb_kernel k;
	char why[256], *cmdline = NULL;
	uint8_t *info;
	size_t used;
	int e;

	if (b->nmodules > MB_MAX_MODULES) {
		fprintf(err, "gdbvm: too many modules (%u; at most %d)\n", b->nmodules,
			MB_MAX_MODULES);
		return -E2BIG;
	}
	for (unsigned i = 0; i < b->nmodules; i++)
		mods[i] = (struct module_file){ .fd = -1 };
	e = load_kernel(mem, b, &k, err);
	if (e)
		goto out;
	e = load_modules(mem, b, k.image_end, mods, placed, err);
	if (e)
		goto out;
	cmdline = make_cmdline(b);
	info = mem_ptr(mem, b->info_addr, b->info_size);
	if (!cmdline || !info || b->info_addr > UINT32_MAX) {
		e = cmdline ? -EFAULT : -ENOMEM;
		fprintf(err, "gdbvm: cannot write the Multiboot information: %s\n", strerror(-e));
		goto out;
	}
	e = (k.hdr.version == 2 ? mb2_info_build : mb_info_build)(
		info, b->info_size, (uint32_t)b->info_addr,
		&(struct mb_info_params){
			.cmdline = cmdline, .loader_name = LOADER_NAME,
			.map = b->map, .nmap = b->nmap,
			.mods = placed, .nmods = b->nmodules,
			.framebuffer = k.hdr.flags & MB_HF_VIDEO_MODE },
		&used, why, sizeof(why));
	if (e) {
		fprintf(err, "gdbvm: Multiboot kernel '%s': %s\n", b->path, why);
		goto out;
	}
	*start = (struct mb_start){
		.entry = k.entry,
		.magic = k.hdr.version == 2 ? MB2_BOOT_MAGIC : MB_BOOT_MAGIC,
		.version = k.hdr.version,
		.is_elf = k.from_elf,
	};
out:
	free(cmdline);
	free_modules(mods, b->nmodules);
	return e;
}
