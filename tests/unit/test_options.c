/* test_options.c - tests command-line parsing and checking (options_parse in vmm/options.c). */
#include "helpers.h"
#include "options.h"
#include "suites.h"
#include "tap.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>

#define MAX_ARGS 48

/* One options_parse call: writable argv copies, the config and the output. */
struct opts_run {
	char storage[MAX_ARGS][96];
	char *argv[MAX_ARGS + 1];
	int argc;
	struct config cfg;
	enum options_result res;
	char out[8192];
	char err[1024];
};

/*
 * Make glibc's getopt forget an earlier argv: only optind = 0 resets its
 * position inside a group of short options.  options_parse does that itself;
 * this keeps the other tests independent of it, and
 * test_reparse_after_group checks options_parse without it.
 */
static void getopt_forget(void)
{
	char arg0[] = "reset";
	char *argv[] = { arg0, NULL };

	optind = 0;
	getopt(1, argv, "");
}

static void parse_argv(struct opts_run *r, int nargs, const char *const *args, bool forget)
{
	struct capture out, err;

	memset(r, 0, sizeof(*r));
	strcpy(r->storage[0], "gdbvm");
	r->argv[0] = r->storage[0];
	for (int i = 0; i < nargs && i + 1 < MAX_ARGS; i++) {
		snprintf(r->storage[i + 1], sizeof(r->storage[i + 1]), "%s", args[i]);
		r->argv[i + 1] = r->storage[i + 1];
	}
	r->argc = nargs + 1 < MAX_ARGS ? nargs + 1 : MAX_ARGS;
	r->argv[r->argc] = NULL;

	if (forget)
		getopt_forget();
	capture_open(&out);
	capture_open(&err);
	r->res = options_parse(r->argc, r->argv, &r->cfg, out.f, err.f);
	snprintf(r->out, sizeof(r->out), "%s", capture_text(&out));
	snprintf(r->err, sizeof(r->err), "%s", capture_text(&err));
	capture_close(&out);
	capture_close(&err);
}

static void run_argv(struct opts_run *r, int nargs, const char *const *args)
{
	parse_argv(r, nargs, args, true);
}

/* run(r, "-m", "2M", NULL): parse gdbvm's arguments after argv[0]. */
static void run(struct opts_run *r, ...)
{
	const char *args[MAX_ARGS];
	int n = 0;
	va_list ap;

	va_start(ap, r);
	for (const char *a; n < MAX_ARGS && (a = va_arg(ap, const char *)); )
		args[n++] = a;
	va_end(ap);
	run_argv(r, n, args);
}

static const char *result_name(enum options_result res)
{
	switch (res) {
	case OPTIONS_RUN: return "OPTIONS_RUN";
	case OPTIONS_EXIT_OK: return "OPTIONS_EXIT_OK";
	case OPTIONS_ERROR: return "OPTIONS_ERROR";
	}
	return "?";
}

/* The result is an error whose message contains each of the given strings. */
static void expect_error(struct opts_run *r, const char *what, const char *needle1,
			 const char *needle2)
{
	CHECK_STR(result_name(r->res), "OPTIONS_ERROR", "%s: rejected", what);
	CHECK_CONTAINS(r->err, needle1, "%s: message says \"%s\"", what, needle1);
	if (needle2)
		CHECK_CONTAINS(r->err, needle2, "%s: message says \"%s\"", what, needle2);
	CHECK(strncmp(r->err, "gdbvm: ", 7) == 0, "%s: message starts with \"gdbvm: \"", what);
	CHECK_INT(count_substr(r->err, "\n"), 1, "%s: message is one line", what);
	CHECK_STR(r->out, "", "%s: nothing on out", what);
}

static void expect_run(struct opts_run *r, const char *what)
{
	CHECK_STR(result_name(r->res), "OPTIONS_RUN", "%s: accepted", what);
	CHECK_STR(r->err, "", "%s: no message", what);
}

