/*
 * regs.c - the three architecture descriptions (see regs.h).  The layouts
 * are gdb's: the order and sizes of its i386 and amd64 features.
 */
#include "regs.h"

#define CORE GDB_FEAT_CORE

/* ---- i8086 and i386: gdb's 32-bit core, 176 bytes ---- */

#define R32(n, t, gen, idx, dw) { n, 4, (idx) * 4, t, "general", gen, dw, CORE }
#define ST(i, base, dw) { "st" #i, 10, (base) + (i) * 10, "i387_ext", "float", NULL, dw, CORE }
#define FPC(n, i, base) { n, 4, (base) + (i) * 4, "int", "float", NULL, -1, CORE }
#define SYS(n, off, w) { n, 8, off, "uint64", "system", NULL, -1, GDB_FEAT_SYS }

#define CORE32_REGS \
	R32("eax", "int32", NULL, 0, 0), \
	R32("ecx", "int32", NULL, 1, 1), \
	R32("edx", "int32", NULL, 2, 2), \
	R32("ebx", "int32", NULL, 3, 3), \
	R32("esp", "data_ptr", "sp", 4, 4), \
	R32("ebp", "data_ptr", "fp", 5, 5), \
	R32("esi", "int32", NULL, 6, 6), \
	R32("edi", "int32", NULL, 7, 7), \
	R32("eip", "code_ptr", "pc", 8, 8), \
	R32("eflags", "i386_eflags", "flags", 9, 9), \
	R32("cs", "int32", NULL, 10, 41), \
	R32("ss", "int32", NULL, 11, 42), \
	R32("ds", "int32", NULL, 12, 43), \
	R32("es", "int32", NULL, 13, 40), \
	R32("fs", "int32", NULL, 14, 44), \
	R32("gs", "int32", NULL, 15, 45), \
	ST(0, 64, 11), ST(1, 64, 12), ST(2, 64, 13), ST(3, 64, 14), \
	ST(4, 64, 15), ST(5, 64, 16), ST(6, 64, 17), ST(7, 64, 18), \
	FPC("fctrl", 0, 144), FPC("fstat", 1, 144), FPC("ftag", 2, 144), \
	FPC("fiseg", 3, 144), FPC("fioff", 4, 144), FPC("foseg", 5, 144), \
	FPC("fooff", 6, 144), FPC("fop", 7, 144)

/* The system feature after the 32-bit core: all 64 bits wide, so that the
 * same names mean the same thing in every view. */
#define SYS32_REGS \
	SYS("cr0", 176, 0), SYS("cr2", 184, 0), SYS("cr3", 192, 0), SYS("cr4", 200, 0), \
	SYS("efer", 208, 0), SYS("cs_base", 216, 0), SYS("ss_base", 224, 0), \
	SYS("ds_base", 232, 0), SYS("es_base", 240, 0), SYS("fs_base", 248, 0), \
	SYS("gs_base", 256, 0)

static const struct gdb_reg regs32[] = { CORE32_REGS, SYS32_REGS };

const struct gdb_arch gdb_arch_i8086 = {
	.name = "i8086",
	/* LLDB decodes 16-bit code by this environment. */
	.triple = "i386-unknown-unknown-code16",
	.ptrsize = 4,
	.regs = regs32,
	.num_regs = sizeof(regs32) / sizeof(regs32[0]),
	.size = 264,
	.pc = GDB_REG_EIP, .sp = GDB_REG_ESP, .fp = GDB_REG_EBP,
};

const struct gdb_arch gdb_arch_i386 = {
	.name = "i386",
	/* Not merely the 16-bit triple without its environment: LLDB keeps
	 * the old decoding unless a field it knows changes (the vendor). */
	.triple = "i386-pc-unknown",
	.ptrsize = 4,
	.regs = regs32,
	.num_regs = sizeof(regs32) / sizeof(regs32[0]),
	.size = 264,
	.pc = GDB_REG_EIP, .sp = GDB_REG_ESP, .fp = GDB_REG_EBP,
};

/* ---- amd64: gdb's 64-bit core, SSE and segments, 552 bytes ---- */

