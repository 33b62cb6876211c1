/*
 * multiboot_header.c - the Multiboot (version 1) header: finding it in the
 * first 8 KiB of a kernel, checking what it asks for, and checking and
 * copying the kernel to where it says (its address fields) or where its
 * ELF program headers say (see multiboot.h).
 */
#include "refuse.h"
#include "multiboot.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Bytes the header occupies: 12, plus the address fields, plus the video
 * fields when their flags say they are there (the video fields follow
 * the address fields whether those are valid or not). */
static size_t header_len(uint32_t flags)
{
	if (flags & MB_HF_VIDEO_MODE)
		return 48;
	if (flags & MB_HF_ADDRESSES)
		return 32;
	return 12;
}

static void read_header(const uint8_t *p, size_t off, size_t avail, struct mb_header *h)
{
	uint32_t f[12] = { 0 };

	for (size_t i = 0; i < 12 && (i + 1) * 4 <= avail; i++)
		f[i] = file_get32(p + i * 4);
	*h = (struct mb_header){ .offset = (uint32_t)off, .flags = f[1],
				 .header_addr = f[3], .load_addr = f[4], .load_end_addr = f[5],
				 .bss_end_addr = f[6], .entry_addr = f[7], .mode_type = f[8],
				 .width = f[9], .height = f[10], .depth = f[11], .version = 1 };
}

enum mb_scan_result mb_scan(const uint8_t *file, size_t len, struct mb_header *h, char *why,
			    size_t whylen)
{
	size_t limit = len < MB_SEARCH_LEN ? len : MB_SEARCH_LEN;
	bool bad = false;

	for (size_t off = 0; off + 12 <= limit; off += 4) {
		const uint8_t *p = file + off;
		uint32_t flags = file_get32(p + 4), sum = file_get32(p) + flags + file_get32(p + 8);
		size_t need = header_len(flags);

		if (file_get32(p) != MB_HEADER_MAGIC)
			continue;
		if (sum != 0) {
			if (!bad)
				refuse(why, whylen, "the Multiboot header at file offset 0x%zx has a "
				       "bad checksum (magic + flags + checksum = 0x%08x, must be 0)",
				       off, sum);
			bad = true;
			continue;
		}
		if (off + need > len)
			refuse(why, whylen, "the Multiboot header at file offset 0x%zx (%zu bytes "
			       "with flags 0x%08x) runs past the end of the file (%zu bytes)",
			       off, need, flags, len);
		else if (off + need > MB_SEARCH_LEN)
			refuse(why, whylen, "the Multiboot header at file offset 0x%zx (%zu bytes "
			       "with flags 0x%08x) runs past the first %d bytes, where it must lie",
			       off, need, flags, MB_SEARCH_LEN);
		else {
			read_header(p, off, need, h);
			return MB_FOUND;
		}
		return MB_BAD;
	}
	return bad ? MB_BAD : MB_NONE;
}

/* [base, end) against gdbvm's area. */
static int check_clear_of_area(uint64_t base, uint64_t end, const char *what,
			       const struct mb_limits *lim, char *why, size_t whylen)
{
	uint64_t abase = lim->area_base, aend = lim->area_base + lim->area_size;

	if (base < aend && abase < end)
		return refuse(why, whylen, "%s at 0x%llx-0x%llx overlaps gdbvm's own area at "
			      "0x%llx-0x%llx (GDT, page tables, Multiboot information); link the "
			      "kernel above it (1 MiB is usual)", what, (unsigned long long)base,
			      (unsigned long long)end - 1, (unsigned long long)abase,
			      (unsigned long long)aend - 1);
	return 0;
}

static int check_required_flags(uint32_t flags, char *why, size_t whylen)
{
	uint32_t unknown = flags & 0xffff & ~MB_HF_KNOWN_REQUIRED;

	if (unknown)
		return refuse(why, whylen, "the Multiboot header requires feature bit %d (flags "
			      "0x%08x), which gdbvm does not provide (it knows bits 0-2: "
			      "page-aligned modules, memory information, video mode)",
			      __builtin_ctz(unknown), flags);
	return 0;
}

/* The header's address fields (flag 16): the a.out kludge. */
static int parse_addresses(size_t len, const struct mb_header *h, const struct mb_limits *lim,
			   struct mb_kernel *k, char *why, size_t whylen)
{
	uint64_t before, load_end;