static void test_defaults(void)
{
	struct opts_run r;

	run(&r, NULL);
	expect_run(&r, "no arguments");
	CHECK(r.cfg.guest_path == NULL, "default: no guest (the built-in demo)");
	CHECK_STR(r.cfg.kvm_device, "/dev/kvm", "default KVM device /dev/kvm");
	CHECK_HEX(r.cfg.mem_size, 1 << 20, "default memory 1M");
	CHECK_HEX(r.cfg.load_addr, 0x1000, "default load address 0x1000");
	CHECK_HEX(r.cfg.entry_seg, 0, "default entry segment 0000");
	CHECK_HEX(r.cfg.entry_off, 0x1000, "default entry offset 1000");
	CHECK(r.cfg.timeout_sec == 0, "default: no timeout");
	CHECK(!r.cfg.trace, "default: no trace");
	CHECK_INT(r.cfg.nregs, 0, "default: no register assignments");

	run(&r, "guest.bin", NULL);
	expect_run(&r, "one GUEST");
	CHECK_STR(r.cfg.guest_path, "guest.bin", "GUEST is the guest path");
}

static void test_memory_option(void)
{
	struct opts_run r;

	run(&r, "-m", "2M", NULL);
	expect_run(&r, "-m 2M");
	CHECK_HEX(r.cfg.mem_size, 2 << 20, "-m 2M gives 2 MiB");

	run(&r, "--memory=64K", NULL);
	expect_run(&r, "--memory=64K (the minimum)");
	CHECK_HEX(r.cfg.mem_size, 64 << 10, "--memory=64K gives 64 KiB");

	run(&r, "--memory", "3G", NULL);
	expect_run(&r, "--memory 3G (the maximum)");
	CHECK_HEX(r.cfg.mem_size, UINT64_C(3) << 30, "--memory 3G gives 3 GiB");

	run(&r, "-m", "0x20000", NULL);
	expect_run(&r, "-m 0x20000");
	CHECK_HEX(r.cfg.mem_size, 0x20000, "-m 0x20000 gives 128 KiB");

	run(&r, "-m", "60K", NULL);
	expect_error(&r, "-m 60K (below 64K)", "'60K'", "between 64K and 3G");
	run(&r, "-m", "65535", NULL);
	expect_error(&r, "-m 65535 (one below 64K)", "'65535'", "between 64K and 3G");
	run(&r, "-m", "3073M", NULL);
	expect_error(&r, "-m 3073M (above 3G)", "'3073M'", "between 64K and 3G");
	run(&r, "-m", "4G", NULL);
	expect_error(&r, "-m 4G (above 3G)", "'4G'", "between 64K and 3G");
	run(&r, "-m", "66K", NULL);
	expect_error(&r, "-m 66K (not a multiple of 4K)", "'66K'", "multiple of 4K");
	run(&r, "-m", "65537", NULL);
	expect_error(&r, "-m 65537 (not a multiple of 4K)", "'65537'", "multiple of 4K");
	run(&r, "-m", "1MB", NULL);
	expect_error(&r, "-m 1MB", "invalid memory size '1MB'", "K, M or G");
	run(&r, "-m", "99999999999G", NULL);
	expect_error(&r, "-m 99999999999G (overflows)", "'99999999999G'", "out of range");
}

