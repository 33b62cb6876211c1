/*
 * kernel.c - a Multiboot kernel in C (guests/mboot/): it checks what the
 * boot loader handed over (the magic number in EAX, the information
 * structure at EBX: memory sizes, memory map, command line, boot loader
 * name, text framebuffer, modules), prints what it read on COM1 and on
 * the VGA text screen, and returns one bit per check that passed, which
 * start.asm sends to the exit port: 0x7f when all seven pass.
 */
#include <stdint.h>

#include "console.h"

#define BOOT_MAGIC 0x2BADB002u

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr, drives_length, drives_addr, config_table;
	uint32_t boot_loader_name, apm_table;
	uint32_t vbe_control_info, vbe_mode_info;
	uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
	uint64_t framebuffer_addr;
	uint32_t framebuffer_pitch, framebuffer_width, framebuffer_height;
	uint8_t framebuffer_bpp, framebuffer_type;
} __attribute__((packed));

struct mb_mmap_entry {
	uint32_t size;
	uint64_t base, len;
	uint32_t type;
} __attribute__((packed));

struct mb_module {
	uint32_t start, end, string, reserved;
};

extern char _kernel_start[], _end[];

/* The memory map: well-formed entries (walked by their size fields, ending
 * exactly at mmap_length), one of them available memory holding the kernel. */
static int check_mmap(const struct mb_info *mbi)
{
	uint32_t off = 0;
	int holds_kernel = 0;

	if (!(mbi->flags & (1u << 6)))
		return 0;
	while (off < mbi->mmap_length) {
		const struct mb_mmap_entry *e = (const void *)(mbi->mmap_addr + off);

		if (e->size < 20)
			return 0;
		puts_both("mmap ");
		put_hex(e->base);
		puts_both(" ");
		put_hex(e->len);
		puts_both(" type ");
		put_dec(e->type);
		puts_both("\n");
		if (e->type == 1 && e->base <= (uintptr_t)_kernel_start &&
		    e->base + e->len >= (uintptr_t)_end)
			holds_kernel = 1;
		off += e->size + 4;
	}
	return off == mbi->mmap_length && holds_kernel;
}

/* Each module: page-aligned, past the kernel; its bytes summed (FNV-1a). */
static int check_modules(const struct mb_info *mbi)
{
	const struct mb_module *m = (const void *)mbi->mods_addr;
	uint32_t prev_end = (uint32_t)(uintptr_t)_end;
	int ok = 1;

	if (!(mbi->flags & (1u << 3)))
		return 1;	/* no modules: nothing to check */
	for (uint32_t i = 0; i < mbi->mods_count; i++) {
		uint32_t hash = 2166136261u;

		for (uint32_t a = m[i].start; a < m[i].end; a++)
			hash = (hash ^ *(const uint8_t *)a) * 16777619u;
		puts_both("module ");
		put_dec(i);
		puts_both(" '");
		puts_both((const char *)m[i].string);
		puts_both("' ");
		put_dec(m[i].end - m[i].start);
		puts_both(" bytes fnv1a ");
		put_hex(hash);
		puts_both("\n");
		if ((m[i].start & 0xfff) || m[i].start < prev_end || m[i].end < m[i].start)
			ok = 0;
		prev_end = m[i].end;
	}
	return ok;
}

uint32_t kmain(uint32_t magic, const struct mb_info *mbi)
{
	uint32_t checks = 0;

	clear_screen();
	puts_both("Multiboot kernel in C\n");
	if (magic == BOOT_MAGIC)
		checks |= 1u << 0;
	puts_both("magic ");
	put_hex(magic);
	puts_both("\n");
	if (magic != BOOT_MAGIC)
		return checks;
	if ((mbi->flags & 1u) && mbi->mem_lower > 0 &&
	    0x100000u + mbi->mem_upper * 1024u >= (uintptr_t)_end)
		checks |= 1u << 1;
	puts_both("memory lower ");
	put_dec(mbi->mem_lower);
	puts_both("K upper ");
	put_dec(mbi->mem_upper);
	puts_both("K\n");
	if (check_mmap(mbi))
		checks |= 1u << 2;
	if (mbi->flags & (1u << 2)) {
		checks |= 1u << 3;
		puts_both("cmdline '");
		puts_both((const char *)mbi->cmdline);
		puts_both("'\n");
	}
	if ((mbi->flags & (1u << 9)) && starts_with((const char *)mbi->boot_loader_name, "gdbvm")) {
		checks |= 1u << 4;
		puts_both("loader '");
		puts_both((const char *)mbi->boot_loader_name);
		puts_both("'\n");
	}
	if ((mbi->flags & (1u << 12)) && mbi->framebuffer_type == 2 &&
	    mbi->framebuffer_addr == 0xb8000 && mbi->framebuffer_width == 80 &&
	    mbi->framebuffer_height == 25) {
		checks |= 1u << 5;
		puts_both("framebuffer 80x25 text\n");
	}
	if (check_modules(mbi))
		checks |= 1u << 6;
	puts_both("checks ");
	put_hex(checks);
	puts_both("\n");
	return checks;
}
