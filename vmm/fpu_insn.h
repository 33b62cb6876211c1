/*
 * fpu_insn.h - does an instruction's encoding say it may change the x87,
 * MMX or SSE state?  The recorder (record.c) reads the vCPU's FPU state
 * (KVM_GET_FPU, an ioctl as costly as the step itself on some hosts) only
 * after steps whose instruction may have changed it, decided from the
 * bytes at the instruction pointer before the step.
 *
 * Conservative: an encoding it does not recognise as harmless but that
 * could be an FPU/SSE instruction answers yes.  What it cannot see: the
 * FPU state changed by something other than an instruction's encoding (a
 * task switch, an exception's delivery touches none of it in practice).
 */
#ifndef GDBVM_FPU_INSN_H
#define GDBVM_FPU_INSN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* code: up to len bytes at the instruction pointer (fewer when the rest
 * is not readable); long64: the CPU runs 64-bit code (REX prefixes, VEX
 * and EVEX in every form). */
bool fpu_insn_may_change(const uint8_t *code, size_t len, bool long64);

#endif