static void test_load_and_entry(void)
{
	struct opts_run r;

	run(&r, "-l", "0x20000", NULL);
	expect_run(&r, "-l 0x20000");
	CHECK_HEX(r.cfg.load_addr, 0x20000, "-l 0x20000 sets the load address");
	CHECK_HEX(r.cfg.entry_seg, 0x2000, "-l 0x20000: entry segment 2000");
	CHECK_HEX(r.cfg.entry_off, 0, "-l 0x20000: entry offset 0000");

	run(&r, "--load=0x12345", NULL);
	expect_run(&r, "--load=0x12345");
	CHECK_HEX(r.cfg.entry_seg, 0x1234, "--load 0x12345: entry segment 1234");
	CHECK_HEX(r.cfg.entry_off, 5, "--load 0x12345: entry offset 0005");

	run(&r, "-l", "0xffff", NULL);
	expect_run(&r, "-l 0xffff");
	CHECK(r.cfg.entry_seg == 0 && r.cfg.entry_off == 0xffff, "-l 0xffff: entry 0000:ffff");

	run(&r, "-l", "0", NULL);
	expect_run(&r, "-l 0");
	CHECK(r.cfg.entry_seg == 0 && r.cfg.entry_off == 0, "-l 0: entry 0000:0000");

	run(&r, "-l", "0x100000", NULL);
	expect_error(&r, "-l 0x100000 with 1M of RAM", "invalid load address '0x100000'",
		     "past the end of guest RAM");
	run(&r, "-m", "64K", "-l", "65536", NULL);
	expect_error(&r, "-m 64K -l 65536", "0x10000", "past the end of guest RAM");
	run(&r, "-l", "4K", NULL);
	expect_error(&r, "-l 4K (no suffixes)", "invalid load address '4K'", NULL);
	run(&r, "-l", "18446744073709551616", NULL);
	expect_error(&r, "-l 2^64", "'18446744073709551616'", "out of range");

	run(&r, "-m", "2M", "-l", "0x100000", NULL);
	expect_error(&r, "-m 2M -l 0x100000 without --entry", "0x100000",
		     "give the entry point with --entry");
	run(&r, "-m", "4M", "-l", "0x200000", NULL);
	expect_error(&r, "-m 4M -l 0x200000 without --entry", "0x200000",
		     "beyond real-mode reach");

	run(&r, "-m", "2M", "-l", "0x100000", "-e", "ffff:0010", NULL);
	expect_run(&r, "-m 2M -l 0x100000 -e ffff:0010");
	CHECK(r.cfg.entry_seg == 0xffff && r.cfg.entry_off == 0x10,
	      "-e ffff:0010 is the entry point");

	run(&r, "-e", "07c0:0", NULL);
	expect_run(&r, "-e 07c0:0");
	CHECK(r.cfg.entry_seg == 0x7c0 && r.cfg.entry_off == 0, "-e 07c0:0: entry 07c0:0000");
	CHECK_HEX(r.cfg.load_addr, 0x1000, "-e does not move the load address");

	run(&r, "--entry=0x100:0x20", "-l", "0x3000", NULL);
	expect_run(&r, "--entry=0x100:0x20 -l 0x3000");
	CHECK(r.cfg.entry_seg == 0x100 && r.cfg.entry_off == 0x20,
	      "--entry wins over the entry derived from -l");

	run(&r, "-e", "0x2000", NULL);
	expect_run(&r, "-e 0x2000 (a linear address)");
	CHECK(r.cfg.entry_is_linear && r.cfg.entry_linear == 0x2000,
	      "-e 0x2000 is kept as a linear entry point, resolved once the mode is known");
	run(&r, "-m", "1M", "-e", "0x100000", NULL);
	expect_error(&r, "-m 1M -e 0x100000", "invalid entry point '0x100000'",
		     "past the end of guest RAM");
	run(&r, "-e", "0x100000", "g", NULL);
	expect_run(&r, "-e 0x100000 without -m (the RAM size waits for the guest file)");
	CHECK(!r.cfg.mem_given && r.cfg.mem_size == MEM_SIZE_DEFAULT, "... 1M until then");
	run(&r, "--mode", "long", "g", NULL);
	CHECK(r.cfg.mem_size == MEM_SIZE_DEFAULT_WIDE, "--mode long without -m: 128M of RAM");
	run(&r, "--mode", "protected", "-m", "2M", "g", NULL);
	CHECK(r.cfg.mem_size == (2 << 20), "--mode protected -m 2M: 2M of RAM");
	run(&r, "--mode", "real", "g", NULL);
	CHECK(r.cfg.mem_size == MEM_SIZE_DEFAULT, "--mode real without -m: 1M of RAM");
	run(&r, "-e", "10x", NULL);
	expect_error(&r, "-e 10x", "invalid entry point '10x'", "SEG:OFF");
	run(&r, "--mode", "long", "-m", "4M", "-l", "0x200000", "g", NULL);
	expect_run(&r, "--mode long with a load address above 1M needs no --entry");
	CHECK(r.cfg.mode_given && r.cfg.mode == CPU_MODE_LONG, "--mode long is recorded");
	run(&r, "--mode", "flat", "g", NULL);
	expect_error(&r, "--mode flat", "invalid --mode 'flat'", "expected real, protected or long");
	run(&r, "--mode", "protected", NULL);
	expect_error(&r, "--mode protected without GUEST", "--mode protected needs a GUEST file",
		     "built-in demo");
	run(&r, "--mode", "long", "--boot", "x.img", NULL);
	expect_error(&r, "--mode long with --boot", "--mode long needs a GUEST file", "--boot");
	run(&r, "--mode", "real", "--boot", "x.img", NULL);
	expect_run(&r, "--mode real with --boot");
	run(&r, "-e", "10000:0", NULL);
	expect_error(&r, "-e 10000:0", "invalid entry point '10000:0'", NULL);
	run(&r, "-m", "64K", "-e", "1000:0", NULL);
	expect_error(&r, "-m 64K -e 1000:0 (entry at the end of RAM)",
		     "invalid entry point '1000:0000'", "past the end of guest RAM");
	run(&r, "-m", "64K", "-e", "0fff:000f", NULL);
	expect_run(&r, "-m 64K -e 0fff:000f (last byte of RAM)");
}

