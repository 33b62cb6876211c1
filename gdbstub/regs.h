/*
 * regs.h - the one register table: every register gdb sees, in the order
 * and layout of the 'g' packet.  It drives the target description (XML),
 * g/G, p/P and the expedited registers of stop replies.
 *
 * The set is gdb's org.gnu.gdb.i386.core feature (general, segment and x87
 * registers), which gdb requires complete before it accepts the i8086
 * architecture.  "eip" carries the linear pc, CS.base + IP.
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
	GDB_NUM_REGS,
};

struct gdb_reg {
	const char *name;
	unsigned size;		/* bytes */
	unsigned offset;	/* in the 'g' buffer */
	const char *type;	/* gdb type in the target description */
	const char *group;	/* "general" or "float" */
	const char *generic;	/* "pc", "sp", "fp", "flags" or NULL */
	int dwarf;		/* DWARF register number for i386, or -1 */
};

extern const struct gdb_reg gdb_regs[GDB_NUM_REGS];

#define GDB_REGS_SIZE 176	/* bytes in a 'g' reply: 16*4 + 8*10 + 8*4 */

#endif
