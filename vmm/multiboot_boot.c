/*
 * multiboot_boot.c - where Multiboot meets the rest of gdbvm: deciding
 * from the command line and the file whether GUEST boots as a Multiboot
 * kernel, and preparing that boot (the gdbvm area, the memory map, the
 * entry state with EAX and EBX) from layout.h and cpu_modes.h.
 */
#include "multiboot_boot.h"

#include "entry.h"
#include "layout.h"
#include "multiboot.h"

#include <errno.h>

static const char *mb_option(const struct config *cfg)
{
	return cfg->append ? "--append" : "--module";
}

int multiboot_configure(struct config *cfg, FILE *err)
{
	bool wants = cfg->append || cfg->nmodules;
	enum mb_scan_result r;

	if (!cfg->guest_path || cfg->boot_path)
		return 0;	/* options.c refused --append and --module */
	if (cfg->mode_given) {
		if (!wants)
			return 0;
		fprintf(err, "gdbvm: %s applies to a Multiboot kernel booted as one: with --mode, "
			"'%s' is loaded as a plain %s mode guest\n", mb_option(cfg), cfg->guest_path,
			cpu_mode_name(cfg->mode));
		return -EINVAL;
	}
	r = mb_detect(cfg->guest_path, err);
	if (r == MB_BAD)
		return -ENOEXEC;
	if (r == MB_NONE) {
		if (!wants)
			return 0;
		fprintf(err, "gdbvm: %s applies to a Multiboot kernel, and '%s' has no Multiboot "
			"header\n", mb_option(cfg), cfg->guest_path);
		return -EINVAL;
	}
	if (cfg->load_given || cfg->entry_given) {
		fprintf(err, "gdbvm: %s does not apply to Multiboot kernel '%s': its header or ELF "
			"program headers say where it goes and starts\n",
			cfg->load_given ? "--load" : "--entry", cfg->guest_path);
		return -EINVAL;
	}
	cfg->multiboot = true;
	cfg->mode = CPU_MODE_PROTECTED;
	if (!cfg->mem_given)
		cfg->mem_size = MULTIBOOT_MEM_DEFAULT;
	return entry_check_regs(cfg, err);
}

int multiboot_prepare(struct config *cfg, struct guest_mem *mem, struct cpu_entry *entry,
		      FILE *err)
{
	struct mem_region regions[LAYOUT_MAP_MAX];
	struct mb_region map[LAYOUT_MAP_MAX];
	struct mb_start start;
	uint64_t area;
	unsigned n;
	int e;

	area = entry_place_area(cfg, NULL, err);
	if (!area)
		return -EINVAL;
	n = layout_memory_map(cfg->mem_size, area, false, regions);
	for (unsigned i = 0; i < n; i++)
		map[i] = (struct mb_region){ regions[i].base, regions[i].length,
					     regions[i].type == MEM_AVAILABLE ? MB_MEM_AVAILABLE
									      : MB_MEM_RESERVED };
	e = mb_boot_load(mem, &(struct mb_boot){
				 .path = cfg->guest_path, .append = cfg->append,
				 .modules = cfg->modules, .nmodules = cfg->nmodules,
				 .lim = { cfg->mem_size, area, LAYOUT_AREA_SIZE },
				 .map = map, .nmap = n,
				 .info_addr = area + LAYOUT_MBI_OFF, .info_size = LAYOUT_MBI_SIZE },
			 &start, err);
	if (e)
		return e;
	cfg->guest_is_elf = start.is_elf;
	if (layout_write_tables(mem, area, false) < 0) {
		fprintf(err, "gdbvm: cannot write gdbvm's GDT at 0x%llx\n", (unsigned long long)area);
		return -EFAULT;
	}
	*entry = (struct cpu_entry){
		.mode = CPU_MODE_PROTECTED,
		.rip = start.entry,
		.gdt_base = area + LAYOUT_GDT_OFF,
		.rax = start.magic,
		.rbx = area + LAYOUT_MBI_OFF,
	};
	return 0;
}
