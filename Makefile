# gdbvm - a micro VMM on KVM with a GDB remote stub.
#
#   make            build ./gdbvm and the example guests (guests/*.bin)
#   make run        build, then run the built-in demo (prints 4)
#   make test       install test tools if missing, then run every test on the
#                   normal build and on an ASan + UBSan build
#   make install    install gdbvm into $(PREFIX)/bin
#   make clean      remove everything built

CC       ?= cc
NASM     ?= nasm
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
GUESTS     := $(GUEST_SRCS:.asm=.bin)

REL_VMM_OBJS  := $(VMM_SRCS:%.c=$(BUILD)/rel/%.o)
SAN_VMM_OBJS  := $(VMM_SRCS:%.c=$(BUILD)/san/%.o)

.PHONY: all run guests test unit-test deps install clean

all: gdbvm guests

gdbvm: $(REL_VMM_OBJS) $(BUILD)/rel/vmm/main.o
	$(CC) $(CFLAGS_REL) -o $@ $^ $(LDLIBS)

$(BUILD)/san/gdbvm: $(SAN_VMM_OBJS) $(BUILD)/san/vmm/main.o
	$(CC) $(CFLAGS_SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/rel/unit-tests: $(REL_VMM_OBJS) $(UNIT_SRCS:%.c=$(BUILD)/rel/%.o)
	$(CC) $(CFLAGS_REL) -o $@ $^ $(LDLIBS)

$(BUILD)/san/unit-tests: $(SAN_VMM_OBJS) $(UNIT_SRCS:%.c=$(BUILD)/san/%.o)
	$(CC) $(CFLAGS_SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/rel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) -Ivmm -Igdbstub -c -o $@ $<

$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) -Ivmm -Igdbstub -c -o $@ $<

guests: $(GUESTS)

guests/%.bin: guests/%.asm $(wildcard guests/*.inc)
	@command -v $(NASM) >/dev/null || { \
	  echo "gdbvm: nasm is needed to build the guests: run 'make deps' or apt-get install nasm" >&2; \
	  exit 1; }
	$(NASM) -f bin -I guests/ -o $@ $<

run: gdbvm
	./gdbvm

# Test tools: nasm to assemble guests.  Installed through apt-get when
# missing (as root, or with sudo).
deps:
	@tests/install-deps.sh

test: deps
	$(MAKE) all $(BUILD)/rel/unit-tests $(BUILD)/san/gdbvm $(BUILD)/san/unit-tests
	@tests/run.sh release:./gdbvm:$(BUILD)/rel/unit-tests \
	  sanitizers:$(BUILD)/san/gdbvm:$(BUILD)/san/unit-tests

install: gdbvm
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 gdbvm $(DESTDIR)$(PREFIX)/bin/gdbvm

clean:
	rm -rf $(BUILD) gdbvm $(GUESTS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
