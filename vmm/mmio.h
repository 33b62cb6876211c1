/*
 * mmio.h - guest accesses to physical addresses with no RAM behind them
 * (KVM_EXIT_MMIO): reads return all ones, writes are dropped, and each
 * address is reported once on stderr.
 */
#ifndef GDBVM_MMIO_H
#define GDBVM_MMIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define MMIO_MAX_REPORTED 64

struct mmio_unmapped {
	FILE *report;
	uint64_t reported[MMIO_MAX_REPORTED];
	unsigned nreported;
	bool overflow_reported;
};

void mmio_init(struct mmio_unmapped *m, FILE *report);

/* Carry out one unmapped access of len bytes (at most 8) at addr. */
void mmio_access(struct mmio_unmapped *m, uint64_t addr, uint8_t *data, uint32_t len,
		 bool is_write);

#endif
