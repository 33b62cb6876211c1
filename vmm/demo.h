/*
 * demo.h - the built-in demo guest run when no GUEST is given.
 */
#ifndef GDBVM_DEMO_H
#define GDBVM_DEMO_H

#include <stddef.h>
#include <stdint.h>

extern const uint8_t demo_code[];
extern const size_t demo_code_size;

/* The registers the demo starts with, as --reg values applied ahead of the
 * user's own: AL = BL = 2. */
extern const char *const demo_reg_init[];
extern const unsigned demo_nreg_init;

#endif
