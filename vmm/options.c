/*
 * options.c - getopt_long parsing and checking of gdbvm's command line.
 */
#include "options.h"
#include "parse.h"
#include "status.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

enum long_only_option {
	OPT_REG = 256,
	OPT_TRACE,
	OPT_KVM_DEVICE,
	OPT_GDB_BATCH,
	OPT_GDB_PROGRAM,
	OPT_BOOT,
	OPT_DRIVE,
	OPT_WRITABLE,
	OPT_SCREEN,
	OPT_SCREENSHOT,
	OPT_DEBUGCON,
	OPT_MODE,
	OPT_APPEND,
	OPT_MODULE,
	OPT_DISPLAY,
	OPT_COVERAGE,
	OPT_COVERAGE_COUNTS,
	OPT_SYMBOLS,
	OPT_RECORD,
	OPT_RECORD_LIMIT,
	OPT_RECORD_SELFTEST,
	OPT_RECORD_SELFTEST_WATCH,
	OPT_RECORD_BENCH,
};

static const struct option long_options[] = {
	{ "memory", required_argument, NULL, 'm' },
	{ "load", required_argument, NULL, 'l' },
	{ "entry", required_argument, NULL, 'e' },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "reg", required_argument, NULL, OPT_REG },
	{ "timeout", required_argument, NULL, 't' },
	{ "trace", no_argument, NULL, OPT_TRACE },
	{ "kvm-device", required_argument, NULL, OPT_KVM_DEVICE },
	{ "debugcon", required_argument, NULL, OPT_DEBUGCON },
	{ "gdb", required_argument, NULL, 'g' },
	{ "gdb-batch", required_argument, NULL, OPT_GDB_BATCH },
	{ "gdb-program", required_argument, NULL, OPT_GDB_PROGRAM },
	{ "boot", required_argument, NULL, OPT_BOOT },
	{ "drive", required_argument, NULL, OPT_DRIVE },
	{ "writable", no_argument, NULL, OPT_WRITABLE },
	{ "screen", optional_argument, NULL, OPT_SCREEN },
	{ "screenshot", required_argument, NULL, OPT_SCREENSHOT },
	{ "display", no_argument, NULL, OPT_DISPLAY },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "module", required_argument, NULL, OPT_MODULE },
	{ "coverage", required_argument, NULL, OPT_COVERAGE },
	{ "coverage-counts", no_argument, NULL, OPT_COVERAGE_COUNTS },
	{ "symbols", required_argument, NULL, OPT_SYMBOLS },
	{ "record", no_argument, NULL, OPT_RECORD },
	{ "record-limit", required_argument, NULL, OPT_RECORD_LIMIT },
	/* Not in --help: a test of the recorder (record.h, tests/e2e/test_record.sh). */
	{ "record-selftest", required_argument, NULL, OPT_RECORD_SELFTEST },
	{ "record-selftest-watch", required_argument, NULL, OPT_RECORD_SELFTEST_WATCH },
	/* Not in --help: the recorder's timing for make bench (record_bench.h). */
	{ "record-bench", required_argument, NULL, OPT_RECORD_BENCH },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void print_help(FILE *out)
{
	fprintf(out,
		"Usage: gdbvm [OPTIONS] [GUEST]\n"
		"Run an x86 guest (real, protected or long mode) in a KVM virtual machine.\n"
		"\n"
		"GUEST is a flat binary image, or an ELF executable whose segments go to\n"
		"their physical addresses and which starts at its entry point.  Without\n"
		"GUEST, a built-in demo adds 2 and 2 and prints the result on the serial\n"
		"port.\n"
		"\n"
		"Options:\n"
		"  -m, --memory SIZE      guest RAM at physical address 0 (default 1M, or\n"
		"                         128M outside real mode); suffix K, M or G; 64K\n"
		"                         to 3G, a multiple of 4K\n"
		"  -l, --load ADDR        physical load address of a flat GUEST (default\n"
		"                         0x1000)\n"
		"  -e, --entry SEG:OFF    real-mode entry point, hexadecimal (default: the\n"
		"                         load address, as 0000:ADDR when it is below 64K;\n"
		"                         for an ELF GUEST, its entry point)\n"
		"  -e, --entry ADDR       entry point as a linear address (any mode)\n"
		"      --mode MODE        start in real, protected (32-bit, flat segments)\n"
		"                         or long (64-bit, low 4G identity-mapped) mode;\n"
		"                         default: real, long for an ELF64 GUEST\n"
		"      --reg NAME=VALUE   initial register value, repeatable: eax ax al ah\n"
		"                         (and b, c, d), esi si edi di esp sp ebp bp eip ip\n"
		"                         eflags flags, the segment registers cs ds es ss\n"
		"                         fs gs (real mode; base = selector * 16), and in\n"
		"                         long mode rax..rdx rsi rdi rsp rbp rip rflags r8..r15\n"
		"  -t, --timeout SECONDS  stop the guest if it runs longer than this\n"
		"      --trace            print one line per VM exit on stderr\n"
		"      --kvm-device PATH  the KVM device to open (default /dev/kvm)\n"
		"      --debugcon FILE    write the port-0xe9 debug console to FILE\n"
		"                         (default: stdout, in order with COM1)\n"
		"      --display          show the screen (text at 0xb8000, or the graphics\n"
		"                         modes with --boot) live in the terminal; keys go\n"
		"                         to the guest, Ctrl-] quits (docs/display.md)\n"
		"\n"
		"Booting a disk image with the built-in BIOS (instead of GUEST):\n"
		"      --boot IMAGE       raw disk image; sector 0 is loaded at 0x7c00 and\n"
		"                         entered at 0000:7c00 with DL = the boot drive\n"
		"      --drive N          boot drive number: 0x00-0x03 floppy, 0x80-0x8f hard\n"
		"                         disk (default 0x00 for a floppy-sized image, else 0x80)\n"
		"      --writable         INT 13h writes go to IMAGE (default: kept in memory)\n"
		"      --screen[=STYLE]   print the text screen at 0xb8000 at the end; STYLE\n"
		"                         ansi (colours), plain, or auto (default: ansi\n"
		"                         when stdout is a terminal)\n"
		"      --screenshot FILE  write the screen (text, or graphics modes 04h-06h\n"
		"                         and 13h) at the end as a PNG image\n"
		"\n"
		"Booting a Multiboot kernel (GUEST with a Multiboot 1 or 2 header):\n"
		"      --append STRING    the kernel's command line after its path\n"
		"      --module FILE[,STRING]  load FILE as a module (STRING: its command\n"
		"                         line after FILE); repeatable, up to 16\n"
		"\n"
		"Debugging with gdb:\n"
		"  -g, --gdb [HOST:]PORT  serve the GDB remote protocol; HOST defaults to\n"
		"                         127.0.0.1, PORT 0 picks a free port\n"
		"  -s                     short for --gdb 127.0.0.1:1234\n"
		"  -S                     do not start the guest until gdb resumes it\n"
		"      --gdb-batch SCRIPT start frozen on a free loopback port, run\n"
		"                         'gdb -batch -nx' connected to it with SCRIPT,\n"
		"                         relay its output, end when gdb ends\n"
		"      --gdb-program PATH the gdb that --gdb-batch runs (default gdb)\n"
		"      --record           keep an execution history while gdb is attached,\n"
		"                         for reverse-stepi, reverse-continue and the like\n"
		"                         (the guest then runs one instruction at a time)\n"
		"      --record-limit SIZE  memory the history may use (default 256M);\n"
		"                         the oldest instructions are dropped beyond it\n"
		"\n"
		"Coverage (docs/coverage.md):\n"
		"      --coverage FILE    write an lcov tracefile of the source lines the guest\n"
		"                         ran (from the DWARF line table of an ELF GUEST, or\n"
		"                         of --symbols) and a summary line on stderr\n"
		"      --coverage-counts  count every run of each line, not only the first\n"
		"                         (slower: each run of a line is a VM exit)\n"
		"      --symbols ELF[@OFFSET]  the line table of code loaded from something\n"
		"                         else (a flat binary, --boot stages); OFFSET is\n"
		"                         added to its addresses; repeatable, up to 16\n"
		"  -h, --help             show this help and exit\n"
		"  -V, --version          show the version and exit\n"
		"\n"
		"Numbers are decimal, or hexadecimal with a 0x prefix.\n"
		"Devices: COM1 (16550 subset) at port 0x3f8 on stdin/stdout; exit port 0xf4;\n"
		"debug console at port 0xe9 (stdout, or --debugcon FILE); PIT 0x40-0x43\n"
		"(IRQ 0); CMOS/RTC 0x70-0x71 (IRQ 8); 8259A PICs 0x20/0xa0.  A HLT with\n"
		"interrupts on waits while a timer can still interrupt the guest.\n"
		"\n"
		"Exit status:\n");
	status_print_table(out);
}

