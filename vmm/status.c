/*
 * status.c - the human-readable table of exit statuses (see status.h).
 */
#include "status.h"

static const struct {
	int status;
	const char *meaning;
} status_table[] = {
	{ STATUS_HALTED, "the guest halted (HLT)" },
	{ STATUS_USAGE, "bad command line: unknown option or a value that does not parse" },
	{ STATUS_GUEST_FILE, "the guest image is missing, unreadable, empty, a bad ELF file or does not fit" },
	{ STATUS_KVM, "KVM is unavailable or a KVM set-up step failed" },
	{ STATUS_TRIPLE_FAULT, "the guest triple-faulted (KVM_EXIT_SHUTDOWN)" },
	{ STATUS_INTERNAL_ERROR, "KVM internal error, e.g. an instruction KVM cannot emulate" },
	{ STATUS_FAIL_ENTRY, "KVM could not enter the guest (KVM_EXIT_FAIL_ENTRY)" },
	{ STATUS_UNEXPECTED_EXIT, "the guest caused a VM exit gdbvm does not handle" },
	{ STATUS_TIMEOUT, "the guest was still running when --timeout expired" },
	{ STATUS_SIGNAL, "gdbvm was stopped by SIGINT or SIGTERM" },
	{ STATUS_RUN_ERROR, "KVM_RUN or another ioctl on the vCPU failed (the message names it)" },
	{ STATUS_GDB_KILLED, "gdb killed the VM (gdb's kill command)" },
	{ STATUS_GDB_SCRIPT, "--gdb-batch: gdb ran the script and exited with an error" },
	{ STATUS_GDB_SETUP, "cannot listen for gdb on the address given, or cannot start gdb" },
	{ STATUS_BIOS_CALL, "--boot: the guest made a BIOS call the built-in BIOS does not provide" },
	{ STATUS_RESET, "the guest reset the machine through the keyboard controller (gdbvm does not reboot)" },
	{ STATUS_DISPLAY_QUIT, "--display: the quit key (Ctrl-]) was pressed" },
	{ STATUS_COVERAGE, "--coverage: a line table is missing, bad or does not match the guest, or the report could not be written" },
};

void status_print_table(FILE *out)
{
	for (size_t i = 0; i < sizeof(status_table) / sizeof(status_table[0]); i++)
		fprintf(out, "  %3d  %s\n", status_table[i].status, status_table[i].meaning);
	fprintf(out, "  odd  the guest wrote V to the exit port 0xf4: status (V << 1) | 1, mod 256\n");
}
