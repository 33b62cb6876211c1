/*
 * tdesc.h - the target description (target.xml) served through
 * qXfer:features:read, generated from the register table.
 */
#ifndef GDBSTUB_TDESC_H
#define GDBSTUB_TDESC_H

#include <stddef.h>

/* The XML document, built on first use; never NULL. */
const char *tdesc_xml(size_t *len);

#endif
