/*
 * multiboot2.c - Multiboot 2 (the specification GRUB 2 implements): the
 * header and its tags, read into the same shape as a version 1 header so
 * the kernel is checked and loaded by the same code, and the information
 * handed to the kernel as a list of tags (see multiboot.h).
 */
#include "refuse.h"
#include "multiboot.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MB2_ARCH_I386		0
#define MB2_HEADER_LEN		16	/* magic, architecture, length, checksum */
#define MB2_TAG_OPTIONAL	1	/* header tag flags bit 0 */

/* Header tag types. */
enum {
	HT_END = 0,
	HT_INFO_REQUEST = 1,
	HT_ADDRESS = 2,
	HT_ENTRY = 3,
	HT_CONSOLE = 4,
	HT_FRAMEBUFFER = 5,
	HT_MODULE_ALIGN = 6,
	HT_EFI_BS = 7,
	HT_EFI_I386_ENTRY = 8,
	HT_EFI_AMD64_ENTRY = 9,
	HT_RELOCATABLE = 10,
};

/* Information the kernel may ask for that gdbvm gives. */
static bool info_provided(uint32_t type)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
	case MB2_TAG_LOADER_NAME:
	case MB2_TAG_MODULE:
	case MB2_TAG_BASIC_MEMINFO:
	case MB2_TAG_MMAP:
	case MB2_TAG_FRAMEBUFFER:
		return true;
	default:
		return false;
	}
}

static int read_info_request(const uint8_t *t, uint32_t size, bool optional, char *why,
			     size_t whylen)
{
	if (optional)
		return 0;	/* what gdbvm lacks, the kernel can do without */
	for (uint32_t off = 8; off + 4 <= size; off += 4) {
		uint32_t type = file_get32(t + off);

		if (!info_provided(type))
			return refuse(why, whylen, "the Multiboot 2 header requires information "
				      "tag type %u, which gdbvm does not provide (it gives types 1-4, "
				      "6 and 8: command line, boot loader name, modules, memory "
				      "sizes, memory map, framebuffer)", type);
	}
	return 0;
}

/* One header tag at t (size bytes, checked to lie in the header). */
static int read_tag(const uint8_t *t, uint16_t type, uint32_t size, bool optional,
		    struct mb_header *h, char *why, size_t whylen)
{
	switch (type) {
	case HT_INFO_REQUEST:
		return read_info_request(t, size, optional, why, whylen);
	case HT_ADDRESS:
		if (size < 24)
			break;
		h->flags |= MB_HF_ADDRESSES;
		h->header_addr = file_get32(t + 8);
		h->load_addr = file_get32(t + 12);
		h->load_end_addr = file_get32(t + 16);
		h->bss_end_addr = file_get32(t + 20);
		/* load_addr -1: the file is loaded from its first byte. */
		if (h->load_addr == UINT32_MAX && h->header_addr >= h->offset)
			h->load_addr = h->header_addr - h->offset;
		return 0;
	case HT_ENTRY:
		if (size < 12)
			break;
		h->entry_given = true;
		h->entry_addr = file_get32(t + 8);
		return 0;
	case HT_FRAMEBUFFER:
		if (size < 20)
			break;
		h->flags |= MB_HF_VIDEO_MODE;
		h->width = file_get32(t + 8);
		h->height = file_get32(t + 12);
		h->depth = file_get32(t + 16);
		/* depth 0 with no size, or 80x25: the text screen; else graphics. */
		h->mode_type = h->depth == 0 ? 1 : 0;
		return 0;
	case HT_CONSOLE:		/* gdbvm always has the EGA text console */
	case HT_MODULE_ALIGN:		/* modules are always page-aligned */
	case HT_RELOCATABLE:		/* loading at the linked address is allowed */
	case HT_EFI_BS:			/* not an EFI machine: these do not apply */
	case HT_EFI_I386_ENTRY:
	case HT_EFI_AMD64_ENTRY:
		return 0;
	default:
		if (optional)
			return 0;
		return refuse(why, whylen, "the Multiboot 2 header requires tag type %u, which "
			      "gdbvm does not know", type);
	}
	return refuse(why, whylen, "the Multiboot 2 header's tag type %u is too short (%u bytes)",
		      type, size);
}

