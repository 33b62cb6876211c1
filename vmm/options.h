/*
 * options.h - the command line, parsed and checked into a struct config.
 *
 * Parsing touches no file and no device, so every bad value is reported
 * before any VM exists.  Checks that need the guest file (its size) are the
 * loader's.
 */
#ifndef GDBVM_OPTIONS_H
#define GDBVM_OPTIONS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu_modes.h"
#include "regnames.h"

#define GDBVM_VERSION "0.1.0"

#define MEM_SIZE_DEFAULT	(UINT64_C(1) << 20)
/* Without -m, a guest that starts outside real mode gets as much RAM as
 * QEMU gives by default: kernels load at 1 MiB and look for memory above. */
#define MEM_SIZE_DEFAULT_WIDE	(UINT64_C(128) << 20)
#define MEM_SIZE_MIN		(UINT64_C(64) << 10)
#define MEM_SIZE_MAX		(UINT64_C(3) << 30)
/* --record-limit: the execution history's memory bound (record.h). */
#define RECORD_LIMIT_DEFAULT	(UINT64_C(256) << 20)
#define RECORD_LIMIT_MIN	(UINT64_C(64) << 10)
#define RECORD_LIMIT_MAX	(UINT64_C(1) << 40)
#define LOAD_ADDR_DEFAULT	UINT64_C(0x1000)
#define MAX_REG_ASSIGNS		32
#define MAX_MODULES		16	/* --module; MB_MAX_MODULES in multiboot.h */
#define MAX_SYMBOLS		16	/* --symbols */

/* --screen's forms: ANSI colours when stdout is a terminal, or always, or never. */
enum screen_style { SCREEN_OFF, SCREEN_AUTO, SCREEN_ANSI, SCREEN_PLAIN };

struct config {
	const char *guest_path;		/* NULL: run the built-in demo */
	const char *kvm_device;
	uint64_t mem_size;
	bool mem_given;			/* -m was given */
	uint64_t load_addr;
	bool load_given;		/* -l was given */
	uint16_t entry_seg, entry_off;
	bool entry_given;		/* -e was given */
	bool entry_is_linear;		/* -e ADDR rather than SEG:OFF */
	uint64_t entry_linear;		/* -e ADDR */
	enum cpu_mode mode;		/* how the guest starts (entry.h decides) */
	bool mode_given;		/* --mode was given */
	double timeout_sec;		/* 0: no timeout */
	bool trace;
	const char *debugcon_path;	/* --debugcon FILE: port 0xe9's output, or NULL (stdout) */
	struct reg_assign regs[MAX_REG_ASSIGNS];
	unsigned nregs;
	bool gdb;			/* serve the gdb remote protocol */
	char gdb_host[256];		/* numeric address or name */
	char gdb_port[8];		/* decimal; "0" picks a free port */
	bool start_stopped;		/* -S */
	const char *gdb_batch;		/* --gdb-batch SCRIPT, or NULL */
	const char *gdb_program;	/* gdb to run for --gdb-batch */
	bool guest_is_elf;		/* set once the guest is loaded, not by options */
	bool guest_is_elf64;		/* ... and it is an ELF64 file */
	/* --boot (docs/boot.md) */
	const char *boot_path;		/* --boot IMAGE, or NULL */
	int boot_drive;			/* --drive; -1: from the image's size */
	bool writable;			/* --writable: INT 13h writes reach the image */
	enum screen_style screen;	/* --screen[=STYLE]: print the text screen at the end */
	const char *screenshot;		/* --screenshot FILE: the graphics screen as PNG */
	bool display;			/* --display: the screen live in the terminal (docs/display.md) */
	/* Multiboot (docs/multiboot.md) */
	const char *append;		/* --append STRING, or NULL */
	const char *modules[MAX_MODULES];	/* --module FILE[,STRING] */
	unsigned nmodules;
	bool multiboot;			/* set once GUEST is found to be a Multiboot kernel */
	/* --coverage (docs/coverage.md) */
	const char *coverage;		/* --coverage FILE: the lcov tracefile, or NULL */
	bool coverage_counts;		/* --coverage-counts: count every run of a line */
	struct symbols_file {
		char path[PATH_MAX];	/* an ELF file with a line table */
		uint64_t offset;	/* added to its addresses: where its code runs */
	} symbols[MAX_SYMBOLS];		/* --symbols ELF[@OFFSET] */
	unsigned nsymbols;
	bool record;			/* --record: record while gdb is attached */
	uint64_t record_limit;		/* --record-limit SIZE */
	uint64_t record_selftest;	/* --record-selftest N (hidden): 0, or steps */
	uint64_t record_selftest_watch;	/* --record-selftest-watch ADDR (hidden) */
	bool record_selftest_watch_given;
	uint64_t record_bench;		/* --record-bench N (hidden): 0, or steps */
};

#define GDB_DEFAULT_HOST "127.0.0.1"
#define GDB_DEFAULT_PORT "1234"

/* Parse "[HOST:]PORT" ("[::1]:1234" for IPv6). 0 or -EINVAL / -ERANGE. */
int parse_gdb_address(const char *s, char *host, size_t hostlen, char *port, size_t portlen);

enum options_result {
	OPTIONS_RUN,	/* cfg is complete: run the guest */
	OPTIONS_EXIT_OK,	/* --help or --version was printed */
	OPTIONS_ERROR,	/* a message was printed to err */
};

/* Parse argv into cfg; help and version text go to out, errors to err. */
enum options_result options_parse(int argc, char **argv, struct config *cfg,
				  FILE *out, FILE *err);

/* Linear address CS:IP of the entry point. */
static inline uint64_t config_entry_linear(const struct config *cfg)
{
	return (uint64_t)cfg->entry_seg * 16 + cfg->entry_off;
}

/*
 * Set the entry point to the real-mode form of a linear address: 0000:ADDR
 * below 64K, else SEG:000X up to 1M.  -ERANGE beyond real-mode reach.
 */
int config_entry_from_linear(struct config *cfg, uint64_t linear);

/* False (after a message to err) when the entry point lies outside RAM. */
bool config_entry_check(const struct config *cfg, FILE *err);

#endif
