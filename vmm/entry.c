/*
 * entry.c - the guest's CPU mode, entry point and start-up structures
 * (see entry.h).
 */
#include "entry.h"
#include "layout.h"

#include <errno.h>

#define FOUR_GIB (UINT64_C(1) << 32)

enum cpu_mode entry_default_mode(const struct guest_image *img)
{
	return img && img->is_elf && img->is64 ? CPU_MODE_LONG : CPU_MODE_REAL;
}

int entry_check_regs(const struct config *cfg, FILE *err)
{
	for (unsigned i = 0; i < cfg->nregs; i++) {
		const struct reg_name *r = cfg->regs[i].reg;

		if (reg_name_long_only(r) && cfg->mode != CPU_MODE_LONG) {
			fprintf(err, "gdbvm: --reg %s: %s exists only in long mode, and this guest "
				"starts in %s mode\n", r->name, r->name, cpu_mode_name(cfg->mode));
			return -EINVAL;
		}
		if (reg_name_is_segment(r) && cfg->mode != CPU_MODE_REAL) {
			fprintf(err, "gdbvm: --reg %s: in %s mode the segment registers hold "
				"gdbvm's flat segments (docs/modes.md); only real mode takes "
				"them from --reg\n", r->name, cpu_mode_name(cfg->mode));
			return -EINVAL;
		}
	}
	return 0;
}

/* Real mode: CS:IP from -e, or from a linear entry point in reach. */
static int real_mode_entry(struct config *cfg, const struct guest_image *img,
			   struct cpu_entry *entry, FILE *err)
{
	uint64_t linear = 0;
	const char *what = NULL;

	if (cfg->entry_is_linear) {
		linear = cfg->entry_linear;
		what = "entry point";
	} else if (img && img->is_elf && !cfg->entry_given) {
		linear = img->entry;
		what = "ELF entry point";
	}
	if (what && config_entry_from_linear(cfg, linear) < 0) {
		fprintf(err, "gdbvm: the %s 0x%llx is beyond real-mode reach (1M); give one "
			"as SEG:OFF with --entry, or a --mode that reaches it\n", what,
			(unsigned long long)linear);
		return cfg->entry_is_linear ? -EINVAL : -ENOEXEC;
	}
	if (!config_entry_check(cfg, err))
		return -EINVAL;
	*entry = (struct cpu_entry){ .mode = CPU_MODE_REAL, .rip = cfg->entry_off,
				     .real_cs = cfg->entry_seg };
	return 0;
}

static uint64_t flat_entry_point(const struct config *cfg, const struct guest_image *img)
{
	if (cfg->entry_is_linear)
		return cfg->entry_linear;
	if (img && img->is_elf)
		return img->entry;
	return cfg->load_addr;
}

uint64_t entry_place_area(const struct config *cfg, const struct guest_image *img, FILE *err)
{
	uint64_t area = layout_area_base(cfg->mem_size);

	if (!area) {
		fprintf(err, "gdbvm: %s mode needs at least %lluK of guest RAM (gdbvm's GDT and "
			"page tables take 64K of it); -m gives %lluK\n", cpu_mode_name(cfg->mode),
			(unsigned long long)(LAYOUT_RAM_MIN >> 10),
			(unsigned long long)(cfg->mem_size >> 10));
		return 0;
	}
	for (unsigned i = 0; img && i < img->nranges; i++) {
		const struct guest_range *r = &img->ranges[i];

		if (layout_overlaps_area(area, r->start, r->len)) {
			fprintf(err, "gdbvm: guest '%s' (0x%llx-0x%llx) overlaps gdbvm's own "
				"structures at 0x%llx-0x%llx (docs/modes.md): load or link it "
				"elsewhere\n", cfg->guest_path, (unsigned long long)r->start,
				(unsigned long long)(r->start + r->len - 1),
				(unsigned long long)area,
				(unsigned long long)(area + LAYOUT_AREA_SIZE - 1));
			return 0;
		}
	}
	return area;
}

int entry_prepare(struct config *cfg, const struct guest_image *img, struct guest_mem *mem,
		  struct cpu_entry *entry, FILE *err)
{
	uint64_t linear, area;

	if (!cfg->mode_given)
		cfg->mode = entry_default_mode(img);
	if (entry_check_regs(cfg, err) < 0)
		return -EINVAL;
	if (cfg->mode == CPU_MODE_REAL)
		return real_mode_entry(cfg, img, entry, err);
	if (cfg->entry_given && !cfg->entry_is_linear) {
		fprintf(err, "gdbvm: --entry %04x:%04x is a real-mode entry point; in %s mode "
			"give a linear address (--entry 0x100000)\n", cfg->entry_seg,
			cfg->entry_off, cpu_mode_name(cfg->mode));
		return -EINVAL;
	}
	linear = flat_entry_point(cfg, img);
	if (linear >= cfg->mem_size || linear >= FOUR_GIB) {
		fprintf(err, "gdbvm: the entry point 0x%llx is outside guest RAM (0x%llx bytes): "
			"in %s mode a guest starts at a physical address\n",
			(unsigned long long)linear, (unsigned long long)cfg->mem_size,
			cpu_mode_name(cfg->mode));
		return cfg->entry_is_linear ? -EINVAL : -ENOEXEC;
	}
	area = entry_place_area(cfg, img, err);
	if (!area)
		return -ENOEXEC;
	if (layout_write_tables(mem, area, cfg->mode == CPU_MODE_LONG) < 0) {
		fprintf(err, "gdbvm: cannot write gdbvm's GDT at 0x%llx\n", (unsigned long long)area);
		return -EINVAL;
	}
	*entry = (struct cpu_entry){
		.mode = cfg->mode,
		.rip = linear,
		.gdt_base = area + LAYOUT_GDT_OFF,
		.cr3 = cfg->mode == CPU_MODE_LONG ? area + LAYOUT_PML4_OFF : 0,
	};
	return 0;
}