static void test_reg_option(void)
{
	struct opts_run r;
	const char *args[MAX_ARGS];

	run(&r, "--reg", "al=1", "--reg=BH=0x2", "--reg", "ds=0x1234", NULL);
	expect_run(&r, "three --reg");
	if (CHECK_INT(r.cfg.nregs, 3, "three --reg give three assignments")) {
		CHECK(r.cfg.regs[0].reg && strcmp(r.cfg.regs[0].reg->name, "al") == 0 &&
		      r.cfg.regs[0].value == 1, "first assignment al=1");
		CHECK(r.cfg.regs[1].reg && strcmp(r.cfg.regs[1].reg->name, "bh") == 0 &&
		      r.cfg.regs[1].value == 2, "second assignment bh=2");
		CHECK(r.cfg.regs[2].reg && strcmp(r.cfg.regs[2].reg->name, "ds") == 0 &&
		      r.cfg.regs[2].value == 0x1234, "third assignment ds=0x1234");
	}

	run(&r, "--reg", "xx=1", NULL);
	expect_error(&r, "--reg xx=1", "'xx=1'", "unknown register");
	run(&r, "--reg", "al=256", NULL);
	expect_error(&r, "--reg al=256", "'al=256'", "does not fit");
	run(&r, "--reg", "al", NULL);
	expect_error(&r, "--reg al", "'al'", "NAME=VALUE");
	run(&r, "--reg", "al=zz", NULL);
	expect_error(&r, "--reg al=zz", "'al=zz'", NULL);

	for (int i = 0; i < MAX_REG_ASSIGNS; i++)
		args[i] = "--reg=al=1";
	run_argv(&r, MAX_REG_ASSIGNS, args);
	expect_run(&r, "32 --reg options");
	CHECK_INT(r.cfg.nregs, MAX_REG_ASSIGNS, "32 --reg options are all kept");
	args[MAX_REG_ASSIGNS] = "--reg=bl=2";
	run_argv(&r, MAX_REG_ASSIGNS + 1, args);
	expect_error(&r, "33 --reg options", "'bl=2'", "too many --reg options");
}

