/*
 * regs.h - the architecture descriptions the stub serves: per CPU mode, the
 * registers gdb sees, in the order and layout of the 'g' packet, with the
 * target-description feature each belongs to, the architecture name, and
 * LLDB's triple and pointer size.  One description drives the target
 * description (XML), g/G, p/P, the expedited registers of stop replies and
 * LLDB's qRegisterInfo and qProcessInfo.
 *
 * Three descriptions, one per view (the target picks one for the CPU's mode;
 * docs/gdb.md, "CPU modes"):
 *   gdb_arch_i8086  real mode and 16-bit code: gdb's org.gnu.gdb.i386.core
 *                   (general, segment and x87 registers; gdb requires it
 *                   complete before it accepts i8086), "eip" the linear pc
 *   gdb_arch_i386   32-bit code: the same core as architecture i386
 *   gdb_arch_amd64  64-bit code: the amd64 core (rax..r15, rip), SSE,
 *                   fs_base/gs_base
 * Each ends with the org.gdbvm.sys feature: cr0, cr2, cr3, cr4, efer and the
 * segment bases.  The first 32 registers of i8086 and i386 are numbered by
 * enum gdb_regno.
 */
#ifndef GDBSTUB_REGS_H
#define GDBSTUB_REGS_H

#include <stddef.h>

enum gdb_regno {
	GDB_REG_EAX, GDB_REG_ECX, GDB_REG_EDX, GDB_REG_EBX,
	GDB_REG_ESP, GDB_REG_EBP, GDB_REG_ESI, GDB_REG_EDI,
	GDB_REG_EIP, GDB_REG_EFLAGS,
	GDB_REG_CS, GDB_REG_SS, GDB_REG_DS, GDB_REG_ES, GDB_REG_FS, GDB_REG_GS,
	GDB_REG_ST0, GDB_REG_ST7 = GDB_REG_ST0 + 7,
	GDB_REG_FCTRL, GDB_REG_FSTAT, GDB_REG_FTAG, GDB_REG_FISEG,
	GDB_REG_FIOFF, GDB_REG_FOSEG, GDB_REG_FOOFF, GDB_REG_FOP,
	GDB_NUM_CORE_REGS,
};

/* The target-description features, in the order a description lists them. */
enum gdb_feature {
	GDB_FEAT_CORE,		/* org.gnu.gdb.i386.core */
	GDB_FEAT_SSE,		/* org.gnu.gdb.i386.sse */
	GDB_FEAT_SEGMENTS,	/* org.gnu.gdb.i386.segments (fs_base, gs_base) */
	GDB_FEAT_SYS,		/* org.gdbvm.sys (control registers, bases) */
};

struct gdb_reg {
	const char *name;
	unsigned size;		/* bytes */
	unsigned offset;	/* in the 'g' buffer */
	const char *type;	/* gdb type in the target description */
	const char *group;	/* "general", "float", "vector" or "system" */
	const char *generic;	/* "pc", "sp", "fp", "flags" or NULL */
	int dwarf;		/* DWARF register number in this view, or -1 */
	enum gdb_feature feature;
};

struct gdb_arch {
	const char *name;		/* <architecture>, and the view's name */
	const char *triple;		/* LLDB's qProcessInfo/qHostInfo triple */
	unsigned ptrsize;		/* LLDB's pointer size, bytes */
	const struct gdb_reg *regs;
	unsigned num_regs;
	unsigned size;			/* bytes in a 'g' reply */
	unsigned pc, sp, fp;		/* register numbers of the roles */
};

extern const struct gdb_arch gdb_arch_i8086, gdb_arch_i386, gdb_arch_amd64;

/* The largest 'g' buffer and register count of the three. */
#define GDB_REGS_MAX 640
#define GDB_NUM_REGS_MAX 80
/* The largest single register (an xmm register). */
#define GDB_REG_SIZE_MAX 16

/* The feature's name in the target description. */
const char *gdb_feature_name(enum gdb_feature f);

#endif
