# gdbvm - a micro VMM on KVM with a GDB remote stub.
#
#   make            build ./gdbvm and the example guests (guests/*.bin)
#   make run        build, then run the built-in demo (prints 4)
#   make test       install test tools if missing, then run every test on the
#                   normal build and on an ASan + UBSan build
#   make fuzz       fuzz the gdb stub for FUZZ_TIME seconds (clang, libFuzzer;
#                   see tests/fuzz/fuzz.mk)
#   make bench      benchmarks against a minimal KVM program, QEMU,
#                   gdbserver and gdb's own ceiling; writes
#                   docs/performance.md (bench/bench.mk)
#   make install    install gdbvm into $(PREFIX)/bin
#   make clean      remove everything built

.DEFAULT_GOAL := all

CC       ?= cc
NASM     ?= nasm
LD       := ld
GUEST_LDFLAGS := -m elf_i386 -z noexecstack --no-warn-rwx-segments
OBJCOPY  := objcopy
GUEST_CC ?= gcc
PREFIX   ?= /usr/local
BUILD    := build

CFLAGS_COMMON := -std=gnu11 -Wall -Wextra -Werror -g -D_GNU_SOURCE -MMD -MP
CFLAGS_REL    := $(CFLAGS_COMMON) -O2 $(CFLAGS)
CFLAGS_SAN    := $(CFLAGS_COMMON) -O1 -fno-omit-frame-pointer \
                 -fsanitize=address,undefined -fno-sanitize-recover=all $(CFLAGS)
LDLIBS        := -lm -pthread

