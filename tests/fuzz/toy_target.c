/* toy_target.c - the toy machine behind the fuzzer and the seed recorder
 * (see toy_target.h). */
#include "toy_target.h"
#include "packet.h"

#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A broken promise of the stub: stop here so the fuzzer reports it. */
#define CONTRACT(cond, ...)                                                     \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "toy_target: contract violated: ");     \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
			abort();                                                \
		}                                                               \
	} while (0)

/* The demo program loaded at TOY_LOAD_ADDR (addresses in the comments). */
static const uint8_t demo[] = {
	0xb0, 0x07,		/* 1000 mov al, 7 */
	0xb1, 0x03,		/* 1002 mov cl, 3 */
	0x40,			/* 1004 inc ax          (tick) */
	0xe2, 0xfd,		/* 1005 loop 1004 */
	0xa2, 0x00, 0x20,	/* 1007 mov [2000], al  (write watch) */
	0xa0, 0x00, 0x20,	/* 100a mov al, [2000]  (read watch) */
	0xcc,			/* 100d int3 */
	0x90,			/* 100e nop */
	0xf4,			/* 100f hlt: exit with AL */
	0xeb, 0xfe,		/* 1010 jmp $           (spins) */
	0x0f, 0x0b,		/* 1012 ud2             (crashes) */
};

/* The 'g' layout is little-endian; one load or store each (the run loop
 * calls these per instruction). */
static uint32_t reg32(const struct toy_target *t, unsigned regno)
{
	uint32_t v;

	memcpy(&v, t->regs + gdb_regs[regno].offset, sizeof(v));
	return le32toh(v);
}

static void set_reg32(struct toy_target *t, unsigned regno, uint32_t v)
{
	v = htole32(v);
	memcpy(t->regs + gdb_regs[regno].offset, &v, sizeof(v));
}

void toy_init(struct toy_target *t)
{
	memset(t, 0, sizeof(*t));
}

void toy_reset(struct toy_target *t)
{
	t->stop_ready = false;
	memset(t->regs, 0, sizeof(t->regs));
	memset(t->ram, 0, sizeof(t->ram));
	memcpy(t->ram + TOY_LOAD_ADDR, demo, sizeof(demo));
	memcpy(t->ram + 0x2010, "toy machine", 11);
	set_reg32(t, GDB_REG_EIP, TOY_LOAD_ADDR);
	set_reg32(t, GDB_REG_ESP, 0xfffe);
	set_reg32(t, GDB_REG_EFLAGS, 2);
	t->nbps = 0;
	t->faulty = false;
	t->running = false;
	t->stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
}

static void stopped_only(const struct toy_target *t, const char *op)
{
	CONTRACT(!t->running, "%s while the target runs", op);
}

static void no_wrap(uint64_t addr, uint64_t len, const char *op)
{
	CONTRACT(addr + len >= addr, "%s: range %#llx+%#llx wraps", op, (unsigned long long)addr,
		 (unsigned long long)len);
}

static void make_stop_ready(struct toy_target *t, struct gdb_stop stop)
{
	CONTRACT(!t->stop_ready, "a second stop before the first was collected");
	t->stop = stop;
	t->stop_ready = true;
}

/* ---- the machine ---- */

enum access { ACC_NONE, ACC_READ, ACC_WRITE };

/* A watchpoint covering [addr, addr + 1) for this access, or NULL. */
static const struct toy_bp *watch_hit(const struct toy_target *t, enum access acc, uint64_t addr)
{
	for (unsigned i = 0; i < t->nbps; i++) {
		const struct toy_bp *b = &t->bps[i];
		bool kind = b->type == GDB_WP_ACCESS ||
			    (b->type == GDB_WP_WRITE && acc == ACC_WRITE) ||
			    (b->type == GDB_WP_READ && acc == ACC_READ);

		if (kind && addr >= b->addr && addr - b->addr < b->len)
			return b;
	}
	return NULL;
}

