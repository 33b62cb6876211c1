/*
 * boot.h - --boot: turn a disk image into a machine that boots it the way
 * a PC BIOS would (docs/boot.md): check the image, load its boot sector at
 * 0000:7C00, install the built-in BIOS, start with DL = the boot drive and
 * SS:SP = 0000:7C00; at the end, show the text screen for --screen.
 */
#ifndef GDBVM_BOOT_H
#define GDBVM_BOOT_H

#include <stdio.h>

#include "machine.h"
#include "options.h"

/*
 * Open and check cfg->boot_path, load sector 0 at 0x7C00, install the
 * BIOS, and put the boot registers before the user's --reg values.  Prints
 * "gdbvm: ..." to err and returns -errno on failure (status 4).
 */
int boot_load(struct machine *m, struct config *cfg, FILE *err);

/* Register the BIOS service port when booting; 0 or -errno. */
int boot_register(struct machine *m);

/* After the run: the --screen dump, then the disk is closed. */
void boot_finish(struct machine *m, const struct config *cfg);

#endif
