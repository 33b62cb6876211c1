/*
 * dwarf_line.h - the DWARF line table of an ELF file: every line-number
 * program in .debug_line (versions 2 to 5, 32- and 64-bit DWARF), decoded
 * into rows, and from the rows the first instruction of each source line,
 * which --coverage plants its traps on.
 *
 * Pure: it reads the file's bytes in memory and nothing else (no KVM, no
 * file system, no globals).  Every offset, length and count in the file is
 * checked before it is used, so bad DWARF is refused with a sentence naming
 * the file, the section and what is wrong, never read outside the buffer.
 */
#ifndef GDBVM_DWARF_LINE_H
#define GDBVM_DWARF_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A source file the rows name. */
struct dwarf_file {
	char *path;	/* directory and name joined, made absolute with the unit's
			 * compilation directory when it is known */
	char *rel;	/* the same without the compilation directory: relative
			 * unless the table gave an absolute directory or name;
			 * what to try from the current directory when path does
			 * not exist (nasm 2.16 names the source's directory as
			 * DW_AT_comp_dir and the file by its path from the cwd) */
	char *name;	/* the name as the file table has it (what objdump shows) */
};

/* One row of the line-number matrix (DWARF 5, section 6.2.2). */
struct dwarf_row {
	uint64_t addr;
	uint32_t line;
	uint32_t file;		/* index into dwarf_lines.files */
	uint32_t unit;		/* which line-number program (0, 1, ...) */
	bool is_stmt;
	bool end_sequence;	/* the first address after a sequence; line and
				 * is_stmt mean nothing in such a row */
};

struct dwarf_lines {
	struct dwarf_row *rows;	/* in the order the programs produce them */
	size_t nrows;
	struct dwarf_file *files;	/* each (path, name) once */
	size_t nfiles;
	size_t nunits;
};

/* Paths longer than this are refused, and so are more bytes of paths in all. */
#define DWARF_PATH_MAX 4096
#define DWARF_PATHS_MAX (64u << 20)

/*
 * Decode every line-number program of the ELF file's bytes (len bytes,
 * named name in messages) into *out.  Returns 0; -ENODATA when the file
 * has no line table to read (stripped, built without -g); -ENOEXEC when
 * the ELF file or its DWARF is bad or of a kind not supported; -ENOMEM.
 * On an error why holds "NAME: [SECTION: ]what is wrong" (no "gdbvm:"
 * prefix, no newline) and *out is empty.
 */
int dwarf_lines_read(const uint8_t *file, size_t len, const char *name, struct dwarf_lines *out,
		     char *why, size_t whylen);

void dwarf_lines_free(struct dwarf_lines *l);

/* An address range [lo, hi). */
struct dwarf_range {
	uint64_t lo, hi;
};

/* The first instruction of a line: one is_stmt row. */
struct dwarf_stmt {
	uint64_t addr;
	uint32_t file, line;
};

/*
 * The first instructions of the lines: the address of every is_stmt row,
 * sorted by address, then file, then line, each (addr, file, line) once.
 * An address can start more than one line (inlined code, macros).  Rows of
 * a sequence whose addresses do not all lie inside one of the nkeep ranges
 * are left out (nkeep 0 keeps every sequence).  A sequence a program leaves
 * open (nasm 2.16 ends some with DW_LNS_copy, not DW_LNE_end_sequence)
 * ends at its unit's last row.  *out is malloc'ed (NULL
 * when *n is 0).  Returns 0 or -ENOMEM.
 */
int dwarf_lines_stmts(const struct dwarf_lines *l, const struct dwarf_range *keep, size_t nkeep,
		      struct dwarf_stmt **out, size_t *n);

#endif
