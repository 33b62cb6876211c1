/*
 * entry.h - how a loaded guest is entered: which CPU mode (from --mode or
 * what the file is), where (from --entry, the ELF entry point or the load
 * address), with which --reg names, and gdbvm's own structures for the
 * protected and long modes.  docs/modes.md has the rules as tables.
 */
#ifndef GDBVM_ENTRY_H
#define GDBVM_ENTRY_H

#include <stdio.h>

#include "cpu_modes.h"
#include "loader.h"
#include "options.h"

/* The mode a guest starts in when --mode does not say: real, or long for
 * an ELF64 file. */
enum cpu_mode entry_default_mode(const struct guest_image *img);

/*
 * Decide cfg->mode (unless --mode gave it) and fill *entry: check the --reg
 * names and the entry point against the mode, and outside real mode place
 * the gdbvm area (layout.h), check that img does not overlap it and write
 * the GDT and page tables.  img is NULL for the demo and --boot (real
 * mode).  0, or after a "gdbvm: ..." line on err -EINVAL when the options
 * are at fault, -ENOEXEC when the image is (it overlaps the area, or its
 * entry point does not suit the mode).
 */
int entry_prepare(struct config *cfg, const struct guest_image *img, struct guest_mem *mem,
		  struct cpu_entry *entry, FILE *err);

/* Check the --reg names against cfg->mode. 0 or -EINVAL after a message. */
int entry_check_regs(const struct config *cfg, FILE *err);

/*
 * Place the gdbvm area for cfg's RAM and check that the image does not
 * overlap it (img may be NULL).  Returns its base, or 0 after a message.
 */
uint64_t entry_place_area(const struct config *cfg, const struct guest_image *img, FILE *err);

#endif