static bool bad_value(FILE *err, const char *what, const char *value, int e, const char *why)
{
	if (!why)
		why = e == -ERANGE ? "out of range" : "not a valid number";
	fprintf(err, "gdbvm: invalid %s '%s': %s\n", what, value, why);
	return false;
}

/* --boot and the options that go with it (docs/boot.md). */
static bool handle_boot_option(int opt, const char *arg, struct config *cfg, FILE *err)
{
	uint64_t v;
	int e;

	switch (opt) {
	case OPT_BOOT:
		cfg->boot_path = arg;
		return true;
	case OPT_DRIVE:
		e = parse_u64(arg, &v);
		if (e || !(v <= 0x03 || (v >= 0x80 && v <= 0x8f)))
			return bad_value(err, "drive number", arg, e,
					 "expected 0x00 to 0x03 (floppy) or 0x80 to 0x8f (hard disk)");
		cfg->boot_drive = (int)v;
		return true;
	case OPT_WRITABLE:
		cfg->writable = true;
		return true;
	case OPT_SCREENSHOT:
		cfg->screenshot = arg;
		return true;
	default:
		if (!arg || strcmp(arg, "auto") == 0)
			cfg->screen = SCREEN_AUTO;
		else if (strcmp(arg, "ansi") == 0)
			cfg->screen = SCREEN_ANSI;
		else if (strcmp(arg, "plain") == 0)
			cfg->screen = SCREEN_PLAIN;
		else
			return bad_value(err, "--screen style", arg, 0,
					 "expected ansi, plain or auto");
		return true;
	}
}

