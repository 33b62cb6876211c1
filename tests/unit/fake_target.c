/* fake_target.c - the fake gdb target shared by the unit tests and the
 * fuzzer, scripted or running the toy machine (see fake_target.h). */
#include "fake_target.h"
#include "packet.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- bookkeeping ---- */

/* A broken promise of the stub: counted, or (strict) fatal. */
__attribute__((format(printf, 3, 4)))
static void contract(struct fake_target *f, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return;
	if (f->strict) {
		fprintf(stderr, "fake_target: contract violated: ");
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
		abort();
	}
	if (!f->violations) {
		va_start(ap, fmt);
		vsnprintf(f->violation, sizeof(f->violation), fmt, ap);
		va_end(ap);
	}
	f->violations++;
}

/* Every op but interrupt() and run() must come while the target is stopped. */
static void stopped_only(struct fake_target *f, const char *op)
{
	contract(f, !f->running, "%s", op);
}

static void no_wrap(struct fake_target *f, uint64_t addr, uint64_t len, const char *op)
{
	contract(f, addr + len >= addr, "%s: range %#llx+%#llx wraps", op,
		 (unsigned long long)addr, (unsigned long long)len);
}

static void log_call(struct fake_target *f, char c)
{
	size_t n = strlen(f->order);

	if (n + 1 < sizeof(f->order)) {
		f->order[n] = c;
		f->order[n + 1] = '\0';
	}
}

static void event(struct fake_target *f, char ev)
{
	if (write(f->event_w, &ev, 1) != 1) {
		/* a full pipe only loses an event the test does not wait for */
	}
}

static bool in_ram(uint64_t addr, size_t len)
{
	return addr <= FAKE_RAM_SIZE && len <= FAKE_RAM_SIZE - addr;
}

/* The 'g' layout is little-endian; one load or store each (the machine's
 * run loop calls these per instruction). */
uint32_t fake_reg32(const struct fake_target *f, unsigned regno)
{
	uint32_t v;

	memcpy(&v, f->regs + gdb_arch_i8086.regs[regno].offset, sizeof(v));
	return le32toh(v);
}

void fake_set_reg32(struct fake_target *f, unsigned regno, uint32_t v)
{
	v = htole32(v);
	memcpy(f->regs + gdb_arch_i8086.regs[regno].offset, &v, sizeof(v));
}

static void make_stop_ready(struct fake_target *f, struct gdb_stop stop)
{
	contract(f, !f->stop_ready, "a second stop before the first was collected");
	f->stop = stop;
	f->stop_ready = true;
}

/* ---- the toy machine ---- */

/* The demo program loaded at FAKE_LOAD_ADDR (addresses in the comments). */
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

enum access { ACC_NONE, ACC_READ, ACC_WRITE };

/* A watchpoint covering [addr, addr + 1) for this access, or NULL. */
static const struct fake_bp *watch_hit(const struct fake_target *f, enum access acc,
				       uint64_t addr)
{
	for (unsigned i = 0; i < f->nbps; i++) {
		const struct fake_bp *b = &f->bps[i];
		bool kind = b->type == GDB_WP_ACCESS ||
			    (b->type == GDB_WP_WRITE && acc == ACC_WRITE) ||
			    (b->type == GDB_WP_READ && acc == ACC_READ);

		if (kind && addr >= b->addr && addr - b->addr < b->len)
			return b;
	}
	return NULL;
}

static const struct fake_bp *break_hit(const struct fake_target *f, uint64_t pc)
{
	for (unsigned i = 0; i < f->nbps; i++)
		if ((f->bps[i].type == GDB_BP_SW || f->bps[i].type == GDB_BP_HW) &&
		    f->bps[i].addr == pc)
			return &f->bps[i];
	return NULL;
}

/* Remember the state before an instruction that changes it (wr: the byte
 * it writes, or -1). */
