/*
 * demo.c - the built-in demo: the classic example from "Using the KVM API"
 * (LWN), which adds AL and BL (both 2 at start) and prints the digit and a
 * newline on COM1, then halts.  Its source is guests/demo.asm; a test
 * checks these bytes against nasm's output for it.
 */
#include "demo.h"

const uint8_t demo_code[] = {
	0xba, 0xf8, 0x03,	/* mov dx, 0x3f8 */
	0x00, 0xd8,		/* add al, bl */
	0x04, '0',		/* add al, '0' */
	0xee,			/* out dx, al */
	0xb0, '\n',		/* mov al, 10 */
	0xee,			/* out dx, al */
	0xf4,			/* hlt */
};
const size_t demo_code_size = sizeof(demo_code);

const char *const demo_reg_init[] = { "al=2", "bl=2" };
const unsigned demo_nreg_init = sizeof(demo_reg_init) / sizeof(demo_reg_init[0]);