/* Checks between --boot and the other options. */
static bool check_boot_config(struct config *cfg, FILE *err)
{
	if (!cfg->boot_path) {
		if (cfg->boot_drive >= 0 || cfg->writable || cfg->screenshot) {
			fprintf(err, "gdbvm: %s applies to --boot only\n",
				cfg->writable ? "--writable" : cfg->screenshot ? "--screenshot"
									 : "--drive");
			return false;
		}
	} else if (cfg->guest_path) {
		fprintf(err, "gdbvm: give either --boot IMAGE or GUEST, not both\n");
		return false;
	} else if (cfg->load_given) {
		fprintf(err, "gdbvm: --load does not apply to --boot: the boot sector goes to "
			"0x7c00\n");
		return false;
	} else {
		cfg->load_addr = 0x7c00;
	}
	if ((cfg->boot_path || cfg->screen || cfg->display) && cfg->mem_size < (UINT64_C(1) << 20)) {
		fprintf(err, "gdbvm: %s needs at least 1M of guest RAM (the %s); -m gives 0x%llx "
			"bytes\n", cfg->boot_path ? "--boot" : cfg->screen ? "--screen" : "--display",
			cfg->boot_path ? "BIOS ROM is at 0xf0000-0xfffff" : "text screen is at 0xb8000",
			(unsigned long long)cfg->mem_size);
		return false;
	}
	return true;
}