static void history_push(struct fake_target *f, int32_t wr)
{
	struct fake_undo *u;

	if (f->record_off)
		return;
	f->hist_top = (f->hist_top + 1) % FAKE_HISTORY;
	if (f->hist_len < FAKE_HISTORY)
		f->hist_len++;
	u = &f->hist[f->hist_top];
	memcpy(u->regs, f->regs, sizeof(u->regs));
	u->addr = wr;
	u->old = wr >= 0 ? f->ram[wr] : 0;
}

/*
 * Execute one instruction.  Returns true with *stop filled when it stops
 * the machine by itself (hlt, int3, ud2, a fault, a watchpoint).
 */
static bool exec_one(struct fake_target *f, struct gdb_stop *stop)
{
	uint32_t pc = fake_reg32(f, GDB_REG_EIP), ax = fake_reg32(f, GDB_REG_EAX);
	uint32_t cx = fake_reg32(f, GDB_REG_ECX);
	enum access acc = ACC_NONE;
	uint16_t mem = 0;
	uint8_t op;

#define AT(i) f->ram[(pc + (i)) & (FAKE_RAM_SIZE - 1)]
	if (pc >= FAKE_RAM_SIZE) {
		*stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGSEGV,
					   .fatal = true, .exit_code = 10 };
		return true;
	}
	op = AT(0);
	if (op != 0xf4 && !(op == 0x0f && AT(1) == 0x0b))
		history_push(f, op == 0xa2 ? (int32_t)(AT(1) | AT(2) << 8) : -1);
	switch (op) {
	case 0xf4:
		*stop = (struct gdb_stop){ .kind = GDB_STOP_EXITED, .exit_code = ax & 0xff };
		return true;
	case 0xcc:
		fake_set_reg32(f, GDB_REG_EIP, pc + 1);
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
		fake_set_reg32(f, GDB_REG_ECX, cx);
		pc += 2 + ((cx & 0xffff) ? (uint32_t)(int32_t)(int8_t)AT(1) : 0);
		break;
	case 0xb0:
		fake_set_reg32(f, GDB_REG_EAX, (ax & ~0xffu) | AT(1));
		pc += 2;
		break;
	case 0xb1:
		fake_set_reg32(f, GDB_REG_ECX, (cx & ~0xffu) | AT(1));
		pc += 2;
		break;
	case 0xa0:
		mem = (uint16_t)(AT(1) | AT(2) << 8);
		fake_set_reg32(f, GDB_REG_EAX, (ax & ~0xffu) | f->ram[mem]);
		acc = ACC_READ;
		pc += 3;
		break;
	case 0xa2:
		mem = (uint16_t)(AT(1) | AT(2) << 8);
		f->ram[mem] = (uint8_t)ax;
		acc = ACC_WRITE;
		pc += 3;
		break;
	case 0x40:
	case 0x48:
		fake_set_reg32(f, GDB_REG_EAX,
			       (ax & 0xffff0000) | ((ax + (op == 0x40 ? 1 : -1)) & 0xffff));
		pc += 1;
		break;
	default:
		pc += 1;
		break;
	}
#undef AT
	fake_set_reg32(f, GDB_REG_EIP, pc);
	if (acc != ACC_NONE) {
		const struct fake_bp *w = watch_hit(f, acc, mem);

		if (w) {
			*stop = (struct gdb_stop){ .kind = GDB_STOP_WATCH, .signal = GDB_SIGTRAP,
						   .watch_type = w->type, .watch_addr = mem };
			return true;
		}
	}
	return false;
}

/* resume() of the machine: a step, or a continue within the budget. */
static void machine_resume(struct fake_target *f, enum gdb_resume_mode mode)
{
	struct gdb_stop stop = { .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };

	if (mode == GDB_RESUME_STEP) {
		exec_one(f, &stop);
		make_stop_ready(f, stop);
		return;
	}
	/* Like x86's RF: the first instruction does not hit its own breakpoint. */
	for (unsigned n = 0; n < FAKE_RUN_BUDGET; n++) {
		uint32_t pc = fake_reg32(f, GDB_REG_EIP);
		const struct fake_bp *b;

		if (n && f->nbps && (b = break_hit(f, pc))) {
			stop.kind = b->type == GDB_BP_SW ? GDB_STOP_SWBREAK : GDB_STOP_HWBREAK;
			make_stop_ready(f, stop);
			return;
		}
		/* "jmp $" with no breakpoint on it spins for ever. */
		if (n && pc < FAKE_RAM_SIZE - 1 && f->ram[pc] == 0xeb && f->ram[pc + 1] == 0xfe)
			return;
		if (exec_one(f, &stop)) {
			make_stop_ready(f, stop);
			return;
		}
	}
	/* still running: only interrupt() stops it */
}

