/*
 * multiboot_info.c - what a Multiboot kernel finds through EBX: where its
 * modules go, and the information structure (memory sizes, memory map,
 * command line, boot loader name, module list, text framebuffer) laid out
 * in one buffer with everything it points to (see multiboot.h).
 */
#include "multiboot.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PAGE 4096u
#define LOWER_MEM_END 0xa0000u		/* 640 KiB: the most mem_lower can say */
#define UPPER_MEM_BASE 0x100000u	/* mem_upper counts from 1 MiB */

static int no_room(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int no_room(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -ENOSPC;
}

/* The first 4 KiB boundary at or after v; false when there is none. */
static bool align_up(uint64_t v, uint64_t *out)
{
	if (v > UINT64_MAX - (PAGE - 1))
		return false;
	*out = (v + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	return true;
}

/* The lowest page-aligned address >= from where size bytes fit inside one
 * available region; false when none has room. */
static bool find_room(uint64_t from, uint64_t size, const struct mb_region *map, unsigned nmap,
		      uint64_t *out)
{
	bool found = false;

	for (unsigned i = 0; i < nmap; i++) {
		const struct mb_region *r = &map[i];
		uint64_t start = from > r->base ? from : r->base;

		if (r->type != MB_MEM_AVAILABLE || r->len > UINT64_MAX - r->base ||
		    !align_up(start, &start))
			continue;
		if (start > r->base + r->len || size > r->base + r->len - start)
			continue;
		if (!found || start < *out)
			*out = start;
		found = true;
	}
	return found;
}

int mb_place_modules(uint64_t after, const uint64_t *sizes, unsigned n,
		     const struct mb_region *map, unsigned nmap, uint64_t *addrs,
		     char *why, size_t whylen)
{
	uint64_t cursor = after;

	for (unsigned i = 0; i < n; i++) {
		if (!find_room(cursor, sizes[i], map, nmap, &addrs[i]))
			return no_room(why, whylen, "module %u (%llu bytes) does not fit in guest "
				       "RAM after 0x%llx (give more with -m)", i + 1,
				       (unsigned long long)sizes[i], (unsigned long long)cursor);
		cursor = addrs[i] + sizes[i];
	}
	return 0;
}

static void put32(uint8_t *buf, size_t off, uint32_t v)
{
	memcpy(buf + off, &v, sizeof(v));	/* little-endian host and guest */
}

static void put64(uint8_t *buf, size_t off, uint64_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

/* Memory in KiB from 0 (mem_lower) and from 1 MiB (mem_upper): the
 * available regions that start there, as the memory map says. */
static void memory_sizes(const struct mb_region *map, unsigned nmap, uint32_t *lower,
			 uint32_t *upper)
{
	*lower = *upper = 0;
	for (unsigned i = 0; i < nmap; i++) {
		uint64_t len = map[i].len;

		if (map[i].type != MB_MEM_AVAILABLE)
			continue;
		if (map[i].base == 0)
			*lower = (uint32_t)((len < LOWER_MEM_END ? len : LOWER_MEM_END) / 1024);
		else if (map[i].base == UPPER_MEM_BASE)
			*upper = (uint32_t)(len / 1024 > UINT32_MAX ? UINT32_MAX : len / 1024);
	}
}

/* A cursor over the buffer: hands out room or records that there was none. */
struct room {
	uint8_t *buf;
	size_t size, used;
	uint32_t phys;
	bool full;
};

static size_t take(struct room *r, size_t len, size_t align)
{
	size_t at = (r->used + align - 1) & ~(align - 1);

	if (r->full || at > r->size || len > r->size - at) {
		r->full = true;
		return 0;
	}
	r->used = at + len;
	return at;
}

/* Copy a string into the buffer; its guest address (0 when full). */
static uint32_t put_string(struct room *r, const char *s)
{
	size_t len = strlen(s) + 1;
	size_t at = take(r, len, 1);

	if (r->full)
		return 0;
	memcpy(r->buf + at, s, len);
	return r->phys + (uint32_t)at;
}

static void put_mmap(struct room *r, const struct mb_info_params *p)
{
	size_t at = take(r, (size_t)p->nmap * MB_MMAP_ENTRY_SIZE, 8);

	if (r->full)
		return;
	put32(r->buf, MBI_MMAP_LENGTH, p->nmap * MB_MMAP_ENTRY_SIZE);
	put32(r->buf, MBI_MMAP_ADDR, r->phys + (uint32_t)at);
	for (unsigned i = 0; i < p->nmap; i++) {
		size_t e = at + (size_t)i * MB_MMAP_ENTRY_SIZE;

		/* The size field counts the bytes after itself. */
		put32(r->buf, e, MB_MMAP_ENTRY_SIZE - 4);
		put64(r->buf, e + 4, p->map[i].base);
		put64(r->buf, e + 12, p->map[i].len);
		put32(r->buf, e + 20, p->map[i].type);
	}
}

static void put_modules(struct room *r, const struct mb_info_params *p)
{
	size_t at = take(r, (size_t)p->nmods * MB_MOD_ENTRY_SIZE, 16);

	if (r->full)
		return;
	put32(r->buf, MBI_MODS_COUNT, p->nmods);
	put32(r->buf, MBI_MODS_ADDR, r->phys + (uint32_t)at);
	for (unsigned i = 0; i < p->nmods; i++) {
		size_t e = at + (size_t)i * MB_MOD_ENTRY_SIZE;

		put32(r->buf, e, (uint32_t)p->mods[i].start);
		put32(r->buf, e + 4, (uint32_t)p->mods[i].end);
		put32(r->buf, e + 8, put_string(r, p->mods[i].string));
		put32(r->buf, e + 12, 0);
	}
}

int mb_info_build(uint8_t *buf, size_t bufsize, uint32_t buf_phys,
		  const struct mb_info_params *p, size_t *used, char *why, size_t whylen)
{
	struct room r = { .buf = buf, .size = bufsize, .phys = buf_phys };
	uint32_t flags = MB_INFO_MEMORY | MB_INFO_MMAP | MB_INFO_LOADER_NAME, lower, upper;

	memset(buf, 0, bufsize);
	take(&r, MBI_SIZE, 8);
	memory_sizes(p->map, p->nmap, &lower, &upper);
	if (!r.full) {
		put32(buf, MBI_MEM_LOWER, lower);
		put32(buf, MBI_MEM_UPPER, upper);
	}
	put_mmap(&r, p);
	if (p->nmods) {
		flags |= MB_INFO_MODS;
		put_modules(&r, p);
	}
	if (p->framebuffer && !r.full) {
		flags |= MB_INFO_FRAMEBUFFER;
		put64(buf, MBI_FB_ADDR, 0xb8000);
		put32(buf, MBI_FB_PITCH, 80 * 2);
		put32(buf, MBI_FB_WIDTH, 80);
		put32(buf, MBI_FB_HEIGHT, 25);
		buf[MBI_FB_BPP] = 16;
		buf[MBI_FB_TYPE] = MB_FB_TYPE_EGA_TEXT;
	}
	if (p->cmdline) {
		flags |= MB_INFO_CMDLINE;
		if (!r.full)
			put32(buf, MBI_CMDLINE, put_string(&r, p->cmdline));
	}
	if (!r.full)
		put32(buf, MBI_LOADER_NAME, put_string(&r, p->loader_name));
	if (r.full)
		return no_room(why, whylen, "the Multiboot information (memory map, command "
			       "line, module list and strings) needs more than the %zu bytes gdbvm "
			       "has for it", bufsize);
	put32(buf, MBI_FLAGS, flags);
	*used = r.used;
	return 0;
}
