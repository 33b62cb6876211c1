/* test_exitport.c - tests the isa-debug-exit style exit port (vmm/exitport.c/.h). */
#include "exitport.h"
#include "suites.h"
#include "tap.h"

#include <string.h>

void test_exitport(void)
{
	struct exitport ep = { 0 };
	uint8_t data[4];

	tap_suite("exitport");

	memset(data, 0, sizeof(data));
	exitport_pio(&ep, 0, data, 2, false);
	CHECK(data[0] == 0xff && data[1] == 0xff && data[2] == 0, "a 2-byte read gives 0xff 0xff");
	CHECK(!ep.requested, "a read does not request the end of the run");

	data[0] = 0x12;
	exitport_pio(&ep, 0, data, 1, true);
	CHECK(ep.requested, "a write requests the end of the run");
	CHECK_HEX(ep.value, 0x12, "a 1-byte write of 0x12");

	memcpy(data, "\x34\x12\xff\xff", 4);
	exitport_pio(&ep, 0, data, 2, true);
	CHECK_HEX(ep.value, 0x1234, "a 2-byte write of 0x1234 (upper bytes ignored)");

	memcpy(data, "\x78\x56\x34\x12", 4);
	exitport_pio(&ep, 0, data, 4, true);
	CHECK_HEX(ep.value, 0x12345678, "a 4-byte write of 0x12345678");

	memset(data, 0, sizeof(data));
	exitport_pio(&ep, 0, data, 4, false);
	CHECK_HEX(data[0] | data[1] << 8 | data[2] << 16 | (uint32_t)data[3] << 24, 0xffffffff,
		  "a 4-byte read gives 0xffffffff");
	CHECK_HEX(ep.value, 0x12345678, "a read keeps the written value");

	CHECK_INT(exitport_status(0), 1, "exitport_status(0) = 1");
	CHECK_INT(exitport_status(1), 3, "exitport_status(1) = 3");
	CHECK_INT(exitport_status(0x7f), 255, "exitport_status(0x7f) = 255");
	CHECK_INT(exitport_status(0x80), 1, "exitport_status(0x80) = 1 (mod 256)");
	CHECK_INT(exitport_status(0x12345681), 3, "exitport_status(0x12345681) = 3");
	CHECK_INT(exitport_status(0xffffffff), 255, "exitport_status(0xffffffff) = 255");
}
