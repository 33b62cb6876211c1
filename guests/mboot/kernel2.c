/*
 * kernel2.c - a Multiboot 2 kernel in C (guests/mboot/, with start2.asm):
 * it walks the information tags the boot loader handed over at EBX,
 * prints what they say on COM1 and the VGA text screen, and returns one
 * bit per check that passed, which start2.asm sends to the exit port: 0x7f
 * when all seven pass.
 */
#include <stdint.h>

#include "console.h"

#define BOOT_MAGIC2 0x36D76289u

struct tag {
	uint32_t type, size;
};

struct mmap_entry {
	uint64_t base, len;
	uint32_t type, reserved;
};

extern char _kernel_start[], _end[];

static void print_mmap(const struct tag *t, uint32_t *checks)
{
	const uint32_t *w = (const uint32_t *)(t + 1);
	uint32_t entry_size = w[0], n = (t->size - 16) / 24;
	const struct mmap_entry *e = (const void *)(w + 2);
	int holds_kernel = 0;

	for (uint32_t i = 0; entry_size == 24 && w[1] == 0 && i < n; i++) {
		puts_both("mmap ");
		put_hex(e[i].base);
		puts_both(" ");
		put_hex(e[i].len);
		puts_both(" type ");
		put_dec(e[i].type);
		puts_both("\n");
		if (e[i].type == 1 && e[i].base <= (uintptr_t)_kernel_start &&
		    e[i].base + e[i].len >= (uintptr_t)_end)
			holds_kernel = 1;
	}
	if (holds_kernel)
		*checks |= 1u << 3;
}

/* Modules: page-aligned, after the kernel and each other; bytes hashed. */
static int print_module(const struct tag *t, uint32_t *prev_end)
{
	const uint32_t *w = (const uint32_t *)(t + 1);
	uint32_t hash = 2166136261u;
	int ok = !(w[0] & 0xfff) && w[0] >= *prev_end && w[1] >= w[0];

	for (uint32_t a = w[0]; a < w[1]; a++)
		hash = (hash ^ *(const uint8_t *)a) * 16777619u;
	puts_both("module '");
	puts_both((const char *)(w + 2));
	puts_both("' ");
	put_dec(w[1] - w[0]);
	puts_both(" bytes fnv1a ");
	put_hex(hash);
	puts_both("\n");
	*prev_end = w[1];
	return ok;
}

uint32_t kmain2(uint32_t magic, const uint32_t *info)
{
	uint32_t checks = 0, total, off = 8, prev_end = (uint32_t)(uintptr_t)_end;
	int have_cmdline = 0, loader_ok = 0, modules_ok = 1;

	clear_screen();
	puts_both("Multiboot 2 kernel in C\nmagic ");
	put_hex(magic);
	puts_both("\n");
	if (magic != BOOT_MAGIC2)
		return checks;
	checks |= 1u << 0;
	total = info[0];
	while (off + 8 <= total) {
		const struct tag *t = (const void *)((const uint8_t *)info + off);
		const char *str = (const char *)(t + 1);
		const uint32_t *w = (const uint32_t *)(t + 1);

		if (t->type == 0) {
			if (t->size == 8 && off + 8 == total && !((uintptr_t)info & 7))
				checks |= 1u << 1;
			break;
		}
		switch (t->type) {
		case 1:
			have_cmdline = 1;
			puts_both("cmdline '");
			puts_both(str);
			puts_both("'\n");
			break;
		case 2:
			loader_ok = starts_with(str, "gdbvm");
			puts_both("loader '");
			puts_both(str);
			puts_both("'\n");
			break;
		case 3:
			modules_ok &= print_module(t, &prev_end);
			break;
		case 4:
			puts_both("memory lower ");
			put_dec(w[0]);
			puts_both("K upper ");
			put_dec(w[1]);
			puts_both("K\n");
			if (w[0] > 0 && 0x100000u + w[1] * 1024u >= (uintptr_t)_end)
				checks |= 1u << 2;
			break;
		case 6:
			print_mmap(t, &checks);
			break;
		case 8:
			if (*(const uint64_t *)w == 0xb8000 && w[3] == 80 && w[4] == 25 &&
			    ((const uint8_t *)w)[21] == 2) {
				checks |= 1u << 5;
				puts_both("framebuffer 80x25 text\n");
			}
			break;
		default:
			puts_both("tag ");
			put_dec(t->type);
			puts_both("\n");
		}
		if (t->size < 8)
			break;
		off += (t->size + 7) & ~7u;
	}
	if (have_cmdline && loader_ok)
		checks |= 1u << 4;
	if (modules_ok)
		checks |= 1u << 6;
	puts_both("checks ");
	put_hex(checks);
	puts_both("\n");
	return checks;
}
