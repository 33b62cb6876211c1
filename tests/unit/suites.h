/* suites.h - one entry point per unit-test suite, called in turn by main.c. */
#ifndef GDBVM_TEST_SUITES_H
#define GDBVM_TEST_SUITES_H

void test_parse(void);
void test_regnames(void);
void test_options(void);
void test_memory(void);
void test_loader(void);
void test_elf(void);
void test_pio(void);
void test_uart(void);
void test_pit(void);
void test_exitport(void);
void test_debugcon(void);
void test_mmio(void);
void test_cpu(void);
void test_demo(void);
void test_gdb_codec(void);
void test_gdb_cmds(void);
void test_gdb_server(void);
void test_gdb_exec(void);
void test_gdb_views(void);
void test_gdb_reverse(void);
void test_disk(void);
void test_trap_copies(void);
void test_debug_table(void);
void test_cov_run(void);
void test_dirty_log(void);
void test_screen(void);
void test_stop(void);
void test_modes(void);
void test_multiboot(void);
void test_paging(void);
void test_delivery(void);
void test_vaddr(void);
void test_cmos(void);
void test_i8042(void);
void test_pic(void);
void test_display(void);
void test_vga_crtc(void);
void test_history(void);
void test_fpu_insn(void);
void test_dwarf_line(void);
void test_lcov(void);
void test_asm_data(void);

#endif
