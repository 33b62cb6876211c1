/*
 * dwarf_info.h - the compilation directory of each compilation unit, read
 * from .debug_info (its first DIE's DW_AT_comp_dir) and keyed by the unit's
 * DW_AT_stmt_list, the offset of its line table in .debug_line.  DWARF 2
 * to 4 line tables need it to make their relative paths absolute.
 */
#ifndef GDBVM_DWARF_INFO_H
#define GDBVM_DWARF_INFO_H

#include "dwarf_elf.h"

struct dwarf_cu_dir {
	uint64_t stmt_list;
	const char *comp_dir;	/* inside the file's bytes; NULL when the unit has none */
};

/*
 * Every compilation unit that has a DW_AT_stmt_list, in .debug_info order,
 * into a malloc'ed array (*out, *n; NULL and 0 without .debug_info).
 * Returns 0, -ENOEXEC (corrupt .debug_info or .debug_abbrev; err->why says
 * where) or -ENOMEM.
 */
int dwarf_info_comp_dirs(const struct dwarf_sections *s, struct dwarf_cu_dir **out,
			 size_t *n, const struct dwarf_err *err);

#endif
