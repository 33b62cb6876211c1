/*
 * layout.h - where gdbvm puts its own structures in guest RAM, and the
 * memory map it reports to the guest.
 *
 * A guest that starts in protected or long mode, or as a Multiboot kernel,
 * gets "the gdbvm area": 64 KiB at the top of conventional memory, ending at
 * min(RAM size, 0x9F000), so 0x8F000-0x9EFFF with 640 KiB of RAM or more.
 * It holds the GDT, the long-mode page tables and the Multiboot
 * information.  The memory map (INT 15h E820 and Multiboot's) reports it
 * as reserved, and no part of a guest image may overlap it.
 */
#ifndef GDBVM_LAYOUT_H
#define GDBVM_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "memory.h"

#define LAYOUT_AREA_SIZE	UINT64_C(0x10000)
#define LAYOUT_AREA_TOP		UINT64_C(0x9f000)
/* The least RAM a protected/long-mode guest needs: the area and 64 KiB
 * below it for the guest. */
#define LAYOUT_RAM_MIN		(2 * LAYOUT_AREA_SIZE)

#define LAYOUT_GDT_OFF		0x0000	/* the GDT (cpu_modes.h's selectors) */
#define LAYOUT_PML4_OFF		0x1000	/* long mode: PML4, PDPT, then 4 PDs */
#define LAYOUT_PDPT_OFF		0x2000
#define LAYOUT_PD_OFF		0x3000
#define LAYOUT_PD_COUNT		4	/* one per GiB: the low 4 GiB */
#define LAYOUT_MBI_OFF		0x8000	/* the Multiboot information */
#define LAYOUT_MBI_SIZE		0x8000

/* The area's base for this much RAM, or 0 when RAM is below LAYOUT_RAM_MIN. */
uint64_t layout_area_base(uint64_t ram_size);

/* True when [start, start + len) overlaps the area at area_base. */
bool layout_overlaps_area(uint64_t area_base, uint64_t start, uint64_t len);

/* Write the GDT (and with page_tables, the long-mode page tables: the low
 * 4 GiB mapped 1:1 with 2 MiB pages) into the area. 0 or -EFAULT. */
int layout_write_tables(struct guest_mem *mem, uint64_t area_base, bool page_tables);

enum mem_region_type { MEM_AVAILABLE = 1, MEM_RESERVED = 2 };

struct mem_region {
	uint64_t base, length;
	enum mem_region_type type;
};

#define LAYOUT_MAP_MAX 6

/*
 * The guest's memory map, in address order: what INT 15h E820 and the
 * Multiboot memory map both report.  area_base is 0 when there is no gdbvm
 * area; with_bios adds the BIOS's EBDA and ROM (--boot).  Returns how many
 * regions were written to map (at most LAYOUT_MAP_MAX).
 */
unsigned layout_memory_map(uint64_t ram_size, uint64_t area_base, bool with_bios,
			   struct mem_region map[LAYOUT_MAP_MAX]);

#endif
