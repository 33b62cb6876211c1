/*
 * main.c - gdbvm's entry point: parse the command line, build the machine
 * in order (RAM, guest image, KVM, registers, devices, signals), run it,
 * tear it down in reverse and turn the way the guest stopped into the
 * process exit status (status.h).
 */
#include "boot.h"
#include "coverage.h"
#include "cpu.h"
#include "demo.h"
#include "entry.h"
#include "gdb_batch.h"
#include "gdb_target.h"
#include "loader.h"
#include "machine.h"
#include "multiboot_boot.h"
#include "options.h"
#include "record.h"
#include "record_bench.h"
#include "record_check.h"
#include "report.h"
#include "run.h"
#include "signals.h"
#include "status.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The demo's preset registers go first so the user's --reg can override. */
static int prepend_demo_regs(struct config *cfg)
{
	struct reg_assign merged[MAX_REG_ASSIGNS];
	unsigned n = 0;

	if (cfg->nregs + demo_nreg_init > MAX_REG_ASSIGNS)
		return -E2BIG;
	for (unsigned i = 0; i < demo_nreg_init; i++)
		if (reg_assign_parse(demo_reg_init[i], &merged[n++]) < 0)
			return -EINVAL;
	memcpy(&merged[n], cfg->regs, cfg->nregs * sizeof(cfg->regs[0]));
	cfg->nregs += demo_nreg_init;
	memcpy(cfg->regs, merged, cfg->nregs * sizeof(cfg->regs[0]));
	return 0;
}

/* Load GUEST; -l does not apply to an ELF file. */
static int load_guest_file_checked(struct machine *m, struct config *cfg,
				   struct guest_image *img)
{
	int err;

	err = load_guest_file(&m->mem, cfg->guest_path, cfg->load_addr, img, stderr);
	if (err || !img->is_elf)
		return err;
	cfg->guest_is_elf = true;
	cfg->guest_is_elf64 = img->is64;
	if (cfg->load_given) {
		fprintf(stderr, "gdbvm: --load does not apply to ELF guest '%s': its segments "
			"name their own physical addresses\n", cfg->guest_path);
		return -EINVAL;
	}
	return 0;
}

/* Load the guest: the boot sector, a GUEST file (*img), or the demo. */
static int load_guest(struct machine *m, struct config *cfg, struct guest_image *img)
{
	int err;

	if (cfg->boot_path)
		return boot_load(m, cfg, stderr);
	if (cfg->guest_path)
		return load_guest_file_checked(m, cfg, img);
	err = load_image(&m->mem, demo_code, demo_code_size, cfg->load_addr);
	if (err) {
		fprintf(stderr, "gdbvm: the built-in demo (%zu bytes) does not fit at load address "
			"0x%llx\n", demo_code_size, (unsigned long long)cfg->load_addr);
		return err;
	}
	err = prepend_demo_regs(cfg);
	if (err)
		fprintf(stderr, "gdbvm: too many --reg options for the demo\n");
	return err;
}

/* COM1 output stops waiting for a stalled reader once the vCPU is asked to
 * stop, or gdb has sent something (its interrupt, or a new gdb connects),
 * so SIGINT, SIGTERM, --timeout and gdb still work. */
static bool stop_requested(void *ctx)
{
	const struct machine *m = ctx;

	return signals_received() || m->interrupt_requested || signals_async_pending();
}

static void init_stream(struct machine *m, struct out_stream *s, int fd)
{
	outstream_init(s, fd);
	s->give_up = stop_requested;
	s->give_up_ctx = m;
}

/* stdout's stream, shared by COM1 and the debug console, and --debugcon's
 * file, opened (or refused) before any VM exists.  A FILE that is stdout
 * itself (/dev/stdout) shares stdout's stream, keeping the order. */
static int open_outputs(struct machine *m, const struct config *cfg)
{
	int fd;

	init_stream(m, &m->out_stdout, STDOUT_FILENO);
	if (!cfg->debugcon_path)
		return 0;
	fd = debugcon_open(cfg->debugcon_path, STDOUT_FILENO);
	if (fd < 0) {
		fprintf(stderr, "gdbvm: cannot open debug console file '%s': %s\n",
			cfg->debugcon_path,
			fd == -ENXIO ? "a FIFO that nobody reads" : strerror(-fd));
		return fd;
	}
	if (fd != STDOUT_FILENO)
		init_stream(m, &m->out_file, fd);
	return 0;
}

