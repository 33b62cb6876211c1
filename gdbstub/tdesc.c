/*
 * tdesc.c - target.xml from the register table (see tdesc.h).
 *
 * The architecture is i8086, so gdb disassembles 16-bit code with no
 * "set architecture"; the feature is org.gnu.gdb.i386.core, complete with
 * the x87 registers, because gdb refuses the feature otherwise.
 */
#include "tdesc.h"
#include "regs.h"

#include <stdio.h>

static const struct {
	const char *name;
	unsigned bit;
} eflags_fields[] = {
	{ "CF", 0 }, { "", 1 }, { "PF", 2 }, { "AF", 4 }, { "ZF", 6 }, { "SF", 7 },
	{ "TF", 8 }, { "IF", 9 }, { "DF", 10 }, { "OF", 11 }, { "NT", 14 }, { "RF", 16 },
	{ "VM", 17 }, { "AC", 18 }, { "VIF", 19 }, { "VIP", 20 }, { "ID", 21 },
};

static char xml[8192];
static size_t xml_len;

static void append(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#include <stdarg.h>

static void append(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (xml_len >= sizeof(xml))
		return;
	va_start(ap, fmt);
	n = vsnprintf(xml + xml_len, sizeof(xml) - xml_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		xml_len += (size_t)n;
}

const char *tdesc_xml(size_t *len)
{
	if (!xml_len) {
		append("<?xml version=\"1.0\"?>\n"
		       "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
		       "<target version=\"1.0\">\n"
		       "  <architecture>i8086</architecture>\n"
		       "  <osabi>none</osabi>\n"
		       "  <feature name=\"org.gnu.gdb.i386.core\">\n"
		       "    <flags id=\"i386_eflags\" size=\"4\">\n");
		for (size_t i = 0; i < sizeof(eflags_fields) / sizeof(eflags_fields[0]); i++)
			append("      <field name=\"%s\" start=\"%u\" end=\"%u\"/>\n",
			       eflags_fields[i].name, eflags_fields[i].bit, eflags_fields[i].bit);
		append("    </flags>\n");
		for (unsigned r = 0; r < GDB_NUM_REGS; r++)
			append("    <reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%u\""
			       " group=\"%s\"/>\n", gdb_regs[r].name, gdb_regs[r].size * 8,
			       gdb_regs[r].type, r, gdb_regs[r].group);
		append("  </feature>\n</target>\n");
		if (xml_len >= sizeof(xml))
			xml_len = sizeof(xml) - 1;
	}
	*len = xml_len;
	return xml;
}
