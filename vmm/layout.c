/*
 * layout.c - the gdbvm area's place and contents, and the memory map
 * (see layout.h).
 */
#include "layout.h"
#include "bios.h"
#include "cpu_modes.h"

#include <errno.h>
#include <string.h>

#define PTE_PRESENT	UINT64_C(0x001)
#define PTE_WRITABLE	UINT64_C(0x002)
#define PTE_LARGE	UINT64_C(0x080)	/* a 2 MiB page in a PD entry */
#define PAGE_2M		(UINT64_C(1) << 21)
#define LOW_MEM_END	UINT64_C(0xa0000)	/* conventional memory ends here */
#define HIGH_MEM_START	UINT64_C(0x100000)

uint64_t layout_area_base(uint64_t ram_size)
{
	uint64_t top = ram_size < LAYOUT_AREA_TOP ? ram_size & ~UINT64_C(0xfff) : LAYOUT_AREA_TOP;

	if (ram_size < LAYOUT_RAM_MIN)
		return 0;
	return top - LAYOUT_AREA_SIZE;
}

bool layout_overlaps_area(uint64_t area_base, uint64_t start, uint64_t len)
{
	uint64_t end = area_base + LAYOUT_AREA_SIZE;

	if (len == 0)
		return false;
	/* start + len may wrap for hostile values: compare without adding. */
	return start < end && (start >= area_base || len > area_base - start);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));	/* x86 hosts: little-endian like the guest */
}

int layout_write_tables(struct guest_mem *mem, uint64_t area_base, bool page_tables)
{
	uint8_t *area = mem_ptr(mem, area_base, LAYOUT_AREA_SIZE);

	if (!area)
		return -EFAULT;
	for (unsigned i = 0; i < GDT_ENTRIES; i++)
		put64(area + LAYOUT_GDT_OFF + 8 * i, gdt_descriptors[i]);
	if (!page_tables)
		return 0;
	memset(area + LAYOUT_PML4_OFF, 0, LAYOUT_PD_OFF + LAYOUT_PD_COUNT * 0x1000 - LAYOUT_PML4_OFF);
	put64(area + LAYOUT_PML4_OFF, (area_base + LAYOUT_PDPT_OFF) | PTE_PRESENT | PTE_WRITABLE);
	for (unsigned g = 0; g < LAYOUT_PD_COUNT; g++) {
		uint64_t pd = LAYOUT_PD_OFF + 0x1000 * g;

		put64(area + LAYOUT_PDPT_OFF + 8 * g,
		      (area_base + pd) | PTE_PRESENT | PTE_WRITABLE);
		for (unsigned e = 0; e < 512; e++)
			put64(area + pd + 8 * e, (((uint64_t)g << 30) + e * PAGE_2M) |
			      PTE_PRESENT | PTE_WRITABLE | PTE_LARGE);
	}
	return 0;
}

static unsigned add(struct mem_region *map, unsigned n, uint64_t base, uint64_t end,
		    enum mem_region_type type)
{
	if (end > base)
		map[n++] = (struct mem_region){ base, end - base, type };
	return n;
}

unsigned layout_memory_map(uint64_t ram_size, uint64_t area_base, bool with_bios,
			   struct mem_region map[LAYOUT_MAP_MAX])
{
	uint64_t low_end = ram_size < LOW_MEM_END ? ram_size : LOW_MEM_END;
	unsigned n = 0;

	if (with_bios) {
		/* The BIOS's data: the EBDA below 640K, the ROM below 1M. */
		n = add(map, n, 0, EBDA_BASE, MEM_AVAILABLE);
		n = add(map, n, EBDA_BASE, LOW_MEM_END, MEM_RESERVED);
		n = add(map, n, BIOS_ROM_BASE, BIOS_ROM_BASE + BIOS_ROM_SIZE, MEM_RESERVED);
	} else if (area_base) {
		n = add(map, n, 0, area_base, MEM_AVAILABLE);
		n = add(map, n, area_base, low_end, MEM_RESERVED);
		/* The text screen and the rest of the legacy hole. */
		n = add(map, n, LOW_MEM_END, ram_size < HIGH_MEM_START ? ram_size : HIGH_MEM_START,
			MEM_RESERVED);
	} else {
		n = add(map, n, 0, low_end, MEM_AVAILABLE);
		n = add(map, n, LOW_MEM_END, ram_size < HIGH_MEM_START ? ram_size : HIGH_MEM_START,
			MEM_RESERVED);
	}
	return add(map, n, HIGH_MEM_START, ram_size, MEM_AVAILABLE);
}