/*
 * Undo the newest instruction of the history.  Returns true with *stop
 * filled when going back must stop there: the history is empty, or
 * (continuing) the state reached is at a breakpoint or just before a write
 * to a watched byte.
 */
static bool undo_one(struct fake_target *f, bool step, struct gdb_stop *stop)
{
	const struct fake_undo *u;
	const struct fake_bp *b;

	if (!f->hist_len) {
		*stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP,
					   .history = GDB_HISTORY_BEGIN };
		return true;
	}
	u = &f->hist[f->hist_top];
	memcpy(f->regs, u->regs, sizeof(f->regs));
	if (u->addr >= 0)
		f->ram[u->addr] = u->old;
	f->hist_top = (f->hist_top + FAKE_HISTORY - 1) % FAKE_HISTORY;
	f->hist_len--;
	*stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	if (step)
		return true;
	if (u->addr >= 0 && (b = watch_hit(f, ACC_WRITE, (uint64_t)u->addr))) {
		*stop = (struct gdb_stop){ .kind = GDB_STOP_WATCH, .signal = GDB_SIGTRAP,
					   .watch_type = b->type,
					   .watch_addr = (uint64_t)u->addr };
		return true;
	}
	if ((b = break_hit(f, fake_reg32(f, GDB_REG_EIP)))) {
		stop->kind = b->type == GDB_BP_SW ? GDB_STOP_SWBREAK : GDB_STOP_HWBREAK;
		return true;
	}
	return false;
}

/* reverse() of the machine: the whole way at once (the history is short). */
static void machine_reverse(struct fake_target *f, enum gdb_resume_mode mode)
{
	struct gdb_stop stop;

	while (!undo_one(f, mode == GDB_RESUME_STEP, &stop))
		;
	make_stop_ready(f, stop);
}

void fake_machine_reset(struct fake_target *f)
{
	f->hist_len = 0;
	f->record_off = false;
	memset(f->regs, 0, sizeof(f->regs));
	memset(f->ram, 0, sizeof(f->ram));
	memcpy(f->ram + FAKE_LOAD_ADDR, demo, sizeof(demo));
	memcpy(f->ram + 0x2010, "toy machine", 11);
	fake_set_reg32(f, GDB_REG_EIP, FAKE_LOAD_ADDR);
	fake_set_reg32(f, GDB_REG_ESP, 0xfffe);
	fake_set_reg32(f, GDB_REG_EFLAGS, 2);
	f->nbps = 0;
	f->ncalls = 0;
	f->order[0] = '\0';
	f->faulty = false;
	f->running = false;
	f->interrupted = false;
	f->stop_ready = false;
	f->stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
}

/* ---- the operations ---- */

static const struct gdb_arch *op_arch(void *t)
{
	struct fake_target *f = t;

	f->arch_calls++;
	return f->arch;
}

/* The stub asks for the layout of the view it last reported, which is the
 * CPU's: a stop in another mode is reported as a switch before any
 * register is read. */
static void layout_matches(struct fake_target *f, const struct gdb_arch *arch, const char *op)
{
	contract(f, arch == f->arch, "%s in the %s layout while the CPU is in %s", op,
		 arch ? arch->name : "(null)", f->arch->name);
}

static int op_read_registers(void *t, const struct gdb_arch *arch, uint8_t *buf)
{
	struct fake_target *f = t;

	stopped_only(f, "read_registers");
	layout_matches(f, arch, "read_registers");
	f->read_regs_calls++;
	if (f->read_regs_err)
		return f->read_regs_err;
	if (f->faulty)
		return -EIO;
	memcpy(buf, f->regs, arch->size);
	return 0;
}