static const struct toy_bp *break_hit(const struct toy_target *t, uint64_t pc)
{
	for (unsigned i = 0; i < t->nbps; i++)
		if ((t->bps[i].type == GDB_BP_SW || t->bps[i].type == GDB_BP_HW) &&
		    t->bps[i].addr == pc)
			return &t->bps[i];
	return NULL;
}

/*
 * Execute one instruction.  Returns true with *stop filled when it stops
 * the machine by itself (hlt, int3, ud2, a fault, a watchpoint).
 */
static bool exec_one(struct toy_target *t, struct gdb_stop *stop)
{
	uint32_t pc = reg32(t, GDB_REG_EIP), ax = reg32(t, GDB_REG_EAX);
	uint32_t cx = reg32(t, GDB_REG_ECX);
	enum access acc = ACC_NONE;
	uint16_t mem = 0;
	uint8_t op;

#define AT(i) t->ram[(pc + (i)) & (TOY_RAM_SIZE - 1)]
	if (pc >= TOY_RAM_SIZE) {
		*stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGSEGV,
					   .fatal = true, .exit_code = 10 };
		return true;
	}
	op = AT(0);
	switch (op) {
	case 0xf4:
		*stop = (struct gdb_stop){ .kind = GDB_STOP_EXITED, .exit_code = ax & 0xff };
		return true;
	case 0xcc:
		set_reg32(t, GDB_REG_EIP, pc + 1);
		*stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
		return true;
	case 0x0f:
		if (AT(1) == 0x0b) {
			*stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGILL,
						   .fatal = true, .exit_code = 8 };
			return true;
		}
		pc += 1;
		break;
	case 0xeb:
		pc += 2 + (uint32_t)(int32_t)(int8_t)AT(1);
		break;
	case 0xe2:
		cx = (cx & 0xffff0000) | ((cx - 1) & 0xffff);
		set_reg32(t, GDB_REG_ECX, cx);
		pc += 2 + ((cx & 0xffff) ? (uint32_t)(int32_t)(int8_t)AT(1) : 0);
		break;
	case 0xb0:
		set_reg32(t, GDB_REG_EAX, (ax & ~0xffu) | AT(1));
		pc += 2;
		break;
	case 0xb1:
		set_reg32(t, GDB_REG_ECX, (cx & ~0xffu) | AT(1));
		pc += 2;
		break;
	case 0xa0:
		mem = (uint16_t)(AT(1) | AT(2) << 8);
		set_reg32(t, GDB_REG_EAX, (ax & ~0xffu) | t->ram[mem]);
		acc = ACC_READ;
		pc += 3;
		break;
	case 0xa2:
		mem = (uint16_t)(AT(1) | AT(2) << 8);
		t->ram[mem] = (uint8_t)ax;
		acc = ACC_WRITE;
		pc += 3;
		break;
	case 0x40:
	case 0x48:
		set_reg32(t, GDB_REG_EAX, (ax & 0xffff0000) | ((ax + (op == 0x40 ? 1 : -1)) & 0xffff));
		pc += 1;
		break;
	default:
		pc += 1;
		break;
	}
#undef AT
	set_reg32(t, GDB_REG_EIP, pc);
	if (acc != ACC_NONE) {
		const struct toy_bp *w = watch_hit(t, acc, mem);

		if (w) {
			*stop = (struct gdb_stop){ .kind = GDB_STOP_WATCH, .signal = GDB_SIGTRAP,
						   .watch_type = w->type, .watch_addr = mem };
			return true;
		}
	}
	return false;
}

/* ---- the operations ---- */

static int op_read_registers(void *p, uint8_t *buf)
{
	struct toy_target *t = p;

	stopped_only(t, "read_registers");
	if (t->faulty)
		return -EIO;
	memcpy(buf, t->regs, GDB_REGS_SIZE);
	return 0;
}

static int op_write_registers(void *p, const uint8_t *buf)
{
	struct toy_target *t = p;

	stopped_only(t, "write_registers");
	if (t->faulty)
		return -EIO;
	memcpy(t->regs, buf, GDB_REGS_SIZE);
	return 0;
}