/* Flush the outputs and close --debugcon's file: 0, or -EIO when bytes
 * were lost (reported). */
static int close_outputs(struct machine *m)
{
	int err = 0;

	if (!outstream_finish(&m->out_stdout)) {
		fprintf(stderr, "gdbvm: some guest serial output could not be written\n");
		err = -EIO;
	}
	if (m->out_file.fd >= 0) {
		bool ok = outstream_finish(&m->out_file);

		if (close(m->out_file.fd) < 0)
			ok = false;
		m->out_file.fd = -1;
		if (!ok) {
			fprintf(stderr, "gdbvm: some debug console output could not be written\n");
			err = -EIO;
		}
	}
	return err;
}

/* The RTC and CMOS RAM, its fields describing this machine. */
/* A device's IRQ line (irq_line.h), wired to the PIC. */
static void pic_line_set(void *ctx, unsigned irq, bool high)
{
	pic_set_irq(ctx, irq, high);
}

static int register_cmos(struct machine *m)
{
	const struct disk *d = &m->bios.disk;
	struct cmos_machine mach = {
		.ram_bytes = m->mem.size,
		.base_kib = m->bios.enabled ? EBDA_BASE >> 10 : 640,
		.floppy_type = m->bios.enabled && d->floppy ?
			cmos_floppy_type(d->geo.cylinders, d->geo.heads, d->geo.sectors) : 0,
	};

	cmos_init(&m->cmos, cmos_host_clock, NULL);
	m->cmos.irq = (struct irq_line){ .set = pic_line_set, .ctx = &m->irq.pic, .irq = CMOS_IRQ };
	cmos_set_machine(&m->cmos, &mach);
	return pio_register(&m->pio, "cmos", CMOS_INDEX_PORT, CMOS_NPORTS, cmos_pio, &m->cmos);
}


/* The keyboard's next byte waits while IRQ 1 is in service (its handler,
 * and a BIOS handler it chains to, read the byte before the EOI). */
static bool kbd_irq_in_service(void *ctx)
{
	const struct pic *p = ctx;

	return p->chip[0].isr & (1u << I8042_IRQ);
}

static int register_devices(struct machine *m)
{
	int err;

	pio_bus_init(&m->pio, stderr);
	mmio_init(&m->mmio, stderr);
	uart_init(&m->com1, STDIN_FILENO, &m->out_stdout);
	debugcon_init(&m->debugcon, m->out_file.fd >= 0 ? &m->out_file : &m->out_stdout);
	err = pio_register(&m->pio, "com1", UART_COM1_BASE, UART_NPORTS, uart_pio, &m->com1);
	if (!err)
		err = pio_register(&m->pio, "exit", EXITPORT_BASE, EXITPORT_NPORTS, exitport_pio,
				   &m->exitport);
	if (!err)
		err = pio_register(&m->pio, "debugcon", DEBUGCON_PORT, DEBUGCON_NPORTS,
				   debugcon_pio, &m->debugcon);
	guest_clock_init(&m->clock, NULL, NULL);
	pit_init(&m->pit, &m->clock);
	if (!err)
		err = pio_register(&m->pio, "pit", PIT_BASE, PIT_NPORTS, pit_pio, &m->pit);
	if (!err)
		err = pio_register(&m->pio, "port61", PIT_PORT61, 1, pit_port61_pio, &m->pit);
	if (!err)
		err = register_cmos(m);
	vga_crtc_init(&m->crtc, &m->mem, &m->clock, m->bios.enabled);
	if (!err)
		err = pio_register(&m->pio, "vga-crtc", VGA_CRTC_PORT, VGA_CRTC_NPORTS, vga_crtc_pio,
				   &m->crtc);
	if (!err)
		err = pio_register(&m->pio, "vga-status", VGA_STATUS_PORT, 1, vga_status_pio,
				   &m->crtc);
	m->bios.cmos = &m->cmos;
	m->bios.clock = &m->clock;
	irq_init(m, m->bios.enabled);
	if (!err)
		err = irq_register(m);
	i8042_init(&m->kbd, &(struct irq_line){ .set = pic_line_set, .ctx = &m->irq.pic,
						 .irq = I8042_IRQ });
	m->kbd.hold = kbd_irq_in_service;
	m->kbd.hold_ctx = &m->irq.pic;
	m->bios.pic = &m->irq.pic;
	kbd_input_init(&m->kbd_in, STDIN_FILENO, &m->kbd);
	if (!err)
		err = pio_register(&m->pio, "i8042-data", I8042_DATA, 1, i8042_data_pio, &m->kbd);
	if (!err)
		err = pio_register(&m->pio, "i8042-ctl", I8042_STATUS, 1, i8042_ctl_pio, &m->kbd);
	return err;
}