/* --coverage, --coverage-counts and --symbols ELF[@OFFSET]. */
static bool handle_coverage_option(int opt, const char *arg, struct config *cfg, FILE *err)
{
	struct symbols_file *sf;
	const char *at;
	size_t len;
	int e;

	switch (opt) {
	case OPT_COVERAGE:
		if (arg[0] == '\0')
			return bad_value(err, "--coverage file", arg, 0, "expected a file name");
		cfg->coverage = arg;
		return true;
	case OPT_COVERAGE_COUNTS:
		cfg->coverage_counts = true;
		return true;
	default:
		if (cfg->nsymbols == MAX_SYMBOLS)
			return bad_value(err, "--symbols", arg, 0, "too many --symbols options (at most 16)");
		sf = &cfg->symbols[cfg->nsymbols];
		at = strrchr(arg, '@');
		len = at ? (size_t)(at - arg) : strlen(arg);
		sf->offset = 0;
		if (at) {
			e = parse_u64(at + 1, &sf->offset);
			if (e)
				return bad_value(err, "--symbols", arg, e, e == -ERANGE ?
						 "offset out of range" : "expected ELF[@OFFSET], OFFSET a number");
		}
		if (len == 0)
			return bad_value(err, "--symbols", arg, 0, "expected ELF[@OFFSET]");
		if (len >= sizeof(sf->path))
			return bad_value(err, "--symbols", arg, 0, "file name too long");
		memcpy(sf->path, arg, len);
		sf->path[len] = '\0';
		cfg->nsymbols++;
		return true;
	}
}

