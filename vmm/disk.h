/*
 * disk.h - the disk image behind --boot: size and boot-signature checks,
 * the CHS geometry the BIOS reports, CHS/LBA conversion, and sector reads
 * and writes.  Writes go to the image file only with --writable; otherwise
 * they are kept in memory (copy-on-write, per 64 KiB chunk) and the file is
 * never modified.
 */
#ifndef GDBVM_DISK_H
#define GDBVM_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DISK_SECTOR_SIZE	512
/* The largest disk INT 13h CHS geometry describes: 1024 x 255 x 63. */
#define DISK_MAX_SECTORS	(UINT64_C(1024) * 255 * 63)
#define DISK_FLOPPY_MAX_SECTORS	5760	/* 2880K */
#define DISK_CHUNK_SECTORS	128	/* copy-on-write granule: 64 KiB */

struct disk_geometry {
	uint32_t cylinders;
	uint32_t heads;
	uint32_t sectors;	/* per track, numbered from 1 */
};

struct disk {
	int fd;
	uint64_t nsectors;	/* the last one may be partly beyond the file's end */
	uint64_t size;		/* the file's length in bytes, now */
	uint64_t original_size;	/* and when it was opened */
	struct disk_geometry geo;
	bool floppy;		/* drive number below 0x80 */
	bool writable;		/* writes go to the file */
	uint8_t **overlay;	/* !writable: written chunks, NULL until written */
	uint64_t nchunks;
};

/* Why an image of size bytes cannot be a disk, or NULL when it can. */
const char *disk_size_problem(uint64_t size);

/* Sectors an image of size bytes holds, a last partial one counted. */
uint64_t disk_sectors_for(uint64_t size);

/* Whether sector 0 ends with the boot signature 0x55 0xAA. */
bool disk_has_boot_signature(const uint8_t sector0[DISK_SECTOR_SIZE]);

/* True, with its geometry, when size is one of the standard floppy sizes. */
bool disk_floppy_size(uint64_t size, struct disk_geometry *geo);

/*
 * The geometry for a disk of nsectors: for a floppy drive the smallest
 * standard floppy geometry that holds it (-EFBIG beyond 2880K); for a hard
 * disk 16 heads and 63 sectors per track (255 heads above 504 MiB) and as
 * many cylinders as needed, the last one possibly partly beyond the image.
 */
int disk_geometry_for(uint64_t nsectors, bool floppy, struct disk_geometry *geo);

/* CHS (sector from 1) to LBA: 0, or -EINVAL outside the geometry. */
int disk_chs_to_lba(const struct disk_geometry *geo, uint32_t c, uint32_t h, uint32_t s,
		    uint64_t *lba);
void disk_lba_to_chs(const struct disk_geometry *geo, uint64_t lba, uint32_t *c, uint32_t *h,
		     uint32_t *s);

/*
 * Open an image for the given drive kind.  On failure returns -errno and
 * writes the message (naming the file, without "gdbvm: ") into why.  An
 * image that is not a whole number of sectors is accepted: its last sector
 * reads as padded with zeros.  With writable, a write to that sector
 * lengthens the file to a whole sector (size then differs from
 * original_size); nothing else changes the file's length.
 */
int disk_open(struct disk *d, const char *path, bool floppy, bool writable, char *why,
	      size_t whylen);
void disk_close(struct disk *d);

/* count sectors from lba: 0, -ERANGE past the end, -errno from the file. */
int disk_read(struct disk *d, uint64_t lba, uint32_t count, uint8_t *buf);
int disk_write(struct disk *d, uint64_t lba, uint32_t count, const uint8_t *buf);

#endif