static void test_other_options(void)
{
	struct opts_run r;

	run(&r, "--timeout", "0.5", NULL);
	expect_run(&r, "--timeout 0.5");
	CHECK(r.cfg.timeout_sec == 0.5, "--timeout 0.5 is half a second");
	run(&r, "-t", "2", NULL);
	expect_run(&r, "-t 2");
	CHECK(r.cfg.timeout_sec == 2.0, "-t 2 is two seconds");
	run(&r, "--timeout", "0", NULL);
	expect_error(&r, "--timeout 0", "invalid timeout '0'", NULL);
	run(&r, "-t", "1e3", NULL);
	expect_error(&r, "-t 1e3", "invalid timeout '1e3'", NULL);

	run(&r, "-s", "--record", NULL);
	expect_run(&r, "-s --record");
	CHECK(r.cfg.record && r.cfg.record_limit == 256ULL << 20,
	      "--record: on, with a 256 MiB history by default");
	run(&r, "-s", "--record", "--record-limit", "1M", NULL);
	expect_run(&r, "--record-limit 1M");
	CHECK(r.cfg.record_limit == 1ULL << 20, "--record-limit 1M is 1048576 bytes");
	run(&r, "--record", NULL);
	expect_error(&r, "--record without gdb", "--record", "-s, --gdb or --gdb-batch");
	run(&r, "-s", "--record-limit", "1K", NULL);
	expect_error(&r, "--record-limit 1K", "invalid record limit '1K'", "64K");
	run(&r, "-s", "--record-limit", "lots", NULL);
	expect_error(&r, "--record-limit lots", "invalid record limit 'lots'", NULL);

	run(&r, "--trace", NULL);
	expect_run(&r, "--trace");
	CHECK(r.cfg.trace, "--trace turns tracing on");

	run(&r, "--kvm-device", "/tmp/no-kvm", NULL);
	expect_run(&r, "--kvm-device /tmp/no-kvm");
	CHECK_STR(r.cfg.kvm_device, "/tmp/no-kvm", "--kvm-device sets the device path");

	run(&r, NULL);
	CHECK(r.cfg.debugcon_path == NULL, "the debug console goes to stdout by default");
	run(&r, "--debugcon", "e9.log", NULL);
	expect_run(&r, "--debugcon e9.log");
	CHECK_STR(r.cfg.debugcon_path, "e9.log", "--debugcon names the file (opened later)");
	run(&r, "--debugcon", NULL);
	expect_error(&r, "--debugcon without a value", "needs a value", NULL);

	run(&r, "g.bin", "-m", "2M", NULL);
	expect_run(&r, "options after GUEST");
	CHECK_STR(r.cfg.guest_path, "g.bin", "GUEST before the options is still the guest");
	CHECK_HEX(r.cfg.mem_size, 2 << 20, "options after GUEST still apply");

	run(&r, "--", "-odd.bin", NULL);
	expect_run(&r, "-- -odd.bin");
	CHECK_STR(r.cfg.guest_path, "-odd.bin", "after --, a dash name is the guest");
}

static void test_bad_command_lines(void)
{
	struct opts_run r;

	run(&r, "--bogus", NULL);
	expect_error(&r, "--bogus", "unknown option '--bogus'", NULL);
	run(&r, "-x", NULL);
	expect_error(&r, "-x", "unknown option '-x'", NULL);
	run(&r, "-m", NULL);
	expect_error(&r, "-m without a value", "option '-m' needs a value", NULL);
	run(&r, "--memory", NULL);
	expect_error(&r, "--memory without a value", "option '--memory' needs a value", NULL);
	run(&r, "--reg", NULL);
	expect_error(&r, "--reg without a value", "option '--reg' needs a value", NULL);
	run(&r, "a.bin", "b.bin", NULL);
	expect_error(&r, "two GUEST arguments", "unexpected argument 'b.bin'",
		     "only one GUEST");
	run(&r, "a.bin", "--trace", "b.bin", NULL);
	expect_error(&r, "two GUEST arguments around an option", "'b.bin'", NULL);

	/* A value given to an option that takes none: getopt_long reports it
	 * as '?' with optopt set to the option's value (OPT_TRACE = 257). */
	run(&r, "--trace=1", NULL);
	expect_error(&r, "--trace=1 (value for a flag)", "--trace", NULL);
	run(&r, "--version=1", NULL);
	CHECK_STR(result_name(r.res), "OPTIONS_ERROR", "--version=1: rejected");
	CHECK_CONTAINS(r.err, "--version", "--version=1: message names --version");
}

