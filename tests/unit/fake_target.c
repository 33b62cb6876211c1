/* fake_target.c - the fake gdb target for the gdbstub tests (see fake_target.h). */
#include "fake_target.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void log_call(struct fake_target *f, char c)
{
	size_t n = strlen(f->order);

	if (n + 1 < sizeof(f->order)) {
		f->order[n] = c;
		f->order[n + 1] = '\0';
	}
}

/* Every op but interrupt() must come while the target is stopped. */
static void stopped_only(struct fake_target *f, const char *op)
{
	if (!f->running)
		return;
	if (!f->violations)
		snprintf(f->violation, sizeof(f->violation), "%s", op);
	f->violations++;
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

static int op_read_registers(void *t, uint8_t *buf)
{
	struct fake_target *f = t;

	stopped_only(f, "read_registers");
	f->read_regs_calls++;
	if (f->read_regs_err)
		return f->read_regs_err;
	memcpy(buf, f->regs, GDB_REGS_SIZE);
	return 0;
}

static int op_write_registers(void *t, const uint8_t *buf)
{
	struct fake_target *f = t;

	stopped_only(f, "write_registers");
	f->write_regs_calls++;
	memcpy(f->regs, buf, GDB_REGS_SIZE);
	return 0;
}

static int op_write_register(void *t, unsigned regno, const uint8_t *val)
{
	struct fake_target *f = t;

	stopped_only(f, "write_register");
	f->write_reg_calls++;
	f->last_write_regno = regno;
	if (regno >= GDB_NUM_REGS)
		return -EINVAL;
	memcpy(f->regs + gdb_regs[regno].offset, val, gdb_regs[regno].size);
	return 0;
}

static int op_read_memory(void *t, uint64_t addr, uint8_t *buf, size_t len)
{
	struct fake_target *f = t;

	stopped_only(f, "read_memory");
	f->read_mem_calls++;
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

static unsigned hw_in_use(const struct fake_target *f)
{
	unsigned n = 0;

	for (unsigned i = 0; i < f->nbps; i++)
		n += f->bps[i].type != GDB_BP_SW;
	return n;
}

static int insert_bp(struct fake_target *f, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	if ((unsigned)type > GDB_WP_ACCESS)
		return -EINVAL;
	if ((type == GDB_WP_READ || type == GDB_WP_ACCESS) && f->no_rw_watch)
		return -EOPNOTSUPP;
	if (type != GDB_BP_SW && hw_in_use(f) >= FAKE_MAX_HW)
		return -ENOSPC;
	if (f->nbps >= FAKE_MAX_BPS)
		return -ENOSPC;
	f->bps[f->nbps++] = (struct fake_bp){ type, addr, len };
	return 0;
}

static int op_insert_breakpoint(void *t, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	struct fake_target *f = t;
	int err;

	stopped_only(f, "insert_breakpoint");
	err = insert_bp(f, type, addr, len);
	record_bp(f, true, type, addr, len, err);
	return err;
}

static int op_remove_breakpoint(void *t, enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
	struct fake_target *f = t;
	int err = -ENOENT;

	stopped_only(f, "remove_breakpoint");
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
	f->resume_calls++;
	f->last_mode = mode;
	f->running = true;
	f->interrupted = false;
	log_call(f, 'R');
	return 0;
}

static int op_run(void *t, struct gdb_stop *stop)
{
	struct fake_target *f = t;

	f->run_calls++;
	if (!f->running) {
		if (!f->violations)
			snprintf(f->violation, sizeof(f->violation), "run while stopped");
		f->violations++;
		return -EINVAL;
	}
	if (f->hold_until_interrupt && !f->interrupted) {
		poll(NULL, 0, 20);	/* a signal ends it early */
		return -EINTR;
	}
	log_call(f, 'W');
	f->running = false;
	*stop = f->interrupted ? (struct gdb_stop){ .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGINT }
			       : f->stop;
	return 0;
}

static void op_interrupt(void *t)
{
	struct fake_target *f = t;

	f->interrupt_calls++;
	log_call(f, 'I');
	if (f->running)
		f->interrupted = true;
	event(f, 'I');
}

static int op_monitor(void *t, const char *cmd, void (*out)(void *ctx, const char *text),
		      void *ctx)
{
	struct fake_target *f = t;

	stopped_only(f, "monitor");
	f->monitor_calls++;
	snprintf(f->last_monitor, sizeof(f->last_monitor), "%s", cmd);
	if (strcmp(cmd, "help") == 0) {
		out(ctx, "fake: help quit block\n");
		return 0;
	}
	if (strcmp(cmd, "long") == 0) {	/* 1500 bytes in three calls */
		char line[501];

		for (char c = 'a'; c < 'd'; c++) {
			memset(line, c, 500);
			line[500] = '\0';
			out(ctx, line);
		}
		return 0;
	}
	if (strcmp(cmd, "quit") == 0)
		return GDB_MONITOR_QUIT;
	if (strcmp(cmd, "block") == 0) {
		struct pollfd pfd = { .fd = f->gate_r, .events = POLLIN };
		char b;

		event(f, 'B');
		if (poll(&pfd, 1, 5000) == 1 && read(f->gate_r, &b, 1) == 1)
			return 0;
		return -ETIMEDOUT;
	}
	return -ENOENT;
}

static const char *op_exec_file(void *t)
{
	return ((struct fake_target *)t)->exec_file;
}

const struct gdb_target_ops fake_ops = {
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
	return f;
}

void fake_free(struct fake_target *f)
{
	int *fds[] = { &f->event_r, &f->event_w, &f->gate_r, &f->gate_w };

	if (!f)
		return;
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
	free(f);
}

void fake_settle(struct fake_target *f)
{
	f->running = false;
	f->interrupted = false;
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

void fake_set_reg32(struct fake_target *f, unsigned regno, uint32_t v)
{
	uint8_t *p = f->regs + gdb_regs[regno].offset;

	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

uint32_t fake_reg32(const struct fake_target *f, unsigned regno)
{
	const uint8_t *p = f->regs + gdb_regs[regno].offset;

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
