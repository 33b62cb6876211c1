/*
 * fpu_insn.c - which instruction encodings may change the FPU/SSE state
 * (see fpu_insn.h).
 *
 * The instruction's prefixes are skipped, then the opcode decides:
 *   - D8-DF (x87 escape) and 9B (FWAIT: may raise a pending x87 fault);
 *   - VEX (C4, C5) and EVEX (62): in 64-bit code always; elsewhere only in
 *     the register form of the byte after them (otherwise LES, LDS, BOUND);
 *   - two-byte opcodes 0F xx listed in the table below: MMX, SSE, FXSAVE /
 *     FXRSTOR / LDMXCSR / XRSTOR (0F AE), XSAVES/XRSTORS (0F C7), EMMS,
 *     3DNow! (0F 0F), and the three-byte maps 0F 38 and 0F 3A (mostly SSE).
 * Anything that runs out of bytes answers yes.
 */
#include "fpu_insn.h"

/* Bit n of word [n / 64]: two-byte opcode 0F n may touch the FPU/SSE state. */
static const uint64_t twobyte_fpu[4] = {
	/* 0x00-0x3f: 0E femms, 0F 3DNow!, 10-17 SSE moves, 28-2F SSE,
	 * 38 and 3A (three-byte maps). */
	(1ULL << 0x0e) | (1ULL << 0x0f) | (0xffULL << 0x10) | (0xffULL << 0x28) |
		(1ULL << 0x38) | (1ULL << 0x3a),
	/* 0x40-0x7f: 50-7F (SSE and MMX, 77 emms included). */
	0xffffffffffff0000ULL,
	/* 0x80-0xbf: AE (FXSAVE/FXRSTOR/LDMXCSR/XRSTOR...). */
	1ULL << (0xae - 0x80),
	/* 0xc0-0xff: C2 cmpps, C4-C6, C7 (XRSTORS), D0-FF (SSE2/MMX). */
	(1ULL << (0xc2 - 0xc0)) | (0x7ULL << (0xc4 - 0xc0)) | (1ULL << (0xc7 - 0xc0)) |
		0xffffffffffff0000ULL,
};

static bool is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
		return true;
	default:
		return false;
	}
}

bool fpu_insn_may_change(const uint8_t *code, size_t len, bool long64)
{
	size_t i = 0;
	uint8_t op;

	/* At most 15 bytes make an instruction; prefixes beyond that fault. */
	while (i < len && i < 15 && is_legacy_prefix(code[i]))
		i++;
	if (long64 && i < len && (code[i] & 0xf0) == 0x40)
		i++;	/* REX */
	if (i >= len)
		return true;
	op = code[i];
	if ((op >= 0xd8 && op <= 0xdf) || op == 0x9b)
		return true;
	if (op == 0xc4 || op == 0xc5 || op == 0x62) {
		if (long64)
			return true;
		return i + 1 >= len || (code[i + 1] & 0xc0) == 0xc0;
	}
	if (op != 0x0f)
		return false;
	if (i + 1 >= len)
		return true;
	op = code[i + 1];
	return twobyte_fpu[op / 64] >> (op % 64) & 1;
}