static void test_help_version(void)
{
	struct opts_run r;

	run(&r, "--help", NULL);
	CHECK_STR(result_name(r.res), "OPTIONS_EXIT_OK", "--help: exit OK");
	CHECK_STR(r.err, "", "--help: nothing on err");
	CHECK(strncmp(r.out, "Usage: gdbvm", 12) == 0, "--help starts with the usage line");
	CHECK_CONTAINS(r.out, "Exit status", "--help has the exit status section");
	CHECK_CONTAINS(r.out, "    0  the guest halted", "--help status table: 0");
	CHECK_CONTAINS(r.out, "    2  bad command line", "--help status table: 2");
	CHECK_CONTAINS(r.out, "   16  the guest was still running when --timeout expired",
		       "--help status table: 16");
	CHECK_CONTAINS(r.out, "   20  KVM_RUN", "--help status table: 20");
	CHECK_CONTAINS(r.out, "  odd  the guest wrote V to the exit port 0xf4",
		       "--help status table: odd statuses");
	CHECK_CONTAINS(r.out, "--kvm-device", "--help lists --kvm-device");

	run(&r, "-h", "--bogus", NULL);
	CHECK_STR(result_name(r.res), "OPTIONS_EXIT_OK", "-h before a bad option: exit OK");
	CHECK_CONTAINS(r.out, "Exit status", "-h prints the help");

	run(&r, "--version", NULL);
	CHECK_STR(result_name(r.res), "OPTIONS_EXIT_OK", "--version: exit OK");
	CHECK_STR(r.out, "gdbvm " GDBVM_VERSION "\n", "--version prints the version");
	CHECK_STR(r.err, "", "--version: nothing on err");
	run(&r, "-V", NULL);
	CHECK_STR(r.out, "gdbvm " GDBVM_VERSION "\n", "-V prints the version");
}

/*
 * glibc keeps its position inside a group of short options ("-xV") across
 * calls unless optind is set to 0; options_parse must do so, or a parse that
 * stopped inside a group leaks into the next one.
 */
static void test_reparse_after_group(void)
{
	static const char *const args1[] = { "-xV" }, *const args2[] = { "guest.bin" };
	struct opts_run first, second;

	parse_argv(&first, 1, args1, true);
	expect_error(&first, "-xV", "unknown option '-x'", NULL);
	parse_argv(&second, 1, args2, false);
	CHECK_STR(result_name(second.res), "OPTIONS_RUN",
		  "a parse after one that stopped inside \"-xV\" is not affected by it");
	CHECK_STR(second.out, "", "the next parse does not act on the stale 'V' of \"-xV\"");
	CHECK_STR(second.cfg.guest_path, "guest.bin", "the next parse sees its own GUEST");
}

static void test_gdb_address(void)
{
	char host[64], port[8];

	CHECK_INT(parse_gdb_address("1234", host, sizeof(host), port, sizeof(port)), 0, "PORT alone");
	CHECK_STR(host, "127.0.0.1", "PORT alone listens on loopback");
	CHECK_STR(port, "1234", "PORT alone: the port");
	CHECK_INT(parse_gdb_address("0.0.0.0:0", host, sizeof(host), port, sizeof(port)), 0,
		  "HOST:0");
	CHECK_STR(host, "0.0.0.0", "HOST:PORT: the host");
	CHECK_STR(port, "0", "port 0 kept (a free port)");
	CHECK_INT(parse_gdb_address("[::1]:99", host, sizeof(host), port, sizeof(port)), 0,
		  "[IPv6]:PORT");
	CHECK_STR(host, "::1", "brackets removed from an IPv6 host");
	CHECK_INT(parse_gdb_address("65536", host, sizeof(host), port, sizeof(port)), -ERANGE,
		  "port 65536 out of range");
	CHECK_INT(parse_gdb_address(":1", host, sizeof(host), port, sizeof(port)), -EINVAL,
		  "empty host rejected");
	CHECK_INT(parse_gdb_address("h:", host, sizeof(host), port, sizeof(port)), -EINVAL,
		  "empty port rejected");
	CHECK_INT(parse_gdb_address("h:x", host, sizeof(host), port, sizeof(port)), -EINVAL,
		  "port that is not a number rejected");
	CHECK_INT(parse_gdb_address("[:1]]:5", host, sizeof(host), port, sizeof(port)), -EINVAL,
		  "stray brackets rejected");
}

