/*
 * ceiling.c - gdb's own ceiling for the benchmark: a gdb stub with no VM
 * behind it, so the rates gdb reaches against it (stepi, breakpoint hits,
 * memory dump and restore, attach) are the most any stub could give gdb on
 * this machine, and gdbvm's rates are reported as a fraction of them
 * (bench/bench.py, docs/performance.md).
 *
 *   ceiling [-m SIZE] GUEST.bin
 *
 * It serves gdb with the project's own stub (gdbstub/, the same objects
 * gdbvm links), so the packets, replies, target description, qSupported
 * features and stop replies are gdbvm's, byte for byte (bench.py checks
 * that on a recorded session before measuring).  Behind the stub is a
 * zero-work target: guest RAM is a plain buffer (SIZE bytes, default 1M,
 * as gdbvm's -m) with GUEST.bin at 0x1000, and a fake CPU that starts in
 * gdbvm's reset state at 0000:1000 and executes the four instructions of
 * bench/guests/loop.asm (xor cx,cx; inc cx; nop; jmp short), with the
 * flags they set, so pc advances, CX counts and breakpoints stop where they
 * do under gdbvm.  Any other instruction stops with SIGILL.
 *
 * Listens on 127.0.0.1 (a free port), frozen until gdb connects, and says
 * "ceiling: waiting for gdb on 127.0.0.1:PORT" on stderr.  Like gdbvm, it
 * takes SIGIO from the stub's sockets while the "guest" runs; a continue
 * that meets no breakpoint within FREE_RUN_LIMIT instructions then waits,
 * as a spinning guest would, until gdb sends something (Ctrl-C stops it).
 * Exit status: 0 when gdb killed the target or SIGINT/SIGTERM ended the
 * session, 1 on a bad command line or guest file, 2 when a set-up step or
 * the stub failed.
 */
#define _GNU_SOURCE
#include "gdbstub.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define LOAD_ADDR 0x1000u
#define MAX_BPS 64
#define EFLAGS_RESERVED 0x2u	/* bit 1 always reads as 1 */
#define FL_CF 0x1u
#define FL_PF 0x4u
#define FL_AF 0x10u
#define FL_ZF 0x40u
#define FL_SF 0x80u
#define FL_OF 0x800u

/* The only view the ceiling serves (gdbvm's, in real mode). */
#define I8086 gdb_arch_i8086

struct bp {
	enum gdb_bp_type type;
	uint64_t addr;
};

struct ceiling {
	uint8_t regs[GDB_REGS_MAX];	/* the 'g' layout of i8086, as gdbvm reports it */
	uint8_t *ram;
	size_t ram_size;
	struct bp bps[MAX_BPS];
	unsigned nbps;
	enum gdb_resume_mode mode;
	bool interrupted;
};

static volatile sig_atomic_t kicked;	/* SIGIO: the sockets have something */
static volatile sig_atomic_t quit_sig;

static void on_async(int sig)
{
	(void)sig;
	kicked = 1;
}

static void on_quit(int sig)
{
	quit_sig = sig;
	kicked = 1;
}

static bool should_quit(void)
{
	return quit_sig != 0;
}

static void on_listen(void *ctx, const char *host, unsigned port)
{
	(void)ctx;
	fprintf(stderr, "ceiling: waiting for gdb on %s:%u\n", host, port);
	fflush(stderr);
}

/* ---- registers ---- */

static uint32_t get32(const struct ceiling *c, unsigned regno)
{
	uint32_t v;

	memcpy(&v, c->regs + I8086.regs[regno].offset, 4);
	return v;
}

static void put32(struct ceiling *c, unsigned regno, uint32_t v)
{
	memcpy(c->regs + I8086.regs[regno].offset, &v, 4);
}

/* gdbvm's state at the start of a flat binary: all zero but eip, the
 * reserved flag, and the x87 reset values (control 0x37f, all tags empty). */
