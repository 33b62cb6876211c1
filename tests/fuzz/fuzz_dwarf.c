/*
 * fuzz_dwarf.c - libFuzzer target for the DWARF line-table reader
 * (vmm/dwarf_line.c and the files under it): each input is a whole ELF
 * file.  The seeds are the guests' ELF files (make fuzz-dwarf-seeds), so
 * the mutations land in real section headers and line programs.
 *
 * Besides ASan and UBSan, the harness checks what the reader promises: an
 * error has a message that names the file; a table that reads has every
 * row in a file it lists, and first instructions that are sorted and in
 * range.
 */
#include "../../vmm/dwarf_line.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dwarf_lines l;
	struct dwarf_stmt *s;
	struct dwarf_range keep = { 0x1000, 0x200000 };
	char why[512];
	size_t n;

	why[0] = 0;
	if (dwarf_lines_read(data, size, "f.elf", &l, why, sizeof(why))) {
		check(strncmp(why, "f.elf: ", 7) == 0 && strlen(why) > 7);
		check(l.nrows == 0 && l.nfiles == 0 && !l.rows && !l.files);
		return 0;
	}
	for (size_t i = 0; i < l.nrows; i++)
		check(l.rows[i].file < l.nfiles);
	for (size_t i = 0; i < l.nfiles; i++)
		check(strlen(l.files[i].path) < DWARF_PATH_MAX && l.files[i].name);
	for (int pass = 0; pass < 2; pass++) {
		check(dwarf_lines_stmts(&l, pass ? &keep : NULL, pass, &s, &n) == 0);
		for (size_t i = 0; i < n; i++) {
			check(s[i].file < l.nfiles);
			check(i == 0 || s[i - 1].addr <= s[i].addr);
			check(!pass || (s[i].addr >= keep.lo && s[i].addr < keep.hi));
		}
		free(s);
	}
	dwarf_lines_free(&l);
	return 0;
}