/* --screen's styles and --screenshot. */
static void test_screen_options(void)
{
	struct opts_run r;

	run(&r, "--screen", NULL);
	expect_run(&r, "--screen");
	CHECK_INT(r.cfg.screen, SCREEN_AUTO, "--screen alone is auto");
	run(&r, "--screen=ansi", NULL);
	CHECK_INT(r.cfg.screen, SCREEN_ANSI, "--screen=ansi");
	run(&r, "--screen=plain", NULL);
	CHECK_INT(r.cfg.screen, SCREEN_PLAIN, "--screen=plain");
	run(&r, "--screen=auto", NULL);
	CHECK_INT(r.cfg.screen, SCREEN_AUTO, "--screen=auto");
	run(&r, NULL);
	CHECK_INT(r.cfg.screen, SCREEN_OFF, "no --screen");
	run(&r, "--screen=colour", NULL);
	expect_error(&r, "--screen=colour", "invalid --screen style 'colour'", "ansi, plain or auto");
	run(&r, "--boot", "x.img", "--screenshot", "s.png", NULL);
	expect_run(&r, "--boot with --screenshot");
	CHECK_STR(r.cfg.screenshot, "s.png", "--screenshot FILE is kept");
	run(&r, "--screenshot", "s.png", NULL);
	expect_error(&r, "--screenshot without --boot", "--screenshot applies to --boot only", NULL);
	run(&r, "--boot", "x.img", "--screenshot", NULL);
	expect_error(&r, "--screenshot without a file", "needs a value", NULL);
}

/* --append and --module (Multiboot kernels, docs/multiboot.md). */
static void test_multiboot_options(void)
{
	const char *args[2 * MAX_MODULES + 4];
	struct opts_run r;
	int n = 0;

	run(&r, "--append", "a b", "--module", "m1", "--module", "m2,x,y", "k.elf", NULL);
	expect_run(&r, "--append and two --module");
	CHECK_STR(r.cfg.append, "a b", "--append STRING is kept");
	CHECK_INT(r.cfg.nmodules, 2, "both modules are kept");
	CHECK_STR(r.cfg.modules[1], "m2,x,y", "a module's FILE,STRING is kept whole, in order");
	CHECK(!r.cfg.mem_given, "-m not given is recorded");
	run(&r, "-m", "8M", "k.elf", NULL);
	CHECK(r.cfg.mem_given, "-m given is recorded");
	run(&r, "--append", "x", NULL);
	expect_error(&r, "--append without GUEST", "--append applies to a Multiboot kernel", NULL);
	run(&r, "--module", "m", "--boot", "x.img", NULL);
	expect_error(&r, "--module with --boot", "--module applies to a Multiboot kernel", NULL);
	run(&r, "--module", ",x", "k.elf", NULL);
	expect_error(&r, "--module without a file name", "invalid module ',x'", "FILE[,STRING]");
	for (int i = 0; i < MAX_MODULES; i++) {
		args[n++] = "--module";
		args[n++] = "m";
	}
	args[n++] = "k.elf";
	run_argv(&r, n, args);
	expect_run(&r, "16 modules");
	args[n - 1] = "--module";
	args[n++] = "m";
	args[n++] = "k.elf";
	run_argv(&r, n, args);
	expect_error(&r, "17 modules", "too many --module options (at most 16)", NULL);
}