static bool handle_option(int opt, const char *arg, struct config *cfg,
			  FILE *err)
{
	int e;

	switch (opt) {
	case 'm':
		cfg->mem_given = true;
		e = parse_size(arg, &cfg->mem_size);
		if (e)
			return bad_value(err, "memory size", arg, e,
					 e == -ERANGE ? "out of range" :
					 "expected a number with an optional K, M or G suffix");
		if (cfg->mem_size < MEM_SIZE_MIN || cfg->mem_size > MEM_SIZE_MAX)
			return bad_value(err, "memory size", arg, 0, "must be between 64K and 3G");
		if (cfg->mem_size % 4096)
			return bad_value(err, "memory size", arg, 0,
					 "must be a multiple of 4K");
		return true;
	case 'l':
		e = parse_u64(arg, &cfg->load_addr);
		cfg->load_given = true;
		return e ? bad_value(err, "load address", arg, e, NULL) : true;
	case 'e':
		cfg->entry_given = true;
		if (!strchr(arg, ':')) {
			cfg->entry_is_linear = true;
			e = parse_u64(arg, &cfg->entry_linear);
			return e ? bad_value(err, "entry point", arg, e, "expected SEG:OFF (two "
					     "hexadecimal numbers up to ffff) or a linear address")
				 : true;
		}
		e = parse_segoff(arg, &cfg->entry_seg, &cfg->entry_off);
		if (e)
			return bad_value(err, "entry point", arg, e,
					 "expected SEG:OFF, two hexadecimal numbers up to ffff");
		return true;
	case OPT_MODE:
		if (cpu_mode_parse(arg, &cfg->mode) < 0)
			return bad_value(err, "--mode", arg, 0, "expected real, protected or long");
		cfg->mode_given = true;
		return true;
	case OPT_REG:
		if (cfg->nregs == MAX_REG_ASSIGNS)
			return bad_value(err, "register assignment", arg, 0,
					 "too many --reg options");
		e = reg_assign_parse(arg, &cfg->regs[cfg->nregs]);
		if (e == -ENOENT)
			return bad_value(err, "register assignment", arg, e,
					 "unknown register (see --help for the names)");
		if (e == -ERANGE)
			return bad_value(err, "register assignment", arg, e,
					 "value does not fit in the register");
		if (e)
			return bad_value(err, "register assignment", arg, e,
					 "expected NAME=VALUE");
		cfg->nregs++;
		return true;
	case 't':
		e = parse_seconds(arg, &cfg->timeout_sec);
		return e ? bad_value(err, "timeout", arg, e,
				     "expected a number of seconds above 0 and up to 1000000")
			 : true;
	case OPT_TRACE:
		cfg->trace = true;
		return true;
	case OPT_RECORD:
		cfg->record = true;
		return true;
	case OPT_RECORD_LIMIT:
		e = parse_size(arg, &cfg->record_limit);
		if (!e && (cfg->record_limit < RECORD_LIMIT_MIN || cfg->record_limit > RECORD_LIMIT_MAX))
			return bad_value(err, "record limit", arg, 0, "must be between 64K and 1024G");
		return e ? bad_value(err, "record limit", arg, e,
				     "expected a size with an optional K, M or G suffix") : true;
	case OPT_RECORD_SELFTEST:
		e = parse_u64(arg, &cfg->record_selftest);
		if (!e && (cfg->record_selftest == 0 || cfg->record_selftest > 100000000))
			e = -ERANGE;
		return e ? bad_value(err, "record self-test steps", arg, e,
				     "expected a number of steps from 1 to 100000000")
			 : true;
	case OPT_RECORD_BENCH:
		e = parse_u64(arg, &cfg->record_bench);
		if (!e && (cfg->record_bench == 0 || cfg->record_bench > 100000000))
			e = -ERANGE;
		return e ? bad_value(err, "record bench steps", arg, e,
				     "expected a number of steps from 1 to 100000000")
			 : true;
	case OPT_RECORD_SELFTEST_WATCH:
		e = parse_u64(arg, &cfg->record_selftest_watch);
		cfg->record_selftest_watch_given = !e;
		return e ? bad_value(err, "record self-test watchpoint", arg, e,
				     "expected an address") : true;
	case OPT_KVM_DEVICE:
		cfg->kvm_device = arg;
		return true;
	case OPT_DEBUGCON:
		cfg->debugcon_path = arg;
		return true;
	case 'g':
		e = parse_gdb_address(arg, cfg->gdb_host, sizeof(cfg->gdb_host), cfg->gdb_port,
				      sizeof(cfg->gdb_port));
		if (e)
			return bad_value(err, "gdb address", arg, e,
					 "expected [HOST:]PORT with PORT from 0 to 65535");
		cfg->gdb = true;
		return true;
	case 's':
		snprintf(cfg->gdb_host, sizeof(cfg->gdb_host), "%s", GDB_DEFAULT_HOST);
		snprintf(cfg->gdb_port, sizeof(cfg->gdb_port), "%s", GDB_DEFAULT_PORT);
		cfg->gdb = true;
		return true;
	case 'S':
		cfg->start_stopped = true;
		return true;
	case OPT_GDB_BATCH:
		cfg->gdb_batch = arg;
		return true;
	case OPT_GDB_PROGRAM:
		cfg->gdb_program = arg;
		return true;
	case OPT_BOOT:
	case OPT_DRIVE:
	case OPT_WRITABLE:
	case OPT_SCREEN:
	case OPT_SCREENSHOT:
		return handle_boot_option(opt, arg, cfg, err);
	case OPT_DISPLAY:
		cfg->display = true;
		return true;
	case OPT_APPEND:
		cfg->append = arg;
		return true;
	case OPT_MODULE:
		if (cfg->nmodules == MAX_MODULES)
			return bad_value(err, "module", arg, 0, "too many --module options (at most 16)");
		if (arg[0] == '\0' || arg[0] == ',')
			return bad_value(err, "module", arg, 0, "expected FILE[,STRING]");
		cfg->modules[cfg->nmodules++] = arg;
		return true;
	case OPT_COVERAGE:
	case OPT_COVERAGE_COUNTS:
	case OPT_SYMBOLS:
		return handle_coverage_option(opt, arg, cfg, err);
	default:
		return false;
	}
}

/* Checks between options, once all are known. */
int parse_gdb_address(const char *s, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *colon = strrchr(s, ':');
	const char *h = s, *p = s;
	size_t hlen = 0;
	uint64_t v;
	int e;

	if (colon) {
		h = s;
		hlen = (size_t)(colon - s);
		p = colon + 1;
		if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
			h++;
			hlen -= 2;
		}
		if (hlen == 0 || memchr(h, '[', hlen) || memchr(h, ']', hlen))
			return -EINVAL;
	}
	if (*p == '\0' || strlen(p) >= portlen)
		return -EINVAL;
	e = parse_u64(p, &v);
	if (e)
		return e;
	if (v > 65535)
		return -ERANGE;
	if (hlen >= hostlen)
		return -EINVAL;
	if (colon) {
		memcpy(host, h, hlen);
		host[hlen] = '\0';
	} else {
		snprintf(host, hostlen, "%s", GDB_DEFAULT_HOST);
	}
	snprintf(port, portlen, "%llu", (unsigned long long)v);
	return 0;
}