static int op_write_registers(void *t, const struct gdb_arch *arch, const uint8_t *buf)
{
	struct fake_target *f = t;

	stopped_only(f, "write_registers");
	layout_matches(f, arch, "write_registers");
	f->write_regs_calls++;
	if (f->faulty)
		return -EIO;
	memcpy(f->regs, buf, arch->size);
	return 0;
}

static int op_write_register(void *t, const struct gdb_arch *arch, unsigned regno,
			     const uint8_t *val)
{
	struct fake_target *f = t;

	stopped_only(f, "write_register");
	layout_matches(f, arch, "write_register");
	f->write_reg_calls++;
	f->last_write_regno = regno;
	contract(f, regno < arch->num_regs, "write_register %u", regno);
	if (regno >= arch->num_regs)
		return -EINVAL;
	if (f->faulty)
		return -EIO;
	memcpy(f->regs + arch->regs[regno].offset, val, arch->regs[regno].size);
	return 0;
}

static int op_read_memory(void *t, uint64_t addr, uint8_t *buf, size_t len)
{
	struct fake_target *f = t;

	stopped_only(f, "read_memory");
	f->read_mem_calls++;
	/* The reply holds two hex digits per byte. */
	contract(f, len <= GDB_PACKET_MAX / 2, "read_memory of %zu bytes", len);
	no_wrap(f, addr, len, "read_memory");
	if (!in_ram(addr, len))
		return -EFAULT;
	memcpy(buf, f->ram + addr, len);
	return 0;
}

static int op_write_memory(void *t, uint64_t addr, const uint8_t *buf, size_t len)
{
	struct fake_target *f = t;

	stopped_only(f, "write_memory");
	f->write_mem_calls++;
	contract(f, len <= GDB_PACKET_MAX, "write_memory of %zu bytes", len);
	no_wrap(f, addr, len, "write_memory");
	if (!in_ram(addr, len))
		return -EFAULT;
	memcpy(f->ram + addr, buf, len);
	return 0;
}

static void record_bp(struct fake_target *f, bool insert, enum gdb_bp_type type, uint64_t addr,
		      uint64_t len, int result)
{
	if (f->ncalls < FAKE_MAX_CALLS)
		f->calls[f->ncalls++] = (struct fake_bp_call){ insert, type, addr, len, result };
}

static void check_bp_args(struct fake_target *f, enum gdb_bp_type type, uint64_t addr,
			  uint64_t len, const char *op)
{
	contract(f, (unsigned)type <= GDB_WP_ACCESS, "%s type %u", op, (unsigned)type);
	contract(f, len >= 1 && len <= 0x10000, "%s kind %#llx", op, (unsigned long long)len);
	no_wrap(f, addr, len, op);
}

static bool uses_debug_reg(enum gdb_bp_type type)
{
	return type == GDB_BP_HW || type == GDB_WP_READ || type == GDB_WP_ACCESS;
}

static int insert_bp(struct fake_target *f, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	unsigned hw = 0;

	if ((unsigned)type > GDB_WP_ACCESS)
		return -EINVAL;
	if (type == GDB_WP_READ || type == GDB_WP_ACCESS) {
		/* Debug registers: 1, 2, 4 or 8 bytes, aligned, like x86's. */
		if (f->no_rw_watch || (len & (len - 1)) || len > 8 || addr % len)
			return -EOPNOTSUPP;
	}
	for (unsigned i = 0; i < f->nbps; i++)
		hw += uses_debug_reg(f->bps[i].type);
	if ((uses_debug_reg(type) && hw >= FAKE_MAX_HW) || f->nbps >= FAKE_MAX_BPS)
		return -ENOSPC;
	f->bps[f->nbps++] = (struct fake_bp){ type, addr, len };
	return 0;
}

static int op_insert_breakpoint(void *t, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	struct fake_target *f = t;
	int err;

	stopped_only(f, "insert_breakpoint");
	check_bp_args(f, type, addr, len, "insert_breakpoint");
	err = insert_bp(f, type, addr, len);
	record_bp(f, true, type, addr, len, err);
	return err;
}

