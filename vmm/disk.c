/*
 * disk.c - disk image checks, geometry, CHS/LBA and sector I/O (see disk.h).
 */
#include "disk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The standard floppy formats, smallest first. */
static const struct {
	uint32_t kib;
	struct disk_geometry geo;
} floppy_formats[] = {
	{ 160, { 40, 1, 8 } },	{ 180, { 40, 1, 9 } },	 { 320, { 40, 2, 8 } },
	{ 360, { 40, 2, 9 } },	{ 720, { 80, 2, 9 } },	 { 1200, { 80, 2, 15 } },
	{ 1440, { 80, 2, 18 } }, { 2880, { 80, 2, 36 } },
};

#define NFLOPPY (sizeof(floppy_formats) / sizeof(floppy_formats[0]))

const char *disk_size_problem(uint64_t size)
{
	if (size == 0)
		return "is empty";
	if (disk_sectors_for(size) > DISK_MAX_SECTORS)
		return "is too large: at most 8422686720 bytes (1024 cylinders x 255 heads x "
		       "63 sectors) can be booted";
	return NULL;
}

uint64_t disk_sectors_for(uint64_t size)
{
	return size / DISK_SECTOR_SIZE + (size % DISK_SECTOR_SIZE != 0);
}

bool disk_has_boot_signature(const uint8_t sector0[DISK_SECTOR_SIZE])
{
	return sector0[510] == 0x55 && sector0[511] == 0xaa;
}

bool disk_floppy_size(uint64_t size, struct disk_geometry *geo)
{
	for (size_t i = 0; i < NFLOPPY; i++)
		if (size == (uint64_t)floppy_formats[i].kib * 1024) {
			*geo = floppy_formats[i].geo;
			return true;
		}
	return false;
}

int disk_geometry_for(uint64_t nsectors, bool floppy, struct disk_geometry *geo)
{
	uint64_t per_cyl;

	if (floppy) {
		for (size_t i = 0; i < NFLOPPY; i++)
			if (nsectors * DISK_SECTOR_SIZE <= (uint64_t)floppy_formats[i].kib * 1024) {
				*geo = floppy_formats[i].geo;
				return 0;
			}
		return -EFBIG;
	}
	if (nsectors > DISK_MAX_SECTORS)
		return -EFBIG;
	geo->sectors = 63;
	geo->heads = nsectors <= UINT64_C(1024) * 16 * 63 ? 16 : 255;
	per_cyl = (uint64_t)geo->heads * geo->sectors;
	geo->cylinders = (uint32_t)((nsectors + per_cyl - 1) / per_cyl);
	if (geo->cylinders == 0)
		geo->cylinders = 1;
	return 0;
}

int disk_chs_to_lba(const struct disk_geometry *geo, uint32_t c, uint32_t h, uint32_t s,
		    uint64_t *lba)
{
	if (s == 0 || s > geo->sectors || h >= geo->heads || c >= geo->cylinders)
		return -EINVAL;
	*lba = ((uint64_t)c * geo->heads + h) * geo->sectors + (s - 1);
	return 0;
}

void disk_lba_to_chs(const struct disk_geometry *geo, uint64_t lba, uint32_t *c, uint32_t *h,
		     uint32_t *s)
{
	*s = (uint32_t)(lba % geo->sectors) + 1;
	lba /= geo->sectors;
	*h = (uint32_t)(lba % geo->heads);
	*c = (uint32_t)(lba / geo->heads);
}

static bool in_range(const struct disk *d, uint64_t lba, uint32_t count)
{
	return lba <= d->nsectors && count <= d->nsectors - lba;
}

/*
 * count sectors from lba between the image file and buf, whole or -errno.
 * A read past the file's end (the last sector of an image that is not a
 * whole number of sectors) gives zeros; a write there lengthens the file.
 */
