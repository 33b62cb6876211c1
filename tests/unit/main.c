/* main.c - runs every unit-test suite and checks no file descriptor was leaked. */
#include "helpers.h"
#include "suites.h"
#include "tap.h"

#include <signal.h>

int main(void)
{
	int fds_before, fds_after;

	/* The UART tests write into pipes with no reader: get EPIPE, not death. */
	signal(SIGPIPE, SIG_IGN);
	fds_before = count_open_fds();

	test_parse();
	test_regnames();
	test_options();
	test_memory();
	test_loader();
	test_elf();
	test_pio();
	test_uart();
	test_pit();
	test_exitport();
	test_debugcon();
	test_mmio();
	test_cpu();
	test_demo();
	test_gdb_codec();
	test_gdb_cmds();
	test_gdb_server();
	test_gdb_exec();
	test_gdb_views();
	test_gdb_reverse();
	test_disk();
	test_trap_copies();
	test_debug_table();
	test_cov_run();
	test_dirty_log();
	test_screen();
	test_stop();
	test_modes();
	test_multiboot();
	test_paging();
	test_delivery();
	test_vaddr();
	test_cmos();
	test_i8042();
	test_pic();
	test_display();
	test_vga_crtc();
	test_history();
	test_fpu_insn();
	test_dwarf_line();
	test_lcov();
	test_asm_data();

	tap_suite("descriptors");
	fds_after = count_open_fds();
	CHECK(fds_before > 0, "open descriptors can be counted (/proc/self/fd)");
	CHECK_INT(fds_after, fds_before, "no file descriptor left open by the tests");
	return tap_done();
}
