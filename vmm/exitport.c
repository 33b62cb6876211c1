/*
 * exitport.c - the isa-debug-exit compatible exit port (see exitport.h).
 */
#include "exitport.h"

#include <string.h>

void exitport_pio(void *ctx, uint16_t offset, uint8_t *data, unsigned size, bool is_write)
{
	struct exitport *ep = ctx;
	uint32_t v = 0;

	(void)offset;
	if (!is_write) {
		memset(data, 0xff, size);
		return;
	}
	memcpy(&v, data, size > sizeof(v) ? sizeof(v) : size); /* x86 is little-endian */
	ep->requested = true;
	ep->value = v;
}