/* Walk the tags of a header of len bytes at p (checked to be in the file). */
static int read_tags(const uint8_t *p, uint32_t len, struct mb_header *h, char *why,
		     size_t whylen)
{
	uint32_t off = MB2_HEADER_LEN;

	while (off + 8 <= len) {
		const uint8_t *t = p + off;
		uint16_t type = file_get16(t), flags = file_get16(t + 2);
		uint32_t size = file_get32(t + 4);
		int e;

		if (size < 8 || size > len - off)
			return refuse(why, whylen, "the Multiboot 2 header's tag at offset %u has a "
				      "bad size (%u bytes; the header has %u)", off, size, len);
		if (type == HT_END)
			return 0;
		e = read_tag(t, type, size, flags & MB2_TAG_OPTIONAL, h, why, whylen);
		if (e)
			return e;
		off += (size + 7) & ~UINT32_C(7);	/* tags start on 8-byte boundaries */
	}
	return refuse(why, whylen, "the Multiboot 2 header (%u bytes) has no end tag", len);
}

enum mb_scan_result mb2_scan(const uint8_t *file, size_t len, struct mb_header *h, char *why,
			     size_t whylen)
{
	size_t limit = len < MB2_SEARCH_LEN ? len : MB2_SEARCH_LEN;
	bool bad = false;

	for (size_t off = 0; off + MB2_HEADER_LEN <= limit; off += 8) {
		const uint8_t *p = file + off;
		uint32_t arch = file_get32(p + 4), hlen = file_get32(p + 8);
		uint32_t sum = file_get32(p) + arch + hlen + file_get32(p + 12);

		if (file_get32(p) != MB2_HEADER_MAGIC)
			continue;
		if (sum != 0) {
			if (!bad)
				refuse(why, whylen, "the Multiboot 2 header at file offset 0x%zx has "
				       "a bad checksum (magic + architecture + header_length + "
				       "checksum = 0x%08x, must be 0)", off, sum);
			bad = true;
			continue;
		}
		*h = (struct mb_header){ .offset = (uint32_t)off, .version = 2 };
		if (arch != MB2_ARCH_I386)
			refuse(why, whylen, "the Multiboot 2 header at file offset 0x%zx is for "
			       "architecture %u, not i386 (0)", off, arch);
		else if (hlen < MB2_HEADER_LEN + 8 || hlen > len - off ||
			 hlen > MB2_SEARCH_LEN - off)
			refuse(why, whylen, "the Multiboot 2 header at file offset 0x%zx says it is "
			       "%u bytes long, which does not fit in the file's first %d bytes",
			       off, hlen, MB2_SEARCH_LEN);
		else if (read_tags(p, hlen, h, why, whylen) == 0) {
			if ((h->flags & MB_HF_ADDRESSES) && !h->entry_given)
				refuse(why, whylen, "the Multiboot 2 header has an address tag but "
				       "no entry address tag");
			else
				return MB_FOUND;
		}
		return MB_BAD;
	}
	return bad ? MB_BAD : MB_NONE;
}

/* ---- the information: a list of tags ---- */

struct tags {
	uint8_t *buf;
	size_t size, used;
	bool full;
};