int config_entry_from_linear(struct config *cfg, uint64_t linear)
{
	if (linear <= 0xffff) {
		cfg->entry_seg = 0;
		cfg->entry_off = (uint16_t)linear;
	} else if (linear <= 0xfffff) {
		cfg->entry_seg = (uint16_t)(linear >> 4);
		cfg->entry_off = (uint16_t)(linear & 0xf);
	} else {
		return -ERANGE;
	}
	return 0;
}

/* --append and --module go with a Multiboot kernel, which only GUEST can be;
 * whether GUEST is one is known once it is read (main.c). */
static bool check_multiboot_config(const struct config *cfg, FILE *err)
{
	if ((cfg->append || cfg->nmodules) && !cfg->guest_path) {
		fprintf(err, "gdbvm: %s applies to a Multiboot kernel given as GUEST only\n",
			cfg->append ? "--append" : "--module");
		return false;
	}
	return true;
}

/* --coverage-counts and --symbols go with --coverage. */
static bool check_coverage_config(const struct config *cfg, FILE *err)
{
	if (!cfg->coverage && (cfg->coverage_counts || cfg->nsymbols)) {
		fprintf(err, "gdbvm: %s applies to --coverage only\n",
			cfg->coverage_counts ? "--coverage-counts" : "--symbols");
		return false;
	}
	if (cfg->coverage && !cfg->nsymbols && !cfg->guest_path) {
		fprintf(err, "gdbvm: --coverage needs the guest's line table: give an ELF GUEST or "
			"--symbols ELF\n");
		return false;
	}
	return true;
}

static bool check_config(struct config *cfg, FILE *err)
{
	if (!check_boot_config(cfg, err) || !check_multiboot_config(cfg, err) ||
	    !check_coverage_config(cfg, err))
		return false;
	if (cfg->gdb_batch && cfg->display) {
		fprintf(err, "gdbvm: --display takes over the terminal that --gdb-batch's gdb "
			"writes to: do not combine them\n");
		return false;
	}
	if (cfg->gdb_batch) {
		if (cfg->gdb) {
			fprintf(err, "gdbvm: --gdb-batch picks its own port: do not combine it "
				"with --gdb or -s\n");
			return false;
		}
		cfg->gdb = true;
		cfg->start_stopped = true;
		snprintf(cfg->gdb_host, sizeof(cfg->gdb_host), "%s", GDB_DEFAULT_HOST);
		snprintf(cfg->gdb_port, sizeof(cfg->gdb_port), "0");
	}
	if (cfg->record && !cfg->gdb) {
		fprintf(err, "gdbvm: --record keeps a history for gdb's reverse execution: give "
			"-s, --gdb or --gdb-batch as well\n");
		return false;
	}
	if (cfg->start_stopped && !cfg->gdb) {
		fprintf(err, "gdbvm: -S waits for gdb: give --gdb or -s as well\n");
		return false;
	}
	if (!cfg->mem_given && cfg->mode_given && cfg->mode != CPU_MODE_REAL)
		cfg->mem_size = MEM_SIZE_DEFAULT_WIDE;
	if (cfg->load_addr >= cfg->mem_size) {
		fprintf(err, "gdbvm: invalid load address '0x%llx': past the end of guest RAM "
			"(0x%llx bytes)\n", (unsigned long long)cfg->load_addr,
			(unsigned long long)cfg->mem_size);
		return false;
	}
	if (cfg->mode_given && cfg->mode != CPU_MODE_REAL && (cfg->boot_path || !cfg->guest_path)) {
		fprintf(err, "gdbvm: --mode %s needs a GUEST file: %s starts in real mode\n",
			cpu_mode_name(cfg->mode), cfg->boot_path ? "--boot (like a PC)" :
			"the built-in demo");
		return false;
	}
	if (cfg->entry_is_linear) {
		/* Resolved once the mode is known (entry.c), and without -m
		 * or --mode the RAM size waits for the guest file too. */
		if (cfg->entry_linear < cfg->mem_size || (!cfg->mem_given && !cfg->mode_given))
			return true;
		fprintf(err, "gdbvm: invalid entry point '0x%llx': past the end of guest RAM "
			"(0x%llx bytes)\n", (unsigned long long)cfg->entry_linear,
			(unsigned long long)cfg->mem_size);
		return false;
	}
	if (cfg->mode_given && cfg->mode != CPU_MODE_REAL)
		return true;	/* SEG:OFF is refused by entry.c with the reason */
	if (!cfg->entry_given && config_entry_from_linear(cfg, cfg->load_addr) < 0) {
		fprintf(err, "gdbvm: load address '0x%llx' is beyond real-mode reach; "
			"give the entry point with --entry\n", (unsigned long long)cfg->load_addr);
		return false;
	}
	return config_entry_check(cfg, err);
}