/* --display: checked and prepared; the terminal is taken when the guest
 * starts (under gdb: when gdb first runs it, after gdbvm said its port). */
static int open_display(struct machine *m, const struct config *cfg)
{
	struct display_source src = {
		.mem = &m->mem,
		.bios = m->bios.enabled,
		.dac = &m->bios.dac,
		.cga_select = &m->bios.cga_select,
		.run = m->kvm.run,
		.give_up = stop_requested,
		.give_up_ctx = m,
	};

	if (!cfg->display)
		return STATUS_HALTED;
	return display_open(&m->display, &src, stderr) ? STATUS_USAGE : STATUS_HALTED;
}

/* The quit key ended the run. */
static int report_display_quit(struct machine *m)
{
	char where[200];

	report_where(m, where, sizeof(where));
	fprintf(stderr, "gdbvm: quit from the display (%s)%s\n", DISPLAY_QUIT_NAME, where);
	return STATUS_DISPLAY_QUIT;
}

static int setup_machine(struct machine *m, struct config *cfg)
{
	char errbuf[KVM_ERRBUF_SIZE];
	struct guest_image img;
	struct cpu_entry entry;
	const char *failed;
	int err;

	if (!cfg->mem_given && !cfg->mode_given && cfg->guest_path &&
	    guest_file_starts_beyond_real_mode(cfg->guest_path))
		cfg->mem_size = MEM_SIZE_DEFAULT_WIDE;
	err = multiboot_configure(cfg, stderr);
	if (err)	/* -EINVAL: an option does not suit the guest */
		return err == -EINVAL ? STATUS_USAGE : STATUS_GUEST_FILE;
	err = mem_alloc(&m->mem, cfg->mem_size);
	if (err) {
		fprintf(stderr, "gdbvm: cannot allocate %llu bytes of guest RAM: %s\n",
			(unsigned long long)cfg->mem_size, strerror(-err));
		return STATUS_KVM;
	}
	if (cfg->multiboot) {
		err = multiboot_prepare(cfg, &m->mem, &entry, stderr);
	} else {
		if (load_guest(m, cfg, &img))
			return cfg->guest_path || cfg->boot_path ? STATUS_GUEST_FILE : STATUS_USAGE;
		err = entry_prepare(cfg, cfg->guest_path ? &img : NULL, &m->mem, &entry, stderr);
	}
	if (err)
		return err == -EINVAL ? STATUS_USAGE : STATUS_GUEST_FILE;
	if (open_outputs(m, cfg))
		return STATUS_USAGE;
	if (kvm_vm_create(&m->kvm, cfg->kvm_device, &m->mem, errbuf)) {
		fprintf(stderr, "gdbvm: %s\n", errbuf);
		return STATUS_KVM;
	}
	err = cpu_setup(m->kvm.vcpu_fd, &entry, cfg->regs, cfg->nregs, &failed);
	if (err) {
		fprintf(stderr, "gdbvm: cannot set the initial registers: %s failed: %s\n", failed,
			strerror(-err));
		return STATUS_KVM;
	}
	err = register_devices(m);
	m->kbd_in.interactive = cfg->display;	/* a person types: see kbd_input.h */
	if (!err)
		err = boot_register(m);
	if (err) {
		fprintf(stderr, "gdbvm: cannot register devices: %s\n", strerror(-err));
		return STATUS_KVM;
	}
	m->trace = cfg->trace ? stderr : NULL;
	err = signals_install(m->kvm.run);
	if (!err)
		err = signals_install_wakeup();
	if (!err && cfg->timeout_sec > 0)
		err = signals_start_timeout(cfg->timeout_sec);
	if (err) {
		fprintf(stderr, "gdbvm: cannot install signal handlers: %s\n", strerror(-err));
		return STATUS_KVM;
	}
	return open_display(m, cfg);
}