static int op_remove_breakpoint(void *t, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	struct fake_target *f = t;
	int err = -ENOENT;

	stopped_only(f, "remove_breakpoint");
	check_bp_args(f, type, addr, len, "remove_breakpoint");
	for (unsigned i = 0; i < f->nbps; i++) {
		if (f->bps[i].type == type && f->bps[i].addr == addr && f->bps[i].len == len) {
			f->bps[i] = f->bps[--f->nbps];
			err = 0;
			break;
		}
	}
	record_bp(f, false, type, addr, len, err);
	return err;
}

static void op_remove_all_breakpoints(void *t)
{
	struct fake_target *f = t;

	stopped_only(f, "remove_all_breakpoints");
	f->remove_all_calls++;
	f->nbps = 0;
	log_call(f, 'A');
	event(f, 'R');
}

static int op_set_pc(void *t, uint64_t addr)
{
	struct fake_target *f = t;

	stopped_only(f, "set_pc");
	f->set_pc_calls++;
	f->last_pc = addr;
	log_call(f, 'P');
	if (addr > 0xffffffffULL)
		return -ERANGE;
	fake_set_reg32(f, GDB_REG_EIP, (uint32_t)addr);
	return 0;
}

static int op_resume(void *t, enum gdb_resume_mode mode)
{
	struct fake_target *f = t;

	stopped_only(f, "resume");
	contract(f, !f->stop_ready, "resume with a stop not collected");
	contract(f, mode == GDB_RESUME_STEP || mode == GDB_RESUME_CONTINUE, "resume mode %d",
		 (int)mode);
	f->resume_calls++;
	f->last_mode = mode;
	if (f->faulty)
		return -EIO;
	f->running = true;
	f->interrupted = false;
	log_call(f, 'R');
	if (f->machine)
		machine_resume(f, mode);
	return 0;
}

static int op_reverse(void *t, enum gdb_resume_mode mode, char *why, size_t why_len)
{
	struct fake_target *f = t;

	stopped_only(f, "reverse");
	contract(f, !f->stop_ready, "reverse with a stop not collected");
	contract(f, mode == GDB_RESUME_STEP || mode == GDB_RESUME_CONTINUE, "reverse mode %d",
		 (int)mode);
	contract(f, why && why_len > 0, "reverse without room for a reason");
	f->reverse_calls++;
	f->last_reverse_mode = mode;
	log_call(f, 'B');
	if (f->machine && f->record_off) {
		snprintf(why, why_len, "fake: recording is off: use \"monitor record on\"");
		return -ENODATA;
	}
	if (!f->machine && f->reverse_err) {
		if (f->reverse_why)
			snprintf(why, why_len, "%s", f->reverse_why);
		return f->reverse_err;
	}
	f->running = true;
	f->interrupted = false;
	if (f->machine)
		machine_reverse(f, mode);
	return 0;
}

static int op_run(void *t, struct gdb_stop *stop)
{
	struct fake_target *f = t;

	f->run_calls++;
	contract(f, f->running, "run while stopped");
	if (!f->running)
		return -EINVAL;
	if (f->machine) {
		if (!f->stop_ready) {
			if (f->nap)
				poll(NULL, 0, 10);
			return -EINTR;	/* still running, as a signal would leave it */
		}
		f->stop_ready = false;
	} else if (f->hold_until_interrupt && !f->interrupted) {
		poll(NULL, 0, 20);	/* a signal ends it early */
		return -EINTR;
	}
	log_call(f, 'W');
	f->running = false;
	if (!f->machine && f->interrupted)
		*stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGINT };
	else
		*stop = f->stop;
	return 0;
}

static void op_interrupt(void *t)
{
	struct fake_target *f = t;

	f->interrupt_calls++;
	log_call(f, 'I');
	if (f->running)
		f->interrupted = true;
	if (f->machine && f->running && !f->stop_ready)
		make_stop_ready(f, (struct gdb_stop){ .kind = GDB_STOP_SIGNAL,
						      .signal = GDB_SIGINT });
	event(f, 'I');
}