bool config_entry_check(const struct config *cfg, FILE *err)
{
	if (config_entry_linear(cfg) >= cfg->mem_size) {
		fprintf(err, "gdbvm: invalid entry point '%04x:%04x': linear address 0x%llx is "
			"past the end of guest RAM (0x%llx bytes)\n", cfg->entry_seg,
			cfg->entry_off, (unsigned long long)config_entry_linear(cfg),
			(unsigned long long)cfg->mem_size);
		return false;
	}
	return true;
}

/* getopt's '?' covers unknown options and flags given a value. */
static void print_bad_option(FILE *err, const char *arg, int optopt_char)
{
	const struct option *o;
	size_t len;

	if (strncmp(arg, "--", 2) != 0) {
		fprintf(err, "gdbvm: unknown option '-%c' (see --help)\n", optopt_char);
		return;
	}
	len = strcspn(arg + 2, "=");
	for (o = long_options; o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, arg + 2, len) == 0 &&
		    o->has_arg == no_argument && arg[2 + len] == '=') {
			fprintf(err, "gdbvm: option '--%s' takes no value (see --help)\n", o->name);
			return;
		}
	fprintf(err, "gdbvm: unknown option '%s' (see --help)\n", arg);
}

enum options_result options_parse(int argc, char **argv, struct config *cfg,
				  FILE *out, FILE *err)
{
	int opt;

	*cfg = (struct config){
		.kvm_device = "/dev/kvm",
		.mem_size = MEM_SIZE_DEFAULT,
		.record_limit = RECORD_LIMIT_DEFAULT,
		.load_addr = LOAD_ADDR_DEFAULT,
		.gdb_program = "gdb",
		.boot_drive = -1,
	};
	opterr = 0;
	optind = 0;	/* 0, not 1: glibc then also forgets a half-read "-xyz" */
	while ((opt = getopt_long(argc, argv, ":m:l:e:t:g:sShV", long_options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			print_help(out);
			return OPTIONS_EXIT_OK;
		case 'V':
			fprintf(out, "gdbvm %s\n", GDBVM_VERSION);
			return OPTIONS_EXIT_OK;
		case '?':
			print_bad_option(err, argv[optind - 1], optopt);
			return OPTIONS_ERROR;
		case ':':
			fprintf(err, "gdbvm: option '%s' needs a value (see --help)\n",
				argv[optind - 1]);
			return OPTIONS_ERROR;
		default:
			if (!handle_option(opt, optarg, cfg, err))
				return OPTIONS_ERROR;
		}
	}
	if (optind < argc)
		cfg->guest_path = argv[optind++];
	if (optind < argc) {
		fprintf(err, "gdbvm: unexpected argument '%s': only one GUEST can be given\n",
			argv[optind]);
		return OPTIONS_ERROR;
	}
	return check_config(cfg, err) ? OPTIONS_RUN : OPTIONS_ERROR;
}