/* Room for a tag of len bytes (8-byte aligned); NULL when full. */
static uint8_t *tag_start(struct tags *t, uint32_t type, size_t len)
{
	size_t at = (t->used + 7) & ~(size_t)7;
	uint32_t size = (uint32_t)len;

	if (t->full || at > t->size || len > t->size - at || len > UINT32_MAX) {
		t->full = true;
		return NULL;
	}
	t->used = at + len;
	memcpy(t->buf + at, &type, 4);
	memcpy(t->buf + at + 4, &size, 4);
	return t->buf + at;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void string_tag(struct tags *t, uint32_t type, const char *s)
{
	size_t n = strlen(s) + 1;
	uint8_t *p = tag_start(t, type, 8 + n);

	if (p)
		memcpy(p + 8, s, n);
}

static void module_tags(struct tags *t, const struct mb_info_params *ip)
{
	for (unsigned i = 0; i < ip->nmods; i++) {
		size_t n = strlen(ip->mods[i].string) + 1;
		uint8_t *p = tag_start(t, MB2_TAG_MODULE, 16 + n);

		if (!p)
			return;
		put32(p + 8, (uint32_t)ip->mods[i].start);
		put32(p + 12, (uint32_t)ip->mods[i].end);
		memcpy(p + 16, ip->mods[i].string, n);
	}
}

static void meminfo_tag(struct tags *t, const struct mb_info_params *ip)
{
	uint8_t *p = tag_start(t, MB2_TAG_BASIC_MEMINFO, 16);
	uint32_t lower = 0, upper = 0;

	for (unsigned i = 0; i < ip->nmap; i++) {
		const struct mb_region *r = &ip->map[i];

		if (r->type != MB_MEM_AVAILABLE)
			continue;
		if (r->base == 0)
			lower = (uint32_t)((r->len < 0xa0000 ? r->len : 0xa0000) / 1024);
		else if (r->base == 0x100000)
			upper = (uint32_t)(r->len / 1024 > UINT32_MAX ? UINT32_MAX : r->len / 1024);
	}
	if (p) {
		put32(p + 8, lower);
		put32(p + 12, upper);
	}
}

static void mmap_tag(struct tags *t, const struct mb_info_params *ip)
{
	uint8_t *p = tag_start(t, MB2_TAG_MMAP, 16 + (size_t)ip->nmap * 24);

	if (!p)
		return;
	put32(p + 8, 24);	/* entry_size */
	put32(p + 12, 0);	/* entry_version */
	for (unsigned i = 0; i < ip->nmap; i++) {
		uint8_t *e = p + 16 + (size_t)i * 24;

		put64(e, ip->map[i].base);
		put64(e + 8, ip->map[i].len);
		put32(e + 16, ip->map[i].type);
		put32(e + 20, 0);
	}
}

static void framebuffer_tag(struct tags *t)
{
	uint8_t *p = tag_start(t, MB2_TAG_FRAMEBUFFER, 32);

	if (!p)
		return;
	put64(p + 8, 0xb8000);
	put32(p + 16, 80 * 2);	/* pitch */
	put32(p + 20, 80);
	put32(p + 24, 25);
	p[28] = 16;		/* bits per character cell */
	p[29] = MB_FB_TYPE_EGA_TEXT;
}

int mb2_info_build(uint8_t *buf, size_t bufsize, uint32_t buf_phys,
		   const struct mb_info_params *p, size_t *used, char *why, size_t whylen)
{
	struct tags t = { .buf = buf, .size = bufsize, .used = 8 };
	uint32_t total;

	(void)buf_phys;		/* tags hold no pointers: modules give physical addresses */
	memset(buf, 0, bufsize);
	if (bufsize < 8)
		t.full = true;
	if (p->cmdline)
		string_tag(&t, MB2_TAG_CMDLINE, p->cmdline);
	string_tag(&t, MB2_TAG_LOADER_NAME, p->loader_name);
	module_tags(&t, p);
	meminfo_tag(&t, p);
	mmap_tag(&t, p);
	if (p->framebuffer)
		framebuffer_tag(&t);
	tag_start(&t, MB2_TAG_END, 8);
	if (t.full) {
		refuse(why, whylen, "the Multiboot 2 information (memory map, command line, "
		       "modules and strings) needs more than the %zu bytes gdbvm has for it",
		       bufsize);
		return -ENOSPC;
	}
	total = (uint32_t)t.used;
	put32(buf, total);	/* total_size, then a reserved word of 0 */
	*used = t.used;
	return 0;
}