static int op_write_register(void *p, unsigned regno, const uint8_t *val)
{
	struct toy_target *t = p;

	stopped_only(t, "write_register");
	CONTRACT(regno < GDB_NUM_REGS, "write_register %u", regno);
	if (t->faulty)
		return -EIO;
	memcpy(t->regs + gdb_regs[regno].offset, val, gdb_regs[regno].size);
	return 0;
}

static bool in_ram(uint64_t addr, size_t len)
{
	return addr <= TOY_RAM_SIZE && len <= TOY_RAM_SIZE - addr;
}

static int op_read_memory(void *p, uint64_t addr, uint8_t *buf, size_t len)
{
	struct toy_target *t = p;

	stopped_only(t, "read_memory");
	/* The reply holds two hex digits per byte. */
	CONTRACT(len <= GDB_PACKET_MAX / 2, "read_memory of %zu bytes", len);
	no_wrap(addr, len, "read_memory");
	if (!in_ram(addr, len))
		return -EFAULT;
	memcpy(buf, t->ram + addr, len);
	return 0;
}

static int op_write_memory(void *p, uint64_t addr, const uint8_t *buf, size_t len)
{
	struct toy_target *t = p;

	stopped_only(t, "write_memory");
	CONTRACT(len <= GDB_PACKET_MAX, "write_memory of %zu bytes", len);
	no_wrap(addr, len, "write_memory");
	if (!in_ram(addr, len))
		return -EFAULT;
	memcpy(t->ram + addr, buf, len);
	return 0;
}

static void check_bp_args(enum gdb_bp_type type, uint64_t addr, uint64_t len, const char *op)
{
	CONTRACT((unsigned)type <= GDB_WP_ACCESS, "%s type %u", op, (unsigned)type);
	CONTRACT(len >= 1 && len <= 0x10000, "%s kind %#llx", op, (unsigned long long)len);
	no_wrap(addr, len, op);
}

static bool uses_debug_reg(enum gdb_bp_type type)
{
	return type == GDB_BP_HW || type == GDB_WP_READ || type == GDB_WP_ACCESS;
}

static int op_insert_breakpoint(void *p, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	struct toy_target *t = p;
	unsigned hw = 0;

	stopped_only(t, "insert_breakpoint");
	check_bp_args(type, addr, len, "insert_breakpoint");
	/* Read and access watchpoints live in debug registers: 1, 2, 4 or 8
	 * bytes, aligned, like x86's. */
	if ((type == GDB_WP_READ || type == GDB_WP_ACCESS) &&
	    ((len & (len - 1)) || len > 8 || addr % len))
		return -EOPNOTSUPP;
	for (unsigned i = 0; i < t->nbps; i++)
		hw += uses_debug_reg(t->bps[i].type);
	if ((uses_debug_reg(type) && hw >= TOY_MAX_HW) || t->nbps >= TOY_MAX_BPS)
		return -ENOSPC;
	t->bps[t->nbps++] = (struct toy_bp){ type, addr, len };
	return 0;
}

static int op_remove_breakpoint(void *p, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	struct toy_target *t = p;

	stopped_only(t, "remove_breakpoint");
	check_bp_args(type, addr, len, "remove_breakpoint");
	for (unsigned i = 0; i < t->nbps; i++) {
		if (t->bps[i].type == type && t->bps[i].addr == addr && t->bps[i].len == len) {
			t->bps[i] = t->bps[--t->nbps];
			return 0;
		}
	}
	return -ENOENT;
}

static void op_remove_all_breakpoints(void *p)
{
	struct toy_target *t = p;

	stopped_only(t, "remove_all_breakpoints");
	t->nbps = 0;
}

static int op_set_pc(void *p, uint64_t addr)
{
	struct toy_target *t = p;

	stopped_only(t, "set_pc");
	if (addr > 0xffffffffULL)
		return -ERANGE;
	set_reg32(t, GDB_REG_EIP, (uint32_t)addr);
	return 0;
}