/* --coverage, --coverage-counts and --symbols ELF[@OFFSET] (docs/coverage.md). */
static void test_coverage_options(void)
{
	const char *args[2 * MAX_SYMBOLS + 6];
	struct opts_run r;
	int n = 0;

	run(&r, NULL);
	CHECK(r.cfg.coverage == NULL && !r.cfg.coverage_counts && r.cfg.nsymbols == 0,
	      "default: no coverage");
	run(&r, "--coverage", "out.info", "g.elf", NULL);
	expect_run(&r, "--coverage FILE with an ELF GUEST");
	CHECK_STR(r.cfg.coverage, "out.info", "--coverage FILE is kept");
	CHECK(!r.cfg.coverage_counts, "hit/not-hit without --coverage-counts");
	run(&r, "--coverage", "o", "--coverage-counts", "--symbols", "a.elf",
	    "--symbols", "st@ge2.elf@0x8000", "--boot", "x.img", NULL);
	expect_run(&r, "--coverage-counts and two --symbols with --boot");
	CHECK(r.cfg.coverage_counts, "--coverage-counts is recorded");
	CHECK_INT(r.cfg.nsymbols, 2, "both --symbols are kept");
	CHECK_STR(r.cfg.symbols[0].path, "a.elf", "--symbols ELF: the file");
	CHECK_HEX(r.cfg.symbols[0].offset, 0, "--symbols ELF: offset 0");
	CHECK_STR(r.cfg.symbols[1].path, "st@ge2.elf", "--symbols ELF@OFFSET: the file up to the last @");
	CHECK_HEX(r.cfg.symbols[1].offset, 0x8000, "--symbols ELF@OFFSET: the offset");
	run(&r, "--coverage-counts", "g.elf", NULL);
	expect_error(&r, "--coverage-counts alone", "--coverage-counts applies to --coverage only",
		     NULL);
	run(&r, "--symbols", "s.elf", "g.bin", NULL);
	expect_error(&r, "--symbols alone", "--symbols applies to --coverage only", NULL);
	run(&r, "--coverage", "o", NULL);
	expect_error(&r, "--coverage with the demo", "--coverage needs the guest's line table",
		     "--symbols");
	run(&r, "--coverage", "", "g.elf", NULL);
	expect_error(&r, "--coverage with an empty name", "invalid --coverage file", NULL);
	run(&r, "--coverage", "o", "--symbols", "s.elf@12z", "g.bin", NULL);
	expect_error(&r, "--symbols with a bad offset", "invalid --symbols 's.elf@12z'",
		     "ELF[@OFFSET]");
	run(&r, "--coverage", "o", "--symbols", "s.elf@0x10000000000000000", "g.bin", NULL);
	expect_error(&r, "--symbols with an offset too large", "offset out of range", NULL);
	run(&r, "--coverage", "o", "--symbols", "@0x100", "g.bin", NULL);
	expect_error(&r, "--symbols with no file", "invalid --symbols '@0x100'", NULL);
	run(&r, "--coverage", NULL);
	expect_error(&r, "--coverage without a file", "needs a value", NULL);
	args[n++] = "--coverage";
	args[n++] = "o";
	for (int i = 0; i < MAX_SYMBOLS; i++) {
		args[n++] = "--symbols";
		args[n++] = "s.elf";
	}
	args[n++] = "g.bin";
	run_argv(&r, n, args);
	expect_run(&r, "16 --symbols");
	args[n - 1] = "--symbols";
	args[n++] = "s.elf";
	args[n++] = "g.bin";
	run_argv(&r, n, args);
	expect_error(&r, "17 --symbols", "too many --symbols options (at most 16)", NULL);
	run(&r, "--help", NULL);
	CHECK_CONTAINS(r.out, "--coverage FILE", "--help lists --coverage");
	CHECK_CONTAINS(r.out, "--coverage-counts", "--help lists --coverage-counts");
	CHECK_CONTAINS(r.out, "--symbols ELF[@OFFSET]", "--help lists --symbols");
}

void test_options(void)
{
	tap_suite("options");
	test_defaults();
	test_memory_option();
	test_load_and_entry();
	test_reg_option();
	test_other_options();
	test_bad_command_lines();
	test_help_version();
	test_reparse_after_group();
	test_gdb_address();
	test_screen_options();
	test_multiboot_options();
	test_coverage_options();
}
