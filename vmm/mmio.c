/*
 * mmio.c - accesses outside guest RAM (see mmio.h).
 */
#include "mmio.h"

#include <string.h>

void mmio_init(struct mmio_unmapped *m, FILE *report)
{
	memset(m, 0, sizeof(*m));
	m->report = report;
}

static bool already_reported(struct mmio_unmapped *m, uint64_t addr)
{
	for (unsigned i = 0; i < m->nreported; i++)
		if (m->reported[i] == addr)
			return true;
	if (m->nreported < MMIO_MAX_REPORTED) {
		m->reported[m->nreported++] = addr;
		return false;
	}
	if (!m->overflow_reported && m->report)
		fprintf(m->report, "gdbvm: guest touched more than %d unmapped addresses; "
			"not reporting further ones\n", MMIO_MAX_REPORTED);
	m->overflow_reported = true;
	return true;
}

void mmio_access(struct mmio_unmapped *m, uint64_t addr, uint8_t *data, uint32_t len,
		 bool is_write)
{
	if (len > 8)
		len = 8;
	if (!is_write)
		memset(data, 0xff, len);
	if (already_reported(m, addr) || !m->report)
		return;
	fprintf(m->report, "gdbvm: guest %s unmapped physical address 0x%llx (%u bytes; %s; "
		"reported once)\n", is_write ? "wrote to" : "read from",
		(unsigned long long)addr, len, is_write ? "write ignored" : "read as all ones");
}