static int op_resume(void *p, enum gdb_resume_mode mode)
{
	struct toy_target *t = p;
	struct gdb_stop stop = { .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };

	stopped_only(t, "resume");
	CONTRACT(!t->stop_ready, "resume with a stop not collected");
	CONTRACT(mode == GDB_RESUME_STEP || mode == GDB_RESUME_CONTINUE, "resume mode %d", mode);
	if (t->faulty)
		return -EIO;
	t->running = true;
	if (mode == GDB_RESUME_STEP) {
		exec_one(t, &stop);
		make_stop_ready(t, stop);
		return 0;
	}
	/* Like x86's RF: the first instruction does not hit its own breakpoint. */
	for (unsigned n = 0; n < TOY_RUN_BUDGET; n++) {
		const struct toy_bp *b;

		if (n && t->nbps && (b = break_hit(t, reg32(t, GDB_REG_EIP)))) {
			stop.kind = b->type == GDB_BP_SW ? GDB_STOP_SWBREAK : GDB_STOP_HWBREAK;
			make_stop_ready(t, stop);
			return 0;
		}
		if (exec_one(t, &stop)) {
			make_stop_ready(t, stop);
			return 0;
		}
	}
	return 0;	/* still running: only interrupt() stops it */
}

static void op_interrupt(void *p)
{
	struct toy_target *t = p;

	if (t->running && !t->stop_ready)
		make_stop_ready(t, (struct gdb_stop){ .kind = GDB_STOP_SIGNAL,
						      .signal = GDB_SIGINT });
}

static int op_run(void *p, struct gdb_stop *stop)
{
	struct toy_target *t = p;

	CONTRACT(t->running, "run() with the target stopped");
	if (!t->stop_ready) {
		if (t->nap)
			poll(NULL, 0, 10);	/* a served session, not the fuzzer */
		return -EINTR;	/* still running, as a signal would leave it */
	}
	t->stop_ready = false;
	t->running = false;
	*stop = t->stop;
	return 0;
}

static int op_monitor(void *p, const char *cmd, void (*out)(void *ctx, const char *text),
		      void *ctx)
{
	struct toy_target *t = p;
	char line[128];

	stopped_only(t, "monitor");
	if (strcmp(cmd, "help") == 0) {
		out(ctx, "toy: help regs long fail faulty reset quit\n");
		return 0;
	}
	if (strcmp(cmd, "regs") == 0) {
		snprintf(line, sizeof(line), "eax=%08x ecx=%08x eip=%08x\n",
			 reg32(t, GDB_REG_EAX), reg32(t, GDB_REG_ECX), reg32(t, GDB_REG_EIP));
		out(ctx, line);
		return 0;
	}
	if (strcmp(cmd, "long") == 0) {	/* more than a reply holds */
		memset(line, 'x', 99);
		line[99] = '\n';
		line[100] = '\0';
		for (int i = 0; i < 200; i++)
			out(ctx, line);
		return 0;
	}
	if (strcmp(cmd, "fail") == 0)
		return -EIO;
	if (strcmp(cmd, "faulty") == 0) {
		t->faulty = !t->faulty;
		return 0;
	}
	if (strcmp(cmd, "reset") == 0) {
		toy_reset(t);
		return 0;
	}
	if (strcmp(cmd, "quit") == 0)
		return GDB_MONITOR_QUIT;
	return -ENOENT;
}

static const char *op_exec_file(void *p)
{
	(void)p;
	return "/toy/machine.elf";
}

const struct gdb_target_ops toy_ops = {
	.read_registers = op_read_registers,
	.write_registers = op_write_registers,
	.write_register = op_write_register,
	.read_memory = op_read_memory,
	.write_memory = op_write_memory,
	.insert_breakpoint = op_insert_breakpoint,
	.remove_breakpoint = op_remove_breakpoint,
	.remove_all_breakpoints = op_remove_all_breakpoints,
	.set_pc = op_set_pc,
	.resume = op_resume,
	.run = op_run,
	.interrupt = op_interrupt,
	.monitor = op_monitor,
	.exec_file = op_exec_file,
};