static void reset_cpu(struct ceiling *c)
{
	memset(c->regs, 0, sizeof(c->regs));
	put32(c, GDB_REG_EIP, LOAD_ADDR);
	put32(c, GDB_REG_EFLAGS, EFLAGS_RESERVED);
	put32(c, GDB_REG_FCTRL, 0x37f);
	put32(c, GDB_REG_FTAG, 0xffff);
}

/* A register as gdbvm takes it: eflags keeps its reserved bit, segments
 * are 16-bit selectors, the linear pc must be reachable from CS = 0. */
static int set_reg(struct ceiling *c, unsigned regno, const uint8_t *val)
{
	uint32_t v = 0;

	if (I8086.regs[regno].size != 4) {
		memcpy(c->regs + I8086.regs[regno].offset, val, I8086.regs[regno].size);
		return 0;
	}
	memcpy(&v, val, 4);
	if (regno == GDB_REG_EFLAGS)
		v |= EFLAGS_RESERVED;
	if (regno >= GDB_REG_CS && regno <= GDB_REG_GS && v > 0xffff)
		return -ERANGE;
	if (regno == GDB_REG_EIP && v - 16 * get32(c, GDB_REG_CS) > 0xffff)
		return -ERANGE;
	if (regno == GDB_REG_FISEG || regno == GDB_REG_FOSEG)
		return 0;	/* KVM keeps no such fields: they read as 0 */
	if (regno == GDB_REG_CS)	/* real mode: IP stays, the base moves */
		put32(c, GDB_REG_EIP, get32(c, GDB_REG_EIP) - 16 * get32(c, GDB_REG_CS) + 16 * v);
	if (regno == GDB_REG_FCTRL || regno == GDB_REG_FSTAT || regno == GDB_REG_FOP)
		v &= 0xffff;
	put32(c, regno, v);
	return 0;
}

static int op_read_registers(void *t, const struct gdb_arch *arch, uint8_t *buf)
{
	struct ceiling *c = t;

	(void)arch;	/* always i8086: no get_arch */
	memcpy(buf, c->regs, I8086.size);
	return 0;
}

static int op_write_register(void *t, const struct gdb_arch *arch, unsigned regno,
			     const uint8_t *val)
{
	(void)arch;
	if (regno >= I8086.num_regs)
		return -ENOENT;
	return set_reg(t, regno, val);
}

static int op_write_registers(void *t, const struct gdb_arch *arch, const uint8_t *buf)
{
	struct ceiling *c = t;
	uint8_t old[GDB_REGS_MAX];
	int err = 0;

	memcpy(old, c->regs, sizeof(old));
	for (unsigned r = GDB_REG_CS; !err && r <= GDB_REG_GS; r++)
		err = set_reg(c, r, buf + I8086.regs[r].offset);
	(void)arch;
	for (unsigned r = 0; !err && r < I8086.num_regs; r++)
		if (r < GDB_REG_CS || r > GDB_REG_GS)
			err = set_reg(c, r, buf + I8086.regs[r].offset);
	if (err)
		memcpy(c->regs, old, sizeof(old));
	return err;
}

static int op_set_pc(void *t, uint64_t addr)
{
	uint32_t v = (uint32_t)addr;

	if (addr > 0xffffffffULL)
		return -ERANGE;
	return set_reg(t, GDB_REG_EIP, (const uint8_t *)&v);
}

/* ---- memory ---- */

static bool in_ram(const struct ceiling *c, uint64_t addr, size_t len)
{
	return addr <= c->ram_size && len <= c->ram_size - addr;
}

static int op_read_memory(void *t, uint64_t addr, uint8_t *buf, size_t len)
{
	struct ceiling *c = t;

	if (!in_ram(c, addr, len))
		return -EFAULT;
	memcpy(buf, c->ram + addr, len);
	return 0;
}

static int op_write_memory(void *t, uint64_t addr, const uint8_t *buf, size_t len)
{
	struct ceiling *c = t;

	if (!in_ram(c, addr, len))
		return -EFAULT;
	memcpy(c->ram + addr, buf, len);
	return 0;
}

/* ---- breakpoints: execution breakpoints only, like a planted HLT or a
 * debug register, never written into RAM ---- */

