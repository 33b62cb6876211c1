/*
 * dwarf_elf.h - finding the DWARF sections of an ELF file: the section
 * header table and its names, every offset and size checked against the
 * file's bytes.  Used by the line-table reader (dwarf_line.c).
 */
#ifndef GDBVM_DWARF_ELF_H
#define GDBVM_DWARF_ELF_H

#include "dwarf_read.h"

struct dwarf_sections {
	bool is64;
	struct dwarf_sect line, line_str, str, info, abbrev;
};

/*
 * Check the ELF header (32- or 64-bit little-endian x86, not relocatable)
 * and find the sections.  Returns 0, -ENOEXEC when the file is not one
 * gdbvm can read, or -ENODATA when it has no line table (no section
 * headers, no .debug_line, or an empty one); err->why says which.
 */
int dwarf_elf_sections(const uint8_t *file, size_t len, struct dwarf_sections *out,
		       const struct dwarf_err *err);

#endif
