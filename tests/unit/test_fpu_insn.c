/* test_fpu_insn.c - tests which encodings the recorder treats as possibly
 * changing the FPU/SSE state (vmm/fpu_insn.c).  The expectations are the
 * instruction set's facts (Intel SDM volume 2 opcode maps), one encoding a
 * line. */
#include "fpu_insn.h"
#include "suites.h"
#include "tap.h"

#include <stdbool.h>
#include <stdint.h>

struct insn_case {
	const char *name;
	uint8_t bytes[15];
	unsigned len;
	bool long64;
	bool touches;
};

static const struct insn_case cases[] = {
	{ "fldpi (D9 EB)", { 0xd9, 0xeb }, 2, false, true },
	{ "fstp qword [bx] (DD 1F)", { 0xdd, 0x1f }, 2, false, true },
	{ "fwait (9B)", { 0x9b }, 1, false, true },
	{ "addps xmm0, xmm1 (0F 58 C1)", { 0x0f, 0x58, 0xc1 }, 3, false, true },
	{ "movss xmm0, [eax] (F3 0F 10 00)", { 0xf3, 0x0f, 0x10, 0x00 }, 4, false, true },
	{ "pxor xmm0, xmm0 (66 0F EF C0)", { 0x66, 0x0f, 0xef, 0xc0 }, 4, false, true },
	{ "movaps xmm0, xmm8 (41 0F 28 C0)", { 0x41, 0x0f, 0x28, 0xc0 }, 4, true, true },
	{ "pshufb (66 0F 38 00 C1)", { 0x66, 0x0f, 0x38, 0x00, 0xc1 }, 5, false, true },
	{ "ldmxcsr [eax] (0F AE 10)", { 0x0f, 0xae, 0x10 }, 3, false, true },
	{ "fxrstor [eax] (0F AE 08)", { 0x0f, 0xae, 0x08 }, 3, false, true },
	{ "emms (0F 77)", { 0x0f, 0x77 }, 2, false, true },
	{ "movd mm0, eax (0F 6E C0)", { 0x0f, 0x6e, 0xc0 }, 3, false, true },
	{ "vzeroupper, 64-bit (C5 F8 77)", { 0xc5, 0xf8, 0x77 }, 3, true, true },
	{ "vzeroupper, 32-bit: register form (C5 F8 77)", { 0xc5, 0xf8, 0x77 }, 3, false, true },
	{ "les eax, [esi], 32-bit (C4 06)", { 0xc4, 0x06 }, 2, false, false },
	{ "lds ax, [bx], 16-bit (C5 07)", { 0xc5, 0x07 }, 2, false, false },
	{ "mov eax, ebx (89 D8)", { 0x89, 0xd8 }, 2, false, false },
	{ "mov rax, rbx (48 89 D8)", { 0x48, 0x89, 0xd8 }, 3, true, false },
	{ "rep movsb (F3 A4)", { 0xf3, 0xa4 }, 2, false, false },
	{ "cpuid (0F A2)", { 0x0f, 0xa2 }, 2, false, false },
	{ "xgetbv (0F 01 D0)", { 0x0f, 0x01, 0xd0 }, 3, false, false },
	{ "prefetcht0 [eax] (0F 18 08)", { 0x0f, 0x18, 0x08 }, 3, false, false },
	{ "nop dword [eax] (0F 1F 00)", { 0x0f, 0x1f, 0x00 }, 3, false, false },
	{ "jz near (0F 84 ...)", { 0x0f, 0x84, 0, 0, 0, 0 }, 6, false, false },
	{ "inc eax, 32-bit (40): not a REX outside 64-bit code", { 0x40 }, 1, false, false },
	{ "no bytes readable", { 0 }, 0, false, true },
	{ "prefixes only", { 0x66, 0xf3 }, 2, false, true },
	{ "0F with nothing after it", { 0x0f }, 1, false, true },
	{ "REX with nothing after it", { 0x48 }, 1, true, true },
};

void test_fpu_insn(void)
{
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct insn_case *c = &cases[i];

		CHECK(fpu_insn_may_change(c->bytes, c->len, c->long64) == c->touches,
		      "fpu_insn: %s %s", c->name, c->touches ? "may change the FPU" : "does not");
	}
}
