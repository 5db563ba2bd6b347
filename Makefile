# Makefile - builds ecoact, its tests, benchmarks and fuzzers. `make run` and `make test` first
# install whatever is missing (scripts/install-deps), so a fresh Debian 12 machine needs nothing else.
#   make build   release binary ./ecoact (-O2, hardened)
#   make debug   build/debug/ecoact with AddressSanitizer + UndefinedBehaviorSanitizer
#   make run     demo database in ./demo/, served on http://127.0.0.1:8080
#   make test    unit tests (Criterion), API tests on SQLite and PostgreSQL, browser tests
#   make deb     Debian 12 package build/deb/ecoact_VERSION_ARCH.deb (docs/operations.md)
#   make bench | soak | failover-drill | fuzz | clean

PKGS      := libevent libevent_pthreads jansson sqlite3 libpq libsodium xlsxwriter libzip expat pangocairo zlib libqrencode
CC        ?= cc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
WARN      := -std=c17 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral -D_GNU_SOURCE
INC       := -Isrc -Ibuild/gen
HARDEN    := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
REL_CFLAGS := $(WARN) $(INC) $(PKG_CFLAGS) -O2 -g $(HARDEN)
REL_LDFLAGS := -pie -Wl,-z,relro,-z,now
SAN       := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
DBG_CFLAGS := $(WARN) $(INC) $(PKG_CFLAGS) -O1 -g $(SAN) -DECOACT_FAULTS
DBG_LDFLAGS := $(SAN)

SRCS      := $(shell find src -name '*.c' | sort)
LIB_SRCS  := $(filter-out src/main.c,$(SRCS))
MIGR_SQLITE := $(sort $(wildcard src/store/migrations/sqlite/*.sql))
MIGR_PG     := $(sort $(wildcard src/store/migrations/pg/*.sql))
DATA_FILES  := $(sort $(wildcard data/units/*.json data/plans/*.json data/calendars/*.json))
GEN       := build/gen/embedded_migrations.c build/gen/embedded_data.c
UNIT_TESTS := $(patsubst tests/unit/%.c,build/debug/tests/%,$(wildcard tests/unit/test_*.c))
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CFLAGS := $(WARN) $(INC) $(PKG_CFLAGS) -O1 -g -DJW_CHECK_UTF8 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined

REL_OBJS  := $(patsubst src/%.c,build/release/%.o,$(SRCS)) $(patsubst build/gen/%.c,build/release/gen/%.o,$(GEN))
DBG_OBJS  := $(patsubst src/%.c,build/debug/%.o,$(SRCS)) $(patsubst build/gen/%.c,build/debug/gen/%.o,$(GEN))
DBG_LIB_OBJS := $(filter-out build/debug/main.o,$(DBG_OBJS))
REL_LIB_OBJS := $(filter-out build/release/main.o,$(REL_OBJS))
FUZZ_LIB_OBJS := $(patsubst src/%.c,build/fuzz/obj/%.o,$(LIB_SRCS)) $(patsubst build/gen/%.c,build/fuzz/obj/gen/%.o,$(GEN))

.PHONY: all build debug run test unit unit-build fuzz-build e2e api deps bench soak failover-drill fuzz clean web format deb
all: build

deps:
	@scripts/install-deps

build: ecoact
debug: build/debug/ecoact

ecoact: $(REL_OBJS)
	$(CC) $(REL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/debug/ecoact: $(DBG_OBJS)
	$(CC) $(DBG_LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/release/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -MMD -MP -c -o $@ $<

build/debug/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(DBG_CFLAGS) -MMD -MP -c -o $@ $<

build/release/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -c -o $@ $<

build/debug/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(DBG_CFLAGS) -c -o $@ $<

build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

build/gen/embedded_migrations.c: build/tools/embed $(MIGR_SQLITE) $(MIGR_PG)
	@mkdir -p $(dir $@)
	{ build/tools/embed embedded_migrations_sqlite $(MIGR_SQLITE); \
	  build/tools/embed embedded_migrations_pg $(MIGR_PG) | sed '1,3d'; } > $@.tmp && mv $@.tmp $@

build/gen/embedded_data.c: build/tools/embed $(DATA_FILES)
	@mkdir -p $(dir $@)
	build/tools/embed embedded_data $(DATA_FILES) > $@.tmp && mv $@.tmp $@

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

build/fuzz/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_OBJS)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJS) $(PKG_LIBS)

fuzz-build: $(FUZZ_TARGETS)

# bench/public's loader: the citizen service driven a million times, outside the server.
build/bench/public_register: bench/public_register.c $(REL_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) $(REL_LDFLAGS) -o $@ $< $(REL_LIB_OBJS) $(PKG_LIBS)

# bench/opinion's corpus generator and matcher run (issue 17 §6).
build/bench/opinion_match: bench/opinion_match.c build/release/opinion/opinion_match.o
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -o $@ $< build/release/opinion/opinion_match.o

build/debug/tests/%: tests/unit/%.c $(DBG_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(DBG_CFLAGS) -o $@ $< $(DBG_LIB_OBJS) $(DBG_LDFLAGS) $(PKG_LIBS) -lcriterion

# Console: built into web/dist when missing or older than its sources.
web:
	@if [ -x scripts/build-web ]; then scripts/build-web; fi

# Targets that build call make again after deps: on a fresh machine the pkg-config flags above
# are empty until install-deps has run, and a make reads them only when it starts.
run: deps
	@$(MAKE) --no-print-directory -j2 build
	@$(MAKE) --no-print-directory web
	@scripts/run-demo

# The Debian package (scripts/build-deb): release binary, console and portal, unit, conffiles.
deb: deps
	@$(MAKE) --no-print-directory -j2 build
	@$(MAKE) --no-print-directory web
	@scripts/build-deb

unit-build: $(UNIT_TESTS)

unit: $(UNIT_TESTS)
	@scripts/run-unit $(UNIT_TESTS)


test: deps
	@$(MAKE) --no-print-directory -j2 unit-build debug build fuzz-build
	@scripts/test-all

e2e: deps
	@$(MAKE) --no-print-directory -j2 debug
	@scripts/run-e2e

bench: deps
	@$(MAKE) --no-print-directory -j2 build
	@bench/run
	@bench/comply
	@$(MAKE) --no-print-directory web
	@bench/console
	@$(MAKE) --no-print-directory build/bench/public_register
	@bench/public

soak: deps
	@$(MAKE) --no-print-directory -j2 build
	@bench/soak

failover-drill: deps
	@$(MAKE) --no-print-directory -j2 build
	@ECOACT_BIN=$(CURDIR)/ecoact node bench/failover.mjs

fuzz: deps
	@tests/fuzz/run

format:
	clang-format -i $(SRCS) $(wildcard src/*/*.h src/*.h tests/unit/*.c tests/fuzz/*.c tools/*.c)

clean:
	rm -rf build ecoact test-output

-include $(shell find build -name '*.d' 2>/dev/null)
