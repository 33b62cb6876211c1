/*
 * tdesc.c - target.xml from an architecture description (see tdesc.h).
 *
 * The <architecture> element is the view's (i8086, i386 or i386:x86-64), so
 * gdb disassembles the mode's code with no "set architecture".  The core
 * feature is complete with the x87 registers, because gdb refuses it
 * otherwise.  <osabi>none</osabi> keeps gdb from assuming GNU/Linux, and the
 * 16- and 32-bit descriptions are <compatible> with x86-64, so that a user
 * can load a 64-bit ELF's symbols before the guest reaches long mode.  The
 * generic= and dwarf_regnum= attributes are LLDB's (gdb ignores them):
 * without the roles LLDB cannot follow a switch to 64-bit code.
 */
#include "tdesc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

struct flag_field {
	const char *name;
	unsigned bit;
};

static const struct flag_field eflags_fields[] = {
	{ "CF", 0 }, { "", 1 }, { "PF", 2 }, { "AF", 4 }, { "ZF", 6 }, { "SF", 7 },
	{ "TF", 8 }, { "IF", 9 }, { "DF", 10 }, { "OF", 11 }, { "NT", 14 }, { "RF", 16 },
	{ "VM", 17 }, { "AC", 18 }, { "VIF", 19 }, { "VIP", 20 }, { "ID", 21 },
	{ NULL, 0 },
};

static const struct flag_field mxcsr_fields[] = {
	{ "IE", 0 }, { "DE", 1 }, { "ZE", 2 }, { "OE", 3 }, { "UE", 4 }, { "PE", 5 },
	{ "DAZ", 6 }, { "IM", 7 }, { "DM", 8 }, { "ZM", 9 }, { "OM", 10 }, { "UM", 11 },
	{ "PM", 12 }, { "FZ", 15 },
	{ NULL, 0 },
};

/* The types an SSE feature's registers use, as gdb's own sse.xml has them. */
static const char vec128_types[] =
	"    <vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
	"    <vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
	"    <vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n"
	"    <vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n"
	"    <vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n"
	"    <vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n"
	"    <union id=\"vec128\">\n"
	"      <field name=\"v4_float\" type=\"v4f\"/>\n"
	"      <field name=\"v2_double\" type=\"v2d\"/>\n"
	"      <field name=\"v16_int8\" type=\"v16i8\"/>\n"
	"      <field name=\"v8_int16\" type=\"v8i16\"/>\n"
	"      <field name=\"v4_int32\" type=\"v4i32\"/>\n"
	"      <field name=\"v2_int64\" type=\"v2i64\"/>\n"
	"      <field name=\"uint128\" type=\"uint128\"/>\n"
	"    </union>\n";

struct doc {
	const struct gdb_arch *arch;
	char xml[16384];
	size_t len;
};

static void append(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void append(struct doc *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (d->len >= sizeof(d->xml))
		return;
	va_start(ap, fmt);
	n = vsnprintf(d->xml + d->len, sizeof(d->xml) - d->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		d->len += (size_t)n;
}

static void append_flags(struct doc *d, const char *id, const struct flag_field *f)
{
	append(d, "    <flags id=\"%s\" size=\"4\">\n", id);
	for (; f->name; f++)
		append(d, "      <field name=\"%s\" start=\"%u\" end=\"%u\"/>\n", f->name, f->bit,
		       f->bit);
	append(d, "    </flags>\n");
}

static void build(struct doc *d, const struct gdb_arch *a)
{
	const struct gdb_reg *r;
	bool open = false;

	d->arch = a;
	d->len = 0;
	append(d, "<?xml version=\"1.0\"?>\n"
	       "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	       "<target version=\"1.0\">\n"
	       "  <architecture>%s</architecture>\n"
	       "  <osabi>none</osabi>\n", a->name);
	if (a->ptrsize < 8)
		append(d, "  <compatible>i386:x86-64</compatible>\n");
	for (unsigned i = 0; i < a->num_regs; i++) {
		r = &a->regs[i];
		if (!open || r->feature != a->regs[i - 1].feature) {
			if (open)
				append(d, "  </feature>\n");
			append(d, "  <feature name=\"%s\">\n", gdb_feature_name(r->feature));
			open = true;
			if (r->feature == GDB_FEAT_CORE)
				append_flags(d, "i386_eflags", eflags_fields);
			if (r->feature == GDB_FEAT_SSE) {
				append(d, "%s", vec128_types);
				append_flags(d, "i386_mxcsr", mxcsr_fields);
			}
		}
		append(d, "    <reg name=\"%s\" bitsize=\"%u\" type=\"%s\" regnum=\"%u\" group=\"%s\"",
		       r->name, r->size * 8, r->type, i, r->group);
		if (r->generic)
			append(d, " generic=\"%s\"", r->generic);
		if (r->dwarf >= 0)
			append(d, " dwarf_regnum=\"%d\"", r->dwarf);
		append(d, "/>\n");
	}
	if (open)
		append(d, "  </feature>\n");
	append(d, "</target>\n");
	if (d->len >= sizeof(d->xml))
		d->len = sizeof(d->xml) - 1;
}

const char *tdesc_xml(const struct gdb_arch *arch, size_t *len)
{
	static struct doc docs[4];	/* one per description served; more never exist */
	struct doc *d = NULL;

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]) && !d; i++)
		if (docs[i].arch == arch || !docs[i].arch)
			d = &docs[i];
	if (!d)
		d = &docs[0];
	if (d->arch != arch)
		build(d, arch);
	*len = d->len;
	return d->xml;
}