static int monitor_block(struct fake_target *f)
{
	struct pollfd pfd = { .fd = f->gate_r, .events = POLLIN };
	char b;

	event(f, 'B');
	if (poll(&pfd, 1, 5000) == 1 && read(f->gate_r, &b, 1) == 1)
		return 0;
	return -ETIMEDOUT;
}

static int op_monitor(void *t, const char *cmd, void (*out)(void *ctx, const char *text),
		      void *ctx)
{
	struct fake_target *f = t;
	char line[128];

	stopped_only(f, "monitor");
	f->monitor_calls++;
	snprintf(f->last_monitor, sizeof(f->last_monitor), "%s", cmd);
	if (strcmp(cmd, "help") == 0) {
		out(ctx, f->machine ? "fake: help regs long fail faulty reset record quit\n"
				    : "fake: help regs long fail faulty reset record quit block\n");
		return 0;
	}
	if (strcmp(cmd, "regs") == 0) {
		snprintf(line, sizeof(line), "eax=%08x ecx=%08x eip=%08x\n",
			 fake_reg32(f, GDB_REG_EAX), fake_reg32(f, GDB_REG_ECX),
			 fake_reg32(f, GDB_REG_EIP));
		out(ctx, line);
		return 0;
	}
	if (strcmp(cmd, "long") == 0) {	/* pieces longer than one 'O' packet holds */
		char piece[1501];

		for (char c = 'a'; c <= 'c'; c++) {
			memset(piece, c, 1499);
			piece[1499] = '\n';
			piece[1500] = '\0';
			out(ctx, piece);
		}
		return 0;
	}
	if (strcmp(cmd, "fail") == 0)
		return -EIO;
	if (strcmp(cmd, "faulty") == 0) {
		f->faulty = !f->faulty;
		return 0;
	}
	if (strcmp(cmd, "reset") == 0) {
		fake_machine_reset(f);
		return 0;
	}
	if (strcmp(cmd, "record on") == 0 || strcmp(cmd, "record off") == 0) {
		f->record_off = cmd[8] == 'f';
		f->hist_len = 0;
		return 0;
	}
	if (strcmp(cmd, "quit") == 0)
		return GDB_MONITOR_QUIT;
	if (strcmp(cmd, "block") == 0 && !f->machine)
		return monitor_block(f);
	return -ENOENT;
}

static const char *op_exec_file(void *t)
{
	return ((struct fake_target *)t)->exec_file;
}

const struct gdb_target_ops fake_ops = {
	.arch = op_arch,
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
	.reverse = op_reverse,
};

/* ---- setup and the tests' helpers ---- */

static int make_pipe(int *r, int *w)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	*r = p[0];
	*w = p[1];
	return 0;
}

struct fake_target *fake_new(void)
{
	struct fake_target *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->event_r = f->event_w = f->gate_r = f->gate_w = -1;
	if (make_pipe(&f->event_r, &f->event_w) || make_pipe(&f->gate_r, &f->gate_w)) {
		fake_free(f);
		return NULL;
	}
	f->stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
	f->arch = &gdb_arch_i8086;
	return f;
}

void fake_free(struct fake_target *f)
{
	int *fds[4];

	if (!f)
		return;
	fds[0] = &f->event_r;
	fds[1] = &f->event_w;
	fds[2] = &f->gate_r;
	fds[3] = &f->gate_w;
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
	free(f);
}

void fake_settle(struct fake_target *f)
{
	f->running = false;
	f->interrupted = false;
	f->stop_ready = false;
}

bool fake_wait_event(struct fake_target *f, char ev, int timeout_ms)
{
	struct pollfd pfd = { .fd = f->event_r, .events = POLLIN };
	char b;

	for (;;) {
		while (read(f->event_r, &b, 1) == 1)
			if (b == ev)
				return true;
		if (poll(&pfd, 1, timeout_ms) != 1)
			return false;
	}
}

void fake_open_gate(struct fake_target *f)
{
	char b = 'g';

	if (write(f->gate_w, &b, 1) != 1) {
		/* the monitor then times out and the test fails */
	}
}
