/*
 * regs.c - the register table (see regs.h).
 */
#include "regs.h"

#define R32(n, t, g, gen, idx, dw) { n, 4, (idx) * 4, t, g, gen, dw }
#define ST(i) { "st" #i, 10, 64 + (i) * 10, "i387_ext", "float", NULL, 11 + (i) }
#define FPC(n, i) { n, 4, 144 + (i) * 4, "int", "float", NULL, -1 }

const struct gdb_reg gdb_regs[GDB_NUM_REGS] = {
	R32("eax", "int32", "general", NULL, 0, 0),
	R32("ecx", "int32", "general", NULL, 1, 1),
	R32("edx", "int32", "general", NULL, 2, 2),
	R32("ebx", "int32", "general", NULL, 3, 3),
	R32("esp", "data_ptr", "general", "sp", 4, 4),
	R32("ebp", "data_ptr", "general", "fp", 5, 5),
	R32("esi", "int32", "general", NULL, 6, 6),
	R32("edi", "int32", "general", NULL, 7, 7),
	R32("eip", "code_ptr", "general", "pc", 8, 8),
	R32("eflags", "i386_eflags", "general", "flags", 9, 9),
	R32("cs", "int32", "general", NULL, 10, 41),
	R32("ss", "int32", "general", NULL, 11, 42),
	R32("ds", "int32", "general", NULL, 12, 43),
	R32("es", "int32", "general", NULL, 13, 40),
	R32("fs", "int32", "general", NULL, 14, 44),
	R32("gs", "int32", "general", NULL, 15, 45),
	ST(0), ST(1), ST(2), ST(3), ST(4), ST(5), ST(6), ST(7),
	FPC("fctrl", 0), FPC("fstat", 1), FPC("ftag", 2), FPC("fiseg", 3),
	FPC("fioff", 4), FPC("foseg", 5), FPC("fooff", 6), FPC("fop", 7),
};