static int op_insert_breakpoint(void *t, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	struct ceiling *c = t;

	(void)len;
	if (type != GDB_BP_SW && type != GDB_BP_HW)
		return -EOPNOTSUPP;
	for (unsigned i = 0; i < c->nbps; i++)
		if (c->bps[i].type == type && c->bps[i].addr == addr)
			return 0;
	if (c->nbps == MAX_BPS)
		return -ENOSPC;
	c->bps[c->nbps++] = (struct bp){ type, addr };
	return 0;
}

static int op_remove_breakpoint(void *t, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	struct ceiling *c = t;

	(void)len;
	for (unsigned i = 0; i < c->nbps; i++)
		if (c->bps[i].type == type && c->bps[i].addr == addr) {
			c->bps[i] = c->bps[--c->nbps];
			return 0;
		}
	return 0;
}

static void op_remove_all_breakpoints(void *t)
{
	((struct ceiling *)t)->nbps = 0;
}

static const struct bp *bp_at(const struct ceiling *c, uint64_t pc)
{
	for (unsigned i = 0; i < c->nbps; i++)
		if (c->bps[i].addr == pc)
			return &c->bps[i];
	return NULL;
}

/* ---- the fake CPU ---- */

static uint32_t parity_flag(uint8_t v)
{
	return __builtin_parity(v) ? 0 : FL_PF;
}

/* Execute the instruction at pc; false (with *stop) when it is not one of
 * the loop's. */
static bool step_one(struct ceiling *c, struct gdb_stop *stop)
{
	uint32_t base = 16 * get32(c, GDB_REG_CS), pc = get32(c, GDB_REG_EIP);
	uint32_t ip = pc - base, ecx = get32(c, GDB_REG_ECX);
	uint32_t fl = get32(c, GDB_REG_EFLAGS);
	uint16_t cx;
	uint8_t op[2] = { 0, 0 };

	if (in_ram(c, pc, 2))
		memcpy(op, c->ram + pc, 2);
	switch (op[0]) {
	case 0x31:	/* xor cx, cx */
		if (op[1] != 0xc9)
			goto unknown;
		put32(c, GDB_REG_ECX, ecx & 0xffff0000u);
		fl &= ~(FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF);
		put32(c, GDB_REG_EFLAGS, fl | FL_PF | FL_ZF);
		ip += 2;
		break;
	case 0x41:	/* inc cx: every arithmetic flag but CF */
		cx = (uint16_t)(ecx + 1);
		put32(c, GDB_REG_ECX, (ecx & 0xffff0000u) | cx);
		fl &= ~(FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF);
		fl |= parity_flag((uint8_t)cx) | ((cx & 0xf) == 0 ? FL_AF : 0) |
		      (cx == 0 ? FL_ZF : 0) | (cx & 0x8000 ? FL_SF : 0) | (cx == 0x8000 ? FL_OF : 0);
		put32(c, GDB_REG_EFLAGS, fl);
		ip += 1;
		break;
	case 0x90:	/* nop */
		ip += 1;
		break;
	case 0xeb:	/* jmp short */
		ip += 2 + (uint32_t)(int32_t)(int8_t)op[1];
		break;
	default:
unknown:
		*stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGILL };
		return false;
	}
	put32(c, GDB_REG_EIP, base + (uint16_t)ip);
	return true;
}

static int op_resume(void *t, enum gdb_resume_mode mode)
{
	struct ceiling *c = t;

	c->mode = mode;
	c->interrupted = false;
	kicked = 0;
	return 0;
}

/* A continue that hits no breakpoint within this many instructions runs
 * the loop "forever": it waits for a signal like a vCPU in KVM_RUN. */
#define FREE_RUN_LIMIT 4096

static int wait_for_signal(void)
{
	sigset_t block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGIO);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, &old) < 0)
		return -errno;
	while (!kicked)
		sigsuspend(&old);
	if (sigprocmask(SIG_SETMASK, &old, NULL) < 0)
		return -errno;
	kicked = 0;
	return -EINTR;
}

