/*
 * tdesc.h - the target description (target.xml) served through
 * qXfer:features:read, generated from an architecture description.
 */
#ifndef GDBSTUB_TDESC_H
#define GDBSTUB_TDESC_H

#include "regs.h"

#include <stddef.h>

/* The XML document for arch, built on first use; never NULL. */
const char *tdesc_xml(const struct gdb_arch *arch, size_t *len);

#endif
