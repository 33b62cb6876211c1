/* test_demo.c - checks the built-in demo bytes against nasm's guests/demo.bin (vmm/demo.c). */
#include "demo.h"
#include "regnames.h"
#include "suites.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

#define DEMO_BIN "guests/demo.bin"

static void test_demo_bin(void)
{
	unsigned char buf[256];
	size_t n;
	FILE *f = fopen(DEMO_BIN, "rb");

	if (!f) {
		tap_skip(DEMO_BIN " not built");
		return;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	CHECK_INT(n, demo_code_size, "demo_code is as long as " DEMO_BIN);
	CHECK_MEM(demo_code, buf, n < demo_code_size ? n : demo_code_size,
		  "demo_code equals " DEMO_BIN " byte for byte");
}

void test_demo(void)
{
	struct reg_assign a;

	tap_suite("demo");
	test_demo_bin();
	CHECK_INT(demo_code[demo_code_size - 1], 0xf4, "the demo ends with HLT");
	CHECK_INT(demo_nreg_init, 2, "the demo sets two registers");
	for (unsigned i = 0; i < demo_nreg_init; i++) {
		CHECK_ERR(reg_assign_parse(demo_reg_init[i], &a), 0,
			  "demo register setting \"%s\" parses", demo_reg_init[i]);
		CHECK_INT(a.value, 2, "demo register setting \"%s\" is 2", demo_reg_init[i]);
	}
}