static int op_run(void *t, struct gdb_stop *stop)
{
	struct ceiling *c = t;
	const struct bp *b;

	if (c->interrupted) {
		c->interrupted = false;
		*stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGINT };
		return 0;
	}
	if (c->mode == GDB_RESUME_STEP) {
		if (step_one(c, stop))
			*stop = (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP };
		return 0;
	}
	/* Continue: the breakpoint at the start pc does not fire (gdb steps
	 * over it first); one reached later does. */
	for (unsigned i = 0; i < FREE_RUN_LIMIT; i++) {
		if (!step_one(c, stop))
			return 0;
		b = bp_at(c, get32(c, GDB_REG_EIP));
		if (b) {
			*stop = (struct gdb_stop){ .kind = b->type == GDB_BP_SW ? GDB_STOP_SWBREAK
										: GDB_STOP_HWBREAK,
						   .signal = GDB_SIGTRAP };
			return 0;
		}
	}
	return wait_for_signal();
}

static void op_interrupt(void *t)
{
	((struct ceiling *)t)->interrupted = true;
}

static int op_monitor(void *t, const char *cmd, void (*out)(void *ctx, const char *text),
		      void *ctx)
{
	(void)t;
	(void)cmd;
	(void)out;
	(void)ctx;
	return -ENOENT;
}

static const struct gdb_target_ops ceiling_ops = {
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
};

/* ---- set-up ---- */

/* SIZE as gdbvm's -m takes it: a number of bytes with K, M or G. */
static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || s[0] == '-')
		return -1;
	switch (*end) {
	case 'K': v <<= 10; end++; break;
	case 'M': v <<= 20; end++; break;
	case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end || v < 1u << 20 || v > 1ull << 32)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int load_guest(struct ceiling *c, const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "ceiling: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(c->ram + LOAD_ADDR, 1, c->ram_size - LOAD_ADDR, f);
	if (ferror(f) || (n == c->ram_size - LOAD_ADDR && fgetc(f) != EOF)) {
		fprintf(stderr, "ceiling: cannot read '%s': %s\n", path,
			ferror(f) ? strerror(errno) : "larger than guest RAM");
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int install(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;	/* no SA_RESTART: poll() must see EINTR */
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv)
{
	static struct ceiling c;
	struct gdb_server_config cfg = {
		.host = "127.0.0.1",
		.port = "0",
		.start_stopped = true,
		.should_quit = should_quit,
		.async_signal = SIGIO,
		.on_listen = on_listen,
	};
	struct gdb_stub *stub;
	char err[256];
	enum gdb_end end;
	int code = 0, argi = 1;

	c.ram_size = 1u << 20;
	if (argc == 4 && !strcmp(argv[1], "-m")) {
		if (parse_size(argv[2], &c.ram_size)) {
			fprintf(stderr, "ceiling: invalid RAM size '%s'\n", argv[2]);
			return 1;
		}
		argi = 3;
	}
	if (argc != argi + 1) {
		fprintf(stderr, "usage: ceiling [-m SIZE] GUEST.bin\n");
		return 1;
	}
	c.ram = mmap(NULL, c.ram_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (c.ram == MAP_FAILED) {
		fprintf(stderr, "ceiling: cannot map guest RAM: %s\n", strerror(errno));
		return 2;
	}
	if (load_guest(&c, argv[argi]))
		return 1;
	reset_cpu(&c);
	if (install(SIGIO, on_async) || install(SIGINT, on_quit) || install(SIGTERM, on_quit)) {
		fprintf(stderr, "ceiling: cannot handle signals: %s\n", strerror(errno));
		return 2;
	}
	if (gdb_server_open(&stub, &cfg, &ceiling_ops, &c, err, sizeof(err)) < 0) {
		fprintf(stderr, "ceiling: %s\n", err);
		return 2;
	}
	end = gdb_server_run(stub, &code);
	gdb_server_close(stub);
	munmap(c.ram, c.ram_size);
	return end == GDB_END_ERROR ? 2 : 0;
}