/* A signal ended the run: say which and where the guest was. */
static int report_signal(struct machine *m, int sig, const struct config *cfg)
{
	char where[200];

	report_where(m, where, sizeof(where));
	if (m->irq.halted)	/* in HLT, with an interrupt source armed */
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
			 ", waiting in HLT for an interrupt");
	if (sig == SIGALRM) {
		fprintf(stderr, "gdbvm: guest still running after %g seconds (--timeout); "
			"stopped%s\n", cfg->timeout_sec, where);
		return STATUS_TIMEOUT;
	}
	fprintf(stderr, "gdbvm: stopped by %s%s\n", sig == SIGINT ? "SIGINT" : "SIGTERM", where);
	return STATUS_SIGNAL;
}

static int run_machine(struct machine *m, const struct config *cfg)
{
	struct stop stop;

	display_start(m->display);
	for (;;) {
		int sig = signals_received();
		int status;

		if (sig)
			return report_signal(m, sig, cfg);
		if (display_quit_requested(m->display))
			return report_display_quit(m);
		run_vcpu(m, &stop);
		status = stop_status(&stop, m->debugging);
		if (status == STOP_GOES_ON)
			continue;	/* a signal: checked at the top */
		report_stop(m, &stop, stderr);
		return status;
	}
}

/* ---- running under gdb ---- */

static pid_t batch_pid = -1;
static const struct display *gdb_display;	/* --display's, for its quit key */

static bool gdb_should_quit(void)
{
	/* Asked after every step: waitpid only once a SIGCHLD has come. */
	return signals_received() || display_quit_requested(gdb_display) ||
	       (batch_pid > 0 && signals_child_ended() && gdb_batch_exited(batch_pid, NULL));
}

/* The signal that ends a run under gdb, as gdb numbers it. */
static int gdb_quit_signal(void)
{
	switch (signals_received()) {
	case SIGINT:
		return GDB_SIGINT;
	case SIGALRM:
		return 14;	/* GDB_SIGNAL_ALRM */
	case SIGTERM:
		return 15;	/* GDB_SIGNAL_TERM */
	default:
		return 0;
	}
}

static void gdb_listening(void *ctx, const char *host, unsigned port)
{
	const struct config *cfg = ctx;

	if (strchr(host, ':'))
		fprintf(stderr, "gdbvm: waiting for gdb on [%s]:%u\n", host, port);
	else
		fprintf(stderr, "gdbvm: waiting for gdb on %s:%u\n", host, port);
	fflush(stderr);
	if (cfg->guest_is_elf && !cfg->gdb_batch)
		fprintf(stderr, "gdbvm: with symbols: gdb -iex 'set osabi none'%s "
			"-ex 'target remote %s%s%s:%u' %s\n", cfg->mode == CPU_MODE_REAL ?
			" -iex 'set architecture i8086'" : "", strchr(host, ':') ? "[" : "", host,
			strchr(host, ':') ? "]" : "", port, cfg->guest_path);
	fflush(stderr);
	if (cfg->gdb_batch) {
		batch_pid = gdb_batch_start(cfg->gdb_program, host, port, cfg->gdb_batch,
					    cfg->guest_is_elf ? cfg->guest_path : NULL,
					    cfg->mode == CPU_MODE_REAL);
		if (batch_pid < 0)
			fprintf(stderr, "gdbvm: cannot start %s: %s\n", cfg->gdb_program,
				strerror((int)-batch_pid));
	}
}

/* The process status for the way a gdb session ended. */
static int gdb_end_status(struct machine *m, enum gdb_end end, int code, const struct config *cfg)
{
	switch (end) {
	case GDB_END_EXITED:
	case GDB_END_CRASHED:
		return code;
	case GDB_END_KILLED:
		if (cfg->gdb_batch)	/* gdb kills the VM whenever a script ends */
			return code;
		return STATUS_GDB_KILLED;
	case GDB_END_QUIT:
		return code;
	case GDB_END_SIGNALLED:
		if (signals_received())
			return report_signal(m, signals_received(), cfg);
		if (display_quit_requested(m->display))
			return report_display_quit(m);
		return code;	/* --gdb-batch: gdb ended first */
	case GDB_END_ERROR:
		break;
	}
	fprintf(stderr, "gdbvm: the gdb server failed\n");
	return STATUS_RUN_ERROR;
}