VMM_SRCS   := $(filter-out vmm/main.c,$(wildcard vmm/*.c)) $(wildcard gdbstub/*.c)
MAIN_SRCS  := vmm/main.c
UNIT_SRCS  := $(wildcard tests/unit/*.c)
GUEST_SRCS := $(wildcard guests/*.asm)
# Every guest is built as an ELF with symbols and DWARF line info (for gdb)
# and as the flat binary objcopy makes from it (what gdbvm loads fastest);
# cguest is the one written in C (guests/c/).
GUEST_ELFS := $(GUEST_SRCS:.asm=.elf) guests/cguest.elf
GUESTS     := $(GUEST_ELFS) $(GUEST_ELFS:.elf=.bin)
# Real-mode C: gcc -m16 emits 32-bit code with operand/address-size
# prefixes that runs in real mode with CS = DS = SS = 0.
GUEST_CFLAGS := -m16 -march=i386 -ffreestanding -nostdlib -fno-pic -fno-pie \
                -fno-stack-protector -fcf-protection=none -fno-asynchronous-unwind-tables \
                -mno-sse -mno-mmx -mno-80387 -O0 -g -Wall -Wextra -Werror

REL_VMM_OBJS  := $(VMM_SRCS:%.c=$(BUILD)/rel/%.o)
SAN_VMM_OBJS  := $(VMM_SRCS:%.c=$(BUILD)/san/%.o)

# ---- --boot: the built-in BIOS ROM and the boot-sector guests (docs/boot.md)
# bios/bios.asm is assembled at build time and embedded through .incbin
# (vmm/bios_rom.S), so gdbvm itself now needs nasm to build.
BIOS_BIN      := $(BUILD)/bios/bios.bin
BIOS_ROM_OBJ  := $(BUILD)/bios/bios_rom.o
REL_VMM_OBJS  += $(BIOS_ROM_OBJ)
SAN_VMM_OBJS  += $(BIOS_ROM_OBJ)
BOOT_IMGS     := $(patsubst %.asm,%.img,$(wildcard guests/boot/*.asm))
GUESTS        += $(BOOT_IMGS)

$(BIOS_BIN): bios/bios.asm
	$(NEED_NASM)
	@mkdir -p $(dir $@)
	$(NASM) -f bin -o $@ $<

$(BIOS_ROM_OBJ): vmm/bios_rom.S $(BIOS_BIN)
	$(CC) -c -DBIOS_ROM_BIN='"$(BIOS_BIN)"' -o $@ $<

guests/boot/%.img: guests/boot/%.asm $(wildcard guests/boot/*.inc)
	$(NEED_NASM)
	$(NASM) -f bin -I guests/boot/ -o $@ $<

# guests/display/: boot sectors for --display's tests (tests/e2e/test_display.sh)
DISPLAY_IMGS  := $(patsubst %.asm,%.img,$(wildcard guests/display/*.asm))
GUESTS        += $(DISPLAY_IMGS)

guests/display/%.img: guests/display/%.asm
	$(NEED_NASM)
	$(NASM) -f bin -o $@ $<
# ---- end of --boot

# ---- guests/paging/*.asm: guests whose page tables change under the
# debugger (docs/gdb.md, tests/e2e/test_paging_gdb.sh), linked at 0x1000 by
# guests/modes/modes.ld: the ELF has the symbols, the .bin is what runs.
PAGING_GUESTS := $(patsubst %.asm,%,$(wildcard guests/paging/*.asm))
GUESTS        += $(PAGING_GUESTS:=.elf) $(PAGING_GUESTS:=.bin)

$(BUILD)/guests/paging/%.o: guests/paging/%.asm
	$(NEED_NASM)
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -g -F dwarf -o $@ $<

guests/paging/%.elf: $(BUILD)/guests/paging/%.o guests/modes/modes.ld
	$(LD) -m elf_i386 --defsym=LOAD_ADDR=0x1000 -T guests/modes/modes.ld -o $@ $<

guests/paging/%.bin: guests/paging/%.elf
	objcopy -O binary $< $@

# ---- guests for the other CPU modes (docs/modes.md)
# guests/modes/*.asm: pm32 (32-bit protected mode, linked at 1 MiB), lm64
# (64-bit long mode, an ELF64) and switch (real mode climbing to long mode
# by itself), each linked at its own address by guests/modes/modes.ld.
# guests/c64/: an ELF64 guest in C, linked at 1 MiB, entered in long mode.
MODE_GUESTS := pm32 lm64 switch
MODE_NASM_pm32   := elf32
MODE_LD_pm32     := elf_i386
MODE_LOAD_pm32   := 0x100000
MODE_NASM_lm64   := elf64
MODE_LD_lm64     := elf_x86_64
MODE_LOAD_lm64   := 0x1000
MODE_NASM_switch := elf32
MODE_LD_switch   := elf_i386
MODE_LOAD_switch := 0x1000
GUESTS += $(foreach g,$(MODE_GUESTS),guests/modes/$(g).elf guests/modes/$(g).bin) \
          guests/c64.elf guests/c64.bin

$(BUILD)/guests/modes/%.o: guests/modes/%.asm guests/modes/print.inc
	$(NEED_NASM)
	@mkdir -p $(dir $@)
	$(NASM) -f $(MODE_NASM_$*) -g -F dwarf -I guests/modes/ -o $@ $<

guests/modes/%.elf: $(BUILD)/guests/modes/%.o guests/modes/modes.ld
	$(LD) -m $(MODE_LD_$*) -z noexecstack --no-warn-rwx-segments \
	  --defsym=LOAD_ADDR=$(MODE_LOAD_$*) -T guests/modes/modes.ld -o $@ $<

C64_CFLAGS := -m64 -ffreestanding -mno-red-zone -fno-pic -fno-pie -nostdlib \
              -fno-stack-protector -fcf-protection=none -fno-asynchronous-unwind-tables \
              -mgeneral-regs-only -O0 -g -Wall -Wextra -Werror
C64_OBJS := $(BUILD)/guests/c64/start.o \
            $(patsubst guests/c64/%.c,$(BUILD)/guests/c64/%.o,$(wildcard guests/c64/*.c))

$(BUILD)/guests/c64/start.o: guests/c64/start.asm
	$(NEED_NASM)
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -g -F dwarf -o $@ $<

$(BUILD)/guests/c64/%.o: guests/c64/%.c $(wildcard guests/c64/*.h)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(C64_CFLAGS) -c -o $@ $<

guests/c64.elf: $(C64_OBJS) guests/c64/c64.ld
	$(LD) -m elf_x86_64 -z noexecstack --no-warn-rwx-segments -T guests/c64/c64.ld \
	  -o $@ $(C64_OBJS)
# ---- end of the other CPU modes
# ---- guests that leave real mode themselves and take interrupts and
# exceptions through their own IDT (guests/idt/; docs/modes.md)
IDT_GUEST_ELFS := $(patsubst %.asm,%.elf,$(wildcard guests/idt/*.asm))
GUESTS         += $(IDT_GUEST_ELFS) $(IDT_GUEST_ELFS:.elf=.bin)

$(BUILD)/guests/idt/%.o: guests/idt/%.asm guests/idt/idt.inc
	$(NEED_NASM)
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -g -F dwarf -I guests/idt/ -o $@ $<

guests/idt/%.elf: $(BUILD)/guests/idt/%.o guests/guest.ld
	$(LD) $(GUEST_LDFLAGS) -T guests/guest.ld -o $@ $<
# ---- end of the IDT guests
# ---- guests for reverse debugging (guests/reverse/, tests/e2e/test_reverse_kvm.sh):
# ELF guests at 0x1000 with their flat binaries (the generic guests/%.elf
# and guests/%.bin rules build them), and overwrite, a boot sector linked
# at 0x7c00 whose flat image is the disk image (docs/gdb.md's tutorial).
REVERSE_ELFS := $(patsubst %.asm,%.elf,$(filter-out guests/reverse/overwrite.asm,\
                  $(wildcard guests/reverse/*.asm)))
GUESTS       += $(REVERSE_ELFS) $(REVERSE_ELFS:.elf=.bin) \
                guests/reverse/overwrite.elf guests/reverse/overwrite.img

guests/reverse/overwrite.elf: $(BUILD)/guests/reverse/overwrite.o guests/modes/modes.ld
	$(LD) $(GUEST_LDFLAGS) --defsym=LOAD_ADDR=0x7c00 -T guests/modes/modes.ld -o $@ $<

guests/reverse/overwrite.img: guests/reverse/overwrite.elf
	$(OBJCOPY) -O binary $< $@
# ---- end of the reverse debugging guests

.PHONY: all run guests test unit-test deps install clean
.SECONDARY:

all: gdbvm guests

gdbvm: $(REL_VMM_OBJS) $(BUILD)/rel/vmm/main.o
	$(CC) $(CFLAGS_REL) -o $@ $^ $(LDLIBS)

$(BUILD)/san/gdbvm: $(SAN_VMM_OBJS) $(BUILD)/san/vmm/main.o
	$(CC) $(CFLAGS_SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/rel/unit-tests: $(REL_VMM_OBJS) $(UNIT_SRCS:%.c=$(BUILD)/rel/%.o)
	$(CC) $(CFLAGS_REL) -o $@ $^ $(LDLIBS)

$(BUILD)/san/unit-tests: $(SAN_VMM_OBJS) $(UNIT_SRCS:%.c=$(BUILD)/san/%.o)
	$(CC) $(CFLAGS_SAN) -o $@ $^ $(LDLIBS)

# The toy machine (tests/unit/fake_target.c) served to one real gdb by the
# real stub: tests/e2e/test_reverse.sh drives gdb's reverse execution with it.
$(BUILD)/rel/record_server: $(patsubst %.c,$(BUILD)/rel/%.o,$(wildcard gdbstub/*.c)) \
                            $(BUILD)/rel/tests/unit/fake_target.o \
                            $(BUILD)/rel/tests/fuzz/record_server.o
	$(CC) $(CFLAGS_REL) -o $@ $^ $(LDLIBS)

$(BUILD)/rel/tests/fuzz/record_server.o: CFLAGS_REL += -Itests/unit

# dwarf-lines: prints what vmm/dwarf_line.c reads (tests/e2e/test_dwarf_lines.sh)
DWARF_LINE_SRCS := vmm/dwarf_line.c vmm/dwarf_read.c vmm/dwarf_elf.c vmm/dwarf_info.c \
                   tests/tools/dwarf_lines.c

$(BUILD)/rel/dwarf-lines: $(DWARF_LINE_SRCS:%.c=$(BUILD)/rel/%.o)
	$(CC) $(CFLAGS_REL) -o $@ $^

$(BUILD)/san/dwarf-lines: $(DWARF_LINE_SRCS:%.c=$(BUILD)/san/%.o)
	$(CC) $(CFLAGS_SAN) -o $@ $^

$(BUILD)/rel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) -Ivmm -Igdbstub -c -o $@ $<

$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) -Ivmm -Igdbstub -c -o $@ $<

guests: $(GUESTS)

# nasm assembles the built-in BIOS and the guests: installed through
# apt-get when missing (tests/install-deps.sh build).
NEED_NASM = @command -v $(NASM) >/dev/null || tests/install-deps.sh build

$(BUILD)/guests/%.o: guests/%.asm $(wildcard guests/*.inc)
	$(NEED_NASM)
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -g -F dwarf -I guests/ -o $@ $<

guests/%.elf: $(BUILD)/guests/%.o guests/guest.ld
	$(LD) $(GUEST_LDFLAGS) -T guests/guest.ld -o $@ $<

$(BUILD)/guests/c/start.o: guests/c/start.asm
	$(NEED_NASM)
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -g -F dwarf -o $@ $<

$(BUILD)/guests/c/%.o: guests/c/%.c $(wildcard guests/c/*.h)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

CGUEST_OBJS := $(BUILD)/guests/c/start.o \
               $(patsubst guests/c/%.c,$(BUILD)/guests/c/%.o,$(wildcard guests/c/*.c))

guests/cguest.elf: $(CGUEST_OBJS) guests/c/cguest.ld
	$(LD) $(GUEST_LDFLAGS) -T guests/c/cguest.ld -o $@ $(CGUEST_OBJS)


guests/%.bin: guests/%.elf
	$(OBJCOPY) -O binary $< $@

# ---- the Multiboot kernels in C (guests/mboot/, docs/multiboot.md): 32-bit
# code at 1 MiB, booted the way GRUB and qemu -kernel boot them.
MBOOT_CFLAGS := -m32 -march=i386 -ffreestanding -nostdlib -fno-pic -fno-pie \
                -fno-stack-protector -fcf-protection=none -fno-asynchronous-unwind-tables \
                -mno-sse -mno-mmx -mno-80387 -O2 -g -Wall -Wextra -Werror
MBOOT_OBJS   := $(BUILD)/guests/mboot/start.o $(BUILD)/guests/mboot/kernel.o \
                $(BUILD)/guests/mboot/console.o
MBOOT2_OBJS  := $(BUILD)/guests/mboot/start2.o $(BUILD)/guests/mboot/kernel2.o \
                $(BUILD)/guests/mboot/console.o
GUESTS       += guests/mboot.elf guests/mboot2.elf
# (The guests rule above was read before these were added: name them again.)
guests: guests/mboot.elf guests/mboot2.elf

$(BUILD)/guests/mboot/%.o: guests/mboot/%.asm
	$(NEED_NASM)
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -g -F dwarf -o $@ $<

$(BUILD)/guests/mboot/%.o: guests/mboot/%.c guests/mboot/console.h
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(MBOOT_CFLAGS) -c -o $@ $<

guests/mboot.elf: $(MBOOT_OBJS) guests/mboot/mboot.ld
	$(LD) $(GUEST_LDFLAGS) -T guests/mboot/mboot.ld -o $@ $(MBOOT_OBJS)

# The same at 1 MiB with a Multiboot 2 header instead.
guests/mboot2.elf: $(MBOOT2_OBJS) guests/mboot/mboot.ld
	$(LD) $(GUEST_LDFLAGS) -T guests/mboot/mboot.ld -o $@ $(MBOOT2_OBJS)
# ---- end of the Multiboot kernels

run: gdbvm
	./gdbvm

# Test tools: nasm to assemble guests.  Installed through apt-get when
# missing (as root, or with sudo).
deps:
	@tests/install-deps.sh

test: deps
	$(MAKE) all $(BUILD)/rel/unit-tests $(BUILD)/san/gdbvm $(BUILD)/san/unit-tests \
	  $(BUILD)/rel/record_server $(BUILD)/rel/dwarf-lines $(BUILD)/san/dwarf-lines
	@tests/run.sh release:./gdbvm:$(BUILD)/rel/unit-tests \
	  sanitizers:$(BUILD)/san/gdbvm:$(BUILD)/san/unit-tests

install: gdbvm
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 gdbvm $(DESTDIR)$(PREFIX)/bin/gdbvm

clean:
	rm -rf $(BUILD) gdbvm $(GUESTS)

include tests/fuzz/fuzz.mk
include bench/bench.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