static int file_io(struct disk *d, uint64_t lba, uint32_t count, uint8_t *buf, bool write)
{
	size_t len = (size_t)count * DISK_SECTOR_SIZE, done = 0;
	uint64_t from = lba * DISK_SECTOR_SIZE;

	if (!write && from + len > d->size) {
		size_t have = from >= d->size ? 0 : (size_t)(d->size - from);

		memset(buf + have, 0, len - have);
		len = have;
	}
	while (done < len) {
		off_t at = (off_t)(from + done);
		ssize_t n = write ? pwrite(d->fd, buf + done, len - done, at)
				  : pread(d->fd, buf + done, len - done, at);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	if (write && from + len > d->size)
		d->size = from + len;
	return 0;
}

int disk_open(struct disk *d, const char *path, bool floppy, bool writable, char *why,
	      size_t whylen)
{
	uint8_t sector0[DISK_SECTOR_SIZE];
	const char *problem;
	struct stat st;
	int e;

	*d = (struct disk){ .fd = -1, .floppy = floppy, .writable = writable };
	d->fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK);	/* no FIFO wait */
	if (d->fd < 0) {
		e = -errno;
		snprintf(why, whylen, "cannot open disk image '%s': %s", path, strerror(-e));
		return e;
	}
	if (fstat(d->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "disk image '%s' is not a regular file", path);
		e = -EINVAL;
		goto fail;
	}
	problem = disk_size_problem((uint64_t)st.st_size);
	if (problem) {
		snprintf(why, whylen, "disk image '%s' (%lld bytes) %s", path,
			 (long long)st.st_size, problem);
		e = st.st_size == 0 ? -EINVAL : -EFBIG;
		goto fail;
	}
	d->size = d->original_size = (uint64_t)st.st_size;
	d->nsectors = disk_sectors_for(d->size);
	if (disk_geometry_for(d->nsectors, floppy, &d->geo) < 0) {
		snprintf(why, whylen, "disk image '%s' (%lld bytes) is too large for a floppy "
			 "drive (at most 2880K); boot it as a hard disk with --drive 0x80", path,
			 (long long)st.st_size);
		e = -EFBIG;
		goto fail;
	}
	if (file_io(d, 0, 1, sector0, false) < 0) {
		snprintf(why, whylen, "cannot read the boot sector of disk image '%s'", path);
		e = -EIO;
		goto fail;
	}
	if (!disk_has_boot_signature(sector0)) {
		snprintf(why, whylen, "disk image '%s' is not bootable: sector 0 ends with 0x%02x "
			 "0x%02x, not the boot signature 0x55 0xaa", path, sector0[510],
			 sector0[511]);
		e = -ENOEXEC;
		goto fail;
	}
	d->nchunks = (d->nsectors + DISK_CHUNK_SECTORS - 1) / DISK_CHUNK_SECTORS;
	if (!writable) {
		d->overlay = calloc(d->nchunks, sizeof(*d->overlay));
		if (!d->overlay) {
			snprintf(why, whylen, "%s", strerror(ENOMEM));
			e = -ENOMEM;
			goto fail;
		}
	}
	return 0;
fail:
	disk_close(d);
	return e;
}

void disk_close(struct disk *d)
{
	if (d->overlay) {
		for (uint64_t i = 0; i < d->nchunks; i++)
			free(d->overlay[i]);
		free(d->overlay);
	}
	if (d->fd >= 0)
		close(d->fd);
	*d = (struct disk){ .fd = -1 };
}

static int read_file(struct disk *d, uint64_t lba, uint32_t count, uint8_t *buf)
{
	return file_io(d, lba, count, buf, false);
}

/* The in-memory copy of sector lba, or NULL when it was never written. */
static uint8_t *overlay_sector(const struct disk *d, uint64_t lba)
{
	uint8_t *chunk = d->overlay ? d->overlay[lba / DISK_CHUNK_SECTORS] : NULL;

	return chunk ? chunk + (lba % DISK_CHUNK_SECTORS) * DISK_SECTOR_SIZE : NULL;
}

int disk_read(struct disk *d, uint64_t lba, uint32_t count, uint8_t *buf)
{
	if (!in_range(d, lba, count))
		return -ERANGE;
	/* Sectors written in memory are copied; each run of the others is
	 * one read of the file. */
	for (uint32_t i = 0, run; i < count; i += run) {
		const uint8_t *mem = overlay_sector(d, lba + i);
		int e;

		if (mem) {
			memcpy(buf + (size_t)i * DISK_SECTOR_SIZE, mem, DISK_SECTOR_SIZE);
			run = 1;
			continue;
		}
		for (run = 1; i + run < count && !overlay_sector(d, lba + i + run); run++)
			;
		e = read_file(d, lba + i, run, buf + (size_t)i * DISK_SECTOR_SIZE);
		if (e)
			return e;
	}
	return 0;
}

/* Make the chunk holding lba an in-memory copy of the file's. */
static int overlay_chunk(struct disk *d, uint64_t lba)
{
	uint64_t idx = lba / DISK_CHUNK_SECTORS, first = idx * DISK_CHUNK_SECTORS;
	uint64_t n = d->nsectors - first < DISK_CHUNK_SECTORS ? d->nsectors - first
							       : DISK_CHUNK_SECTORS;
	uint8_t *chunk;
	int e;

	if (d->overlay[idx])
		return 0;
	chunk = calloc(DISK_CHUNK_SECTORS, DISK_SECTOR_SIZE);
	if (!chunk)
		return -ENOMEM;
	e = read_file(d, first, (uint32_t)n, chunk);
	if (e) {
		free(chunk);
		return e;
	}
	d->overlay[idx] = chunk;
	return 0;
}

int disk_write(struct disk *d, uint64_t lba, uint32_t count, const uint8_t *buf)
{
	if (!in_range(d, lba, count))
		return -ERANGE;
	if (d->writable)	/* file_io does not write through buf */
		return file_io(d, lba, count, (uint8_t *)buf, true);
	for (uint32_t i = 0; i < count; i++) {
		int e = overlay_chunk(d, lba + i);

		if (e)
			return e;
		memcpy(overlay_sector(d, lba + i), buf + (size_t)i * DISK_SECTOR_SIZE,
		       DISK_SECTOR_SIZE);
	}
	return 0;
}
