/*
 * delivery.c - recognising an interrupted delivery (see delivery.h).
 */
#include "delivery.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define CR0_PG (UINT64_C(1) << 31)

const char *delivery_vector_name(uint8_t vector)
{
	static const char *const names[32] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
		"#DF", NULL,  "#TS", "#NP", "#SS", "#GP", "#PF", NULL,
		"#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	};

	return vector < 32 ? names[vector] : NULL;
}

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

/* The value of general register number r (0 = rax ... 15 = r15). */
static uint64_t gpr(const struct kvm_regs *regs, unsigned r)
{
	const uint64_t v[16] = {
		regs->rax, regs->rcx, regs->rdx, regs->rbx, regs->rsp, regs->rbp, regs->rsi,
		regs->rdi, regs->r8,  regs->r9,  regs->r10, regs->r11, regs->r12, regs->r13,
		regs->r14, regs->r15,
	};

	return v[r & 15];
}

static void soft_int(struct guest_event *ev, uint8_t vector, const char *name)
{
	ev->doing = DOING_SOFT_INT;
	ev->vector = vector;
	snprintf(ev->insn, sizeof(ev->insn), "%s", name);
}

void delivery_decode(const uint8_t *code, size_t n, bool long64, const struct kvm_regs *regs,
		     struct guest_event *ev)
{
	size_t i = 0;
	uint8_t rex = 0;

	memset(ev, 0, sizeof(*ev));
	while (i < n && i < 14 && is_legacy_prefix(code[i]))
		i++;
	if (long64 && i < n && (code[i] & 0xf0) == 0x40)
		rex = code[i++];
	if (i >= n)
		return;
	switch (code[i]) {
	case 0xcd:
		if (i + 1 < n) {
			char name[16];

			snprintf(name, sizeof(name), "int 0x%02x", code[i + 1]);
			soft_int(ev, code[i + 1], name);
		}
		return;
	case 0xcc:
		soft_int(ev, 3, "int3");
		return;
	case 0xce:
		if (!long64)	/* invalid in 64-bit mode */
			soft_int(ev, 4, "into");
		return;
	case 0xf1:
		soft_int(ev, 1, "int1");
		return;
	case 0xcf:
		ev->doing = DOING_IRET;
		snprintf(ev->insn, sizeof(ev->insn), "%s", (rex & 0x08) ? "iretq" : "iret");
		return;
	case 0x0f:
		/* 0f 22 /r with reg = 0: mov cr0, r (register form only). */
		if (i + 2 < n && code[i + 1] == 0x22 && ((code[i + 2] >> 3) & 7) == 0 &&
		    (rex & 0x04) == 0) {
			unsigned rm = (code[i + 2] & 7) | ((rex & 0x01) ? 8 : 0);

			if (regs && (gpr(regs, rm) & CR0_PG)) {
				ev->doing = DOING_PAGING_ON;
				snprintf(ev->insn, sizeof(ev->insn), "mov cr0");
			}
		}
		return;
	default:
		return;
	}
}

bool delivery_from_events(const struct kvm_vcpu_events *events, uint64_t cr2,
			  struct guest_event *ev)
{
	if (!events->exception.injected && !events->exception.pending) {
		if (!events->interrupt.injected)
			return false;
		memset(ev, 0, sizeof(*ev));
		ev->vector = events->interrupt.nr;
		if (events->interrupt.soft) {
			ev->doing = DOING_SOFT_INT;
			snprintf(ev->insn, sizeof(ev->insn), "int 0x%02x", ev->vector);
		} else {
			ev->doing = DOING_INTERRUPT;
			snprintf(ev->insn, sizeof(ev->insn), "an interrupt");
		}
		return true;
	}
	memset(ev, 0, sizeof(*ev));
	ev->doing = DOING_EXCEPTION;
	ev->vector = events->exception.nr;
	ev->has_error_code = events->exception.has_error_code;
	ev->error_code = events->exception.error_code;
	if (ev->vector == 14) {
		ev->has_cr2 = true;
		ev->cr2 = events->exception_has_payload ? events->exception_payload : cr2;
	}
	return true;
}

bool delivery_from_vectoring(uint64_t info, struct guest_event *ev)
{
	unsigned type = (info >> 8) & 7;

	if (!(info & (UINT64_C(1) << 31)))
		return false;
	memset(ev, 0, sizeof(*ev));
	ev->vector = (uint8_t)info;
	switch (type) {
	case 3:		/* hardware exception */
		ev->doing = DOING_EXCEPTION;
		return true;
	case 4:		/* software interrupt: int n */
	case 5:		/* privileged software exception: int1 */
	case 6:		/* software exception: int3, into */
		ev->doing = DOING_SOFT_INT;
		snprintf(ev->insn, sizeof(ev->insn), "%s",
			 type == 4 ? "int n" : type == 5 ? "int1" : ev->vector == 4 ? "into" : "int3");
		return true;
	default:	/* external interrupt, NMI, other events */
		ev->doing = DOING_SOFT_INT;
		snprintf(ev->insn, sizeof(ev->insn), "%s", type == 2 ? "NMI" : "an interrupt");
		return true;
	}
}

bool delivery_host_is_pvm(const char *sysfs_root)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/module/kvm_pvm", sysfs_root);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