static int run_under_gdb(struct machine *m, const struct config *cfg)
{
	struct gdb_server_config scfg = {
		.host = cfg->gdb_host,
		.port = cfg->gdb_port,
		.start_stopped = cfg->start_stopped,
		.kill_on_quit = cfg->gdb_batch != NULL,
		.should_quit = gdb_should_quit,
		.quit_signal = gdb_quit_signal,
		.async_signal = SIGIO,
		.on_listen = gdb_listening,
		.ctx = (void *)cfg,
	};
	struct gdb_target target;
	struct gdb_stub *stub = NULL;
	char errbuf[256], exec_path[PATH_MAX];
	enum gdb_end end;
	int status, code = 0, err;

	gdb_display = m->display;
	if (cfg->gdb_batch && access(cfg->gdb_batch, R_OK) < 0) {
		fprintf(stderr, "gdbvm: cannot read gdb script '%s': %s\n", cfg->gdb_batch,
			strerror(errno));
		return STATUS_USAGE;
	}
	gdb_target_init(&target, m);
	if (cfg->guest_is_elf && realpath(cfg->guest_path, exec_path))
		target.exec_file = exec_path;	/* gdb reads its symbols */
	target.exec_file_is64 = cfg->guest_is_elf64;
	target.record_on_attach = cfg->record;
	m->record_limit = cfg->record_limit;
	err = signals_install_async(SIGIO);
	if (err) {
		fprintf(stderr, "gdbvm: cannot handle SIGIO: %s\n", strerror(-err));
		return STATUS_RUN_ERROR;
	}
	if (cfg->gdb_batch && signals_watch_children() < 0)
		return STATUS_GDB_SETUP;
	err = gdb_server_open(&stub, &scfg, &gdb_target_ops, &target, errbuf, sizeof(errbuf));
	if (err) {
		fprintf(stderr, "gdbvm: %s\n", errbuf);
		return STATUS_GDB_SETUP;
	}
	if (cfg->gdb_batch && batch_pid < 0) {
		gdb_server_close(stub);
		return STATUS_GDB_SETUP;
	}
	end = gdb_server_run(stub, &code);
	status = gdb_end_status(m, end, code, cfg);
	gdb_server_close(stub);
	if (batch_pid > 0) {
		/* Let gdb finish its script (the guest may have ended under it).
		 * After a signal gdb has been told the target was killed (an X
		 * stop reply, if it was waiting for one) and gets a bounded time
		 * to run the rest of its script; a second signal cuts it short. */
		int ws = gdb_batch_wait(batch_pid, signals_received() ? GDB_BATCH_FINISH_MS :
					GDB_BATCH_WAIT_FOREVER, signals_repeated);

		if (!signals_received() && (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)) {
			fprintf(stderr, "gdbvm: the gdb script failed (gdb exit status %d)\n",
				WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws));
			status = STATUS_GDB_SCRIPT;
		}
	}
	return status;
}

int main(int argc, char **argv)
{
	struct machine m = { .out_file.fd = -1 };
	struct coverage *cov = NULL;
	struct config cfg;
	int status;

	switch (options_parse(argc, argv, &cfg, stdout, stderr)) {
	case OPTIONS_EXIT_OK:
		return fflush(stdout) == 0 ? 0 : STATUS_USAGE;
	case OPTIONS_ERROR:
		return STATUS_USAGE;
	case OPTIONS_RUN:
		break;
	}
	kvm_vm_init(&m.kvm);
	debug_init(&m.debug, cfg.kvm_device);
	status = setup_machine(&m, &cfg);
	if (status == STATUS_HALTED && cfg.coverage && coverage_start(&cov, &cfg, &m, stderr))
		status = STATUS_COVERAGE;
	if (status == STATUS_HALTED && cfg.record_selftest)
		status = record_check(&m, &cfg, stdout);
	else if (status == STATUS_HALTED && cfg.record_bench)
		status = record_bench(&m, &cfg, stdout);
	else if (status == STATUS_HALTED)
		status = cfg.gdb ? run_under_gdb(&m, &cfg) : run_machine(&m, &cfg);
	close_outputs(&m);
	if (coverage_finish(cov, &m, status, stderr))
		status = STATUS_COVERAGE;
	display_close(m.display);	/* the terminal back before --screen and the rest */
	m.display = NULL;
	boot_finish(&m, &cfg);
	signals_forget_vcpu();
	record_stop(&m);	/* a gdb session that ended with the guest, or killed it */
	kvm_vm_destroy(&m.kvm);
	debug_free(&m.debug);
	mem_free(&m.mem);
	return status;
}
