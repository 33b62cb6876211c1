/*
 * machine.h - one virtual machine as gdbvm runs it: the KVM objects, guest
 * RAM, the I/O bus and its devices.  Plain data; run.c drives it.
 */
#ifndef GDBVM_MACHINE_H
#define GDBVM_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bios.h"
#include "cmos.h"
#include "debug.h"
#include "debugcon.h"
#include "display.h"
#include "exitport.h"
#include "guest_clock.h"
#include "i8042.h"
#include "kbd_input.h"
#include "irq.h"
#include "kvm.h"
#include "memory.h"
#include "mmio.h"
#include "outstream.h"
#include "pio.h"
#include "pit.h"
#include "record.h"
#include "uart.h"
#include "vga_crtc.h"

#define EXIT_REASON_MAX 64	/* exit reasons counted individually */

struct machine {
	struct kvm_vm kvm;
	struct guest_mem mem;
	struct pio_bus pio;
	struct mmio_unmapped mmio;
	struct out_stream out_stdout;	/* COM1's output, and the debug console's by default */
	struct out_stream out_file;	/* --debugcon FILE's stream (fd -1: none) */
	struct uart com1;
	struct debugcon debugcon;	/* port 0xe9 */
	struct exitport exitport;
	struct guest_clock clock;	/* guest time: stops while gdb holds the guest */
	struct pit pit;		/* ports 0x40-0x43 and 0x61 */
	struct cmos cmos;	/* ports 0x70-0x71 */
	struct i8042 kbd;	/* ports 0x60 and 0x64: the keyboard controller */
	struct kbd_input kbd_in;	/* stdin -> keys -> the keyboard */
	struct irq_state irq;	/* the PIC pair and interrupt delivery */
	struct vga_crtc crtc;	/* ports 0x3d4-0x3d5 and 0x3da */
	struct bios bios;	/* --boot: the built-in BIOS and its disk */
	FILE *trace;		/* --trace output, or NULL */
	struct display *display;	/* --display, or NULL */
	bool debugging;		/* a gdb stub owns the VM: breakpoints may be planted */
	volatile int interrupt_requested;	/* gdb asked the running vCPU to stop */
	struct debug_state debug;
	struct recorder rec;	/* the execution history (reverse debugging) */
	uint64_t record_limit;	/* the history's memory bound (--record-limit) */
	/* The registers where the last run stopped at a breakpoint, read by
	 * the HLT exit: valid until the vCPU runs or a register is written. */
	struct kvm_regs stop_regs;
	struct kvm_sregs stop_sregs;
	bool stop_regs_valid;
	uint64_t exit_counts[EXIT_REASON_MAX + 1];	/* the last counts all others */
};

#endif
