# SPDX-License-Identifier: MPL-2.0
# kommute build. `make` builds $(BUILD)/kommute (optimised); `make check` builds
# the tests and the binary with AddressSanitizer + UndefinedBehaviorSanitizer
# and runs them; `make bench` builds the benchmarks.
# Sources are found by wildcard: a new file in src/<module>/ needs no edit here.

CC ?= cc
PKGS_CFLAGS :=
LDLIBS := -ljansson -lsqlite3 -lpq -lz -lm -lpthread -lmicrohttpd
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
WARN := -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wshadow -Wno-unused-parameter
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc $(PQ_CFLAGS) $(WARN) -MMD -MP
ifeq ($(CI),true)
BASE_CFLAGS += -Werror
endif
OPT_CFLAGS := -O2 -g -march=x86-64-v2
SAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_SRC := $(sort $(wildcard src/*/*.c))
LIB_SRC := $(filter-out src/cli/% src/server/%,$(LIB_SRC))
CLI_SRC := $(sort $(wildcard src/cli/*.c src/server/*.c))
TEST_SRC := $(sort $(wildcard tests/*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))

BUILD ?= build
REL := $(BUILD)/release
SAN := $(BUILD)/asan

rel_obj = $(patsubst %.c,$(REL)/%.o,$(1))
san_obj = $(patsubst %.c,$(SAN)/%.o,$(1))

.PHONY: all check check-tsan test bench clean demo format format-check lint fuzz fuzz-long
all: $(BUILD)/kommute

$(REL)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(OPT_CFLAGS) $(CFLAGS) -c $< -o $@

$(SAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) $(CFLAGS) -c $< -o $@

$(REL)/libkommute.a: $(call rel_obj,$(LIB_SRC))
	@rm -f $@
	ar rcs $@ $^

$(SAN)/libkommute.a: $(call san_obj,$(LIB_SRC))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/kommute: $(call rel_obj,$(CLI_SRC)) $(REL)/libkommute.a
	$(CC) $(OPT_CFLAGS) -o $@ $^ $(LDLIBS)

$(SAN)/kommute: $(call san_obj,$(CLI_SRC)) $(SAN)/libkommute.a
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(LDLIBS)

$(SAN)/tests/run: $(call san_obj,$(TEST_SRC)) $(SAN)/libkommute.a
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(LDLIBS)

# Benchmarks: one program per bench/*.c, optimised.
BENCH_BIN := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
$(BUILD)/bench/%: $(REL)/bench/%.o $(REL)/libkommute.a
	@mkdir -p $(dir $@)
	$(CC) $(OPT_CFLAGS) -o $@ $^ $(LDLIBS)
bench: $(BENCH_BIN) $(BUILD)/kommute

# The whole test suite under ASan+UBSan; the runner's last line is "N passed, N failed, N skipped".
# scripts/pg-test.sh runs it against a throwaway PostgreSQL cluster (KMT_TEST_PG) when
# PostgreSQL is installed (bootstrap.sh --test), else the PostgreSQL tests skip.
check: $(SAN)/tests/run $(SAN)/kommute $(BUILD)/kommute
	KMT_BIN=$(CURDIR)/$(SAN)/kommute ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		bash scripts/pg-test.sh $(SAN)/tests/run $(TESTS)
test: check

# The tests under ThreadSanitizer (the solver's -t threads, the server's pool):
# make check-tsan TESTS=vrp_   (a separate build tree; not part of CI's run)
check-tsan:
	$(MAKE) BUILD=$(BUILD)/tsan SAN_CFLAGS="-O1 -g -fsanitize=thread -fno-omit-frame-pointer" check

demo: $(BUILD)/kommute
	bash scripts/demo.sh

# libFuzzer programs (clang): build/fuzz/fuzz_<target>; corpus in fuzz/corpus/<target>.
# The library and targets.c are compiled once (-fsanitize=fuzzer-no-link) into
# $(BUILD)/fuzz/obj; each program adds only its 10-line entry file.
FUZZ_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CC := clang -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc $(PQ_CFLAGS) -MMD -MP
FUZZ_LIB_SRC := $(filter-out src/cli/% src/server/%,$(LIB_SRC))
FUZZ_OBJ := $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FUZZ_LIB_SRC) fuzz/targets.c)
FUZZ_TARGETS := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
fuzz: $(addprefix $(BUILD)/fuzz/fuzz_,$(FUZZ_TARGETS))
$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(BUILD)/fuzz/libfuzzkmt.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c $(BUILD)/fuzz/libfuzzkmt.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# Each target for FUZZ_SECONDS (default 600) on its saved corpus, one after
# another (one process: the machine is shared), execs per target at the end.
# New inputs go to $(BUILD)/fuzz/new/<target> (merge the good ones by hand).
FUZZ_SECONDS ?= 600
fuzz-long: fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) BUILD=$(BUILD) sh fuzz/long.sh $(FUZZ_TARGETS)

# The tree is kept formatted with .clang-format: `make format` changes nothing on
# a clean checkout, and `make format-check` fails when a file is not formatted.
FORMAT_SRC := $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) $(BENCH_SRC) $(wildcard fuzz/*.c include/kommute/*.h src/*/*.h tests/*.h)
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC)

lint:
	cppcheck --quiet --enable=warning,performance,portability --std=c11 -Iinclude -Isrc src

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