	if (h->header_addr < h->load_addr)
		return refuse(why, whylen, "Multiboot header_addr 0x%x lies below load_addr 0x%x",
			      h->header_addr, h->load_addr);
	before = (uint64_t)h->header_addr - h->load_addr;
	if (before > h->offset)
		return refuse(why, whylen, "Multiboot load_addr 0x%x is 0x%llx bytes before the "
			      "header, which is only 0x%x bytes into the file", h->load_addr,
			      (unsigned long long)before, h->offset);
	k->file_off = h->offset - before;
	k->load_addr = h->load_addr;
	if (h->load_end_addr == 0) {
		k->load_len = len - k->file_off;
	} else {
		if (h->load_end_addr < h->load_addr)
			return refuse(why, whylen, "Multiboot load_end_addr 0x%x lies below "
				      "load_addr 0x%x", h->load_end_addr, h->load_addr);
		k->load_len = (uint64_t)h->load_end_addr - h->load_addr;
		if (k->load_len > len - k->file_off)
			return refuse(why, whylen, "Multiboot load_end_addr 0x%x needs 0x%llx bytes "
				      "from file offset 0x%llx, but the file has only 0x%llx",
				      h->load_end_addr, (unsigned long long)k->load_len,
				      (unsigned long long)k->file_off,
				      (unsigned long long)(len - k->file_off));
	}
	load_end = k->load_addr + k->load_len;
	k->bss_end = load_end;
	if (h->bss_end_addr) {
		if (h->bss_end_addr < load_end)
			return refuse(why, whylen, "Multiboot bss_end_addr 0x%x lies below the end "
				      "of the loaded image 0x%llx", h->bss_end_addr,
				      (unsigned long long)load_end);
		k->bss_end = h->bss_end_addr;
	}
	if (k->bss_end > lim->ram_size)
		return refuse(why, whylen, "the kernel at 0x%llx-0x%llx (Multiboot address fields) "
			      "lies outside guest RAM (0x%llx bytes; give more with -m)",
			      (unsigned long long)k->load_addr, (unsigned long long)k->bss_end - 1,
			      (unsigned long long)lim->ram_size);
	if (h->entry_addr < k->load_addr || h->entry_addr >= load_end)
		return refuse(why, whylen, "Multiboot entry_addr 0x%x lies outside the loaded "
			      "image 0x%llx-0x%llx", h->entry_addr,
			      (unsigned long long)k->load_addr, (unsigned long long)load_end - 1);
	k->entry = h->entry_addr;
	k->image_end = k->bss_end;
	return check_clear_of_area(k->load_addr, k->bss_end, "the kernel", lim, why, whylen);
}

/* No address fields: the ELF program headers say where the kernel goes. */
static int parse_elf(const uint8_t *file, size_t len, const struct mb_header *h,
		     const struct mb_limits *lim, struct mb_kernel *k, char *why, size_t whylen)
{
	bool entry_ok = false;
	int e;

	if (!elf_has_magic(file, len))
		return refuse(why, whylen, "the kernel is not an ELF file and its Multiboot "
			      "header has no %s: gdbvm cannot tell where to load it",
			      h->version == 2 ? "address tag" : "address fields (flag 16)");
	e = elf_parse(file, len, lim->ram_size, &k->elf, why, whylen);
	if (e)
		return e;
	k->from_elf = true;
	k->entry = h->entry_given ? h->entry_addr : k->elf.entry;
	for (unsigned i = 0; i < k->elf.nsegs; i++) {
		const struct elf_segment *s = &k->elf.segs[i];
		char what[64];

		snprintf(what, sizeof(what), "ELF segment %u", i);
		e = check_clear_of_area(s->paddr, s->paddr + s->memsz, what, lim, why, whylen);
		if (e)
			return e;
		if (k->entry >= s->paddr && k->entry - s->paddr < s->filesz)
			entry_ok = true;
		if (s->paddr + s->memsz > k->image_end)
			k->image_end = s->paddr + s->memsz;
	}
	if (!entry_ok)
		return refuse(why, whylen, "the %s 0x%llx lies outside the kernel's loaded bytes "
			      "(Multiboot enters at a physical address)",
			      h->entry_given ? "entry address tag's entry_addr" : "ELF entry point",
			      (unsigned long long)k->entry);
	return 0;
}

int mb_kernel_parse(const uint8_t *file, size_t len, const struct mb_header *h,
		    const struct mb_limits *lim, struct mb_kernel *k, char *why, size_t whylen)
{
	int e;

	*k = (struct mb_kernel){ .hdr = *h };
	e = check_required_flags(h->flags, why, whylen);
	if (e)
		return e;
	if (h->flags & MB_HF_ADDRESSES)
		return parse_addresses(len, h, lim, k, why, whylen);
	return parse_elf(file, len, h, lim, k, why, whylen);
}

int mb_kernel_load(struct guest_mem *mem, const uint8_t *file, size_t len,
		   const struct mb_kernel *k)
{
	uint8_t *dst;

	if (k->from_elf)
		return elf_load(mem, file, len, &k->elf);
	/* mb_kernel_parse checked all of this; checking again costs nothing. */
	if (k->bss_end < k->load_addr || k->load_len > k->bss_end - k->load_addr ||
	    k->file_off > len || k->load_len > len - k->file_off)
		return -EFAULT;
	dst = mem_ptr(mem, k->load_addr, k->bss_end - k->load_addr);
	if (!dst)
		return -EFAULT;
	memcpy(dst, file + k->file_off, k->load_len);
	memset(dst + k->load_len, 0, k->bss_end - k->load_addr - k->load_len);
	return 0;
}