#define R64(n, t, gen, idx, dw) { n, 8, (idx) * 8, t, "general", gen, dw, CORE }
#define SEG64(n, i, dw) { n, 4, 140 + (i) * 4, "int32", "general", NULL, dw, CORE }
#define XMM(i) { "xmm" #i, 16, 276 + (i) * 16, "vec128", "vector", NULL, 17 + (i), GDB_FEAT_SSE }

static const struct gdb_reg regs64[] = {
	R64("rax", "int64", NULL, 0, 0),
	R64("rbx", "int64", NULL, 1, 3),
	R64("rcx", "int64", NULL, 2, 2),
	R64("rdx", "int64", NULL, 3, 1),
	R64("rsi", "int64", NULL, 4, 4),
	R64("rdi", "int64", NULL, 5, 5),
	R64("rbp", "data_ptr", "fp", 6, 6),
	R64("rsp", "data_ptr", "sp", 7, 7),
	R64("r8", "int64", NULL, 8, 8),
	R64("r9", "int64", NULL, 9, 9),
	R64("r10", "int64", NULL, 10, 10),
	R64("r11", "int64", NULL, 11, 11),
	R64("r12", "int64", NULL, 12, 12),
	R64("r13", "int64", NULL, 13, 13),
	R64("r14", "int64", NULL, 14, 14),
	R64("r15", "int64", NULL, 15, 15),
	R64("rip", "code_ptr", "pc", 16, 16),
	{ "eflags", 4, 136, "i386_eflags", "general", "flags", 49, CORE },
	SEG64("cs", 0, 51), SEG64("ss", 1, 52), SEG64("ds", 2, 53),
	SEG64("es", 3, 50), SEG64("fs", 4, 54), SEG64("gs", 5, 55),
	ST(0, 164, 33), ST(1, 164, 34), ST(2, 164, 35), ST(3, 164, 36),
	ST(4, 164, 37), ST(5, 164, 38), ST(6, 164, 39), ST(7, 164, 40),
	FPC("fctrl", 0, 244), FPC("fstat", 1, 244), FPC("ftag", 2, 244),
	FPC("fiseg", 3, 244), FPC("fioff", 4, 244), FPC("foseg", 5, 244),
	FPC("fooff", 6, 244), FPC("fop", 7, 244),
	XMM(0), XMM(1), XMM(2), XMM(3), XMM(4), XMM(5), XMM(6), XMM(7),
	XMM(8), XMM(9), XMM(10), XMM(11), XMM(12), XMM(13), XMM(14), XMM(15),
	{ "mxcsr", 4, 532, "i386_mxcsr", "vector", NULL, 64, GDB_FEAT_SSE },
	{ "fs_base", 8, 536, "int", "general", NULL, 58, GDB_FEAT_SEGMENTS },
	{ "gs_base", 8, 544, "int", "general", NULL, 59, GDB_FEAT_SEGMENTS },
	SYS("cr0", 552, 0), SYS("cr2", 560, 0), SYS("cr3", 568, 0), SYS("cr4", 576, 0),
	SYS("efer", 584, 0), SYS("cs_base", 592, 0), SYS("ss_base", 600, 0),
	SYS("ds_base", 608, 0), SYS("es_base", 616, 0),
};

const struct gdb_arch gdb_arch_amd64 = {
	.name = "i386:x86-64",
	.triple = "x86_64-pc-unknown",
	.ptrsize = 8,
	.regs = regs64,
	.num_regs = sizeof(regs64) / sizeof(regs64[0]),
	.size = 624,
	.pc = 16, .sp = 7, .fp = 6,
};

const char *gdb_feature_name(enum gdb_feature f)
{
	switch (f) {
	case GDB_FEAT_CORE: return "org.gnu.gdb.i386.core";
	case GDB_FEAT_SSE: return "org.gnu.gdb.i386.sse";
	case GDB_FEAT_SEGMENTS: return "org.gnu.gdb.i386.segments";
	case GDB_FEAT_SYS: return "org.gdbvm.sys";
	}
	return "org.gdbvm.unknown";
}
