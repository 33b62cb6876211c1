# tests/fuzz/fuzz.mk - the libFuzzer target for the gdb stub; included by
# the top Makefile (after BUILD and CFLAGS_COMMON are set).  Always built
# with clang, into $(BUILD)/fuzz/.
#
#   make fuzz-build   build $(BUILD)/fuzz/fuzz_rsp and the seed recorder
#   make fuzz         fuzz for FUZZ_TIME seconds (default 600) from the seed
#                     corpus; new inputs go to $(BUILD)/fuzz/corpus-new,
#                     crashes to $(BUILD)/fuzz/artifacts/
#   make fuzz-smoke   the same for FUZZ_SMOKE_TIME seconds (default 60), from
#                     an empty scratch corpus each time: for CI
#   make fuzz-seeds   re-record tests/fuzz/corpus/{gdb,lldb}-* from real gdb
#                     and LLDB sessions (tests/fuzz/record-seeds.sh)
#   make fuzz-dwarf   fuzz the DWARF line-table reader for FUZZ_TIME seconds
#                     from the guests' ELF files; fuzz-smoke runs it too, for
#                     FUZZ_DWARF_SMOKE_TIME seconds (default 30)
#
# FUZZ_ARGS adds libFuzzer options, e.g. FUZZ_ARGS=-jobs=2.

FUZZ_CC         ?= clang
FUZZ_TIME       ?= 600
FUZZ_SMOKE_TIME ?= 60
FUZZ_ARGS       ?=

FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_BIN     := $(FUZZ_DIR)/fuzz_rsp
FUZZ_REC     := $(FUZZ_DIR)/record_server
FUZZ_CORPUS  := tests/fuzz/corpus
FUZZ_STUB    := $(wildcard gdbstub/*.c)
FUZZ_SAN     := -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_CFLAGS   = $(CFLAGS_COMMON) $(FUZZ_SAN) -Igdbstub -Itests/unit
FUZZ_OPTS     = -dict=tests/fuzz/rsp.dict -timeout=10 -print_final_stats=1 \
                -artifact_prefix=$(FUZZ_DIR)/artifacts/ $(FUZZ_ARGS)

# libFuzzer-instrumented objects (lf/) and plain ASan + UBSan ones (rec/).
# The toy machine is not instrumented for coverage: the stub is the target,
# and the machine's run loop would only slow it down.
FUZZ_OBJS := $(patsubst %.c,$(FUZZ_DIR)/lf/%.o,$(FUZZ_STUB) tests/fuzz/fuzz_rsp.c) \
             $(FUZZ_DIR)/rec/tests/unit/fake_target.o
FUZZ_REC_OBJS := $(patsubst %.c,$(FUZZ_DIR)/rec/%.o,$(FUZZ_STUB) tests/unit/fake_target.c \
                   tests/fuzz/record_server.c)

# The DWARF line-table reader (vmm/dwarf_line.c): its inputs are ELF files,
# its seeds the guests' ELF files, copied into $(FUZZ_DWARF_SEEDS).
FUZZ_DWARF_SMOKE_TIME ?= 30
FUZZ_DWARF_BIN   := $(FUZZ_DIR)/fuzz_dwarf
FUZZ_DWARF_SEEDS := $(FUZZ_DIR)/dwarf-seeds
FUZZ_DWARF_OBJS  := $(patsubst %.c,$(FUZZ_DIR)/lf/%.o,vmm/dwarf_line.c vmm/dwarf_read.c \
                      vmm/dwarf_elf.c vmm/dwarf_info.c tests/fuzz/fuzz_dwarf.c)
FUZZ_DWARF_OPTS   = -timeout=10 -print_final_stats=1 \
                    -artifact_prefix=$(FUZZ_DIR)/artifacts/dwarf- $(FUZZ_ARGS)

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-seeds fuzz-dwarf fuzz-dwarf-seeds

fuzz-build: $(FUZZ_BIN) $(FUZZ_REC) $(FUZZ_DWARF_BIN)

$(FUZZ_DWARF_BIN): $(FUZZ_DWARF_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^

# Each guest ELF under its path with / as _ (guests/echo.elf and
# guests/reverse/echo.elf are different files).
fuzz-dwarf-seeds: guests
	@mkdir -p $(FUZZ_DWARF_SEEDS)
	for f in $$(find guests -name '*.elf'); do \
	  cp "$$f" "$(FUZZ_DWARF_SEEDS)/$$(echo "$$f" | tr / _)" || exit 1; \
	done

fuzz-dwarf: $(FUZZ_DWARF_BIN) fuzz-dwarf-seeds
	@mkdir -p $(FUZZ_DIR)/dwarf-corpus-new $(FUZZ_DIR)/artifacts
	$(FUZZ_DWARF_BIN) $(FUZZ_DWARF_OPTS) -max_total_time=$(FUZZ_TIME) \
	  $(FUZZ_DIR)/dwarf-corpus-new $(FUZZ_DWARF_SEEDS)

$(FUZZ_BIN): $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^

$(FUZZ_REC): $(FUZZ_REC_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=address,undefined -o $@ $^ -pthread

$(FUZZ_DIR)/lf/%.o: %.c tests/fuzz/nocov.txt
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
	  -fsanitize-coverage-ignorelist=tests/fuzz/nocov.txt -c -o $@ $<

$(FUZZ_DIR)/rec/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=address,undefined -c -o $@ $<

fuzz: $(FUZZ_BIN)
	@mkdir -p $(FUZZ_DIR)/corpus-new $(FUZZ_DIR)/artifacts
	$(FUZZ_BIN) $(FUZZ_OPTS) -max_total_time=$(FUZZ_TIME) $(FUZZ_DIR)/corpus-new $(FUZZ_CORPUS)

fuzz-smoke: $(FUZZ_BIN) $(FUZZ_DWARF_BIN) fuzz-dwarf-seeds
	@rm -rf $(FUZZ_DIR)/smoke-corpus && mkdir -p $(FUZZ_DIR)/smoke-corpus $(FUZZ_DIR)/artifacts
	$(FUZZ_BIN) $(FUZZ_OPTS) -max_total_time=$(FUZZ_SMOKE_TIME) $(FUZZ_DIR)/smoke-corpus \
	  $(FUZZ_CORPUS)
	@rm -rf $(FUZZ_DIR)/dwarf-smoke-corpus && mkdir -p $(FUZZ_DIR)/dwarf-smoke-corpus
	$(FUZZ_DWARF_BIN) $(FUZZ_DWARF_OPTS) -max_total_time=$(FUZZ_DWARF_SMOKE_TIME) \
	  $(FUZZ_DIR)/dwarf-smoke-corpus $(FUZZ_DWARF_SEEDS)

fuzz-seeds: $(FUZZ_REC)
	tests/fuzz/record-seeds.sh $(FUZZ_REC) $(FUZZ_CORPUS)
