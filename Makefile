# mlpipe — `make` builds every program into build/bin/.
# `make demo` and `make test` install missing Debian packages first (scripts/install-deps.sh).

BUILD   ?= build
SANITIZE ?= build-sanitize
FUZZ    ?= build-fuzz
FUZZ_SECONDS ?= 600
PREFIX  ?= /usr/local
DESTDIR ?=
JOBS    ?= $(shell nproc)
# Tests wait more than they compute (mpirun's start, servers, deadlines): twice as many run
# at once as there are CPUs keeps both busy.
TEST_JOBS ?= $(shell echo $$(( $(JOBS) * 2 )))
# Ninja when it is there (scripts/install-deps.sh installs it): it starts less and schedules the
# longest chains first. A tree configured before keeps its generator.
GENERATOR ?= $(if $(shell command -v ninja),-G Ninja)
# No "Entering directory" lines from the makes CMake's build runs.
MAKEFLAGS += --no-print-directory

.PHONY: all deps build test test-sanitizers test-asan fuzz fuzz-build test-fuzz-corpus demo bench bench-plots models install uninstall clean

all: build

deps:
	@bash scripts/install-deps.sh

# The release tree builds the programs and runs the golden, end-to-end and MPI tests; the unit
# tests are built and run once, under the sanitizers ($(SANITIZE)). UNIT_TESTS=ON adds them here.
UNIT_TESTS ?= OFF
$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Release -DMLPIPE_UNIT_TESTS=$(UNIT_TESTS) >/dev/null

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# Every test: command-line golden, end-to-end and MPI tests on the release build first (a
# failing golden shows within minutes), then one clang tree with AddressSanitizer +
# UndefinedBehaviorSanitizer (SANITIZE) that runs the unit tests and every fuzz target over
# its seed corpus and regressions. That tree compiles, at a lower priority, while the
# release tests run: they spend half their time waiting (mpirun, servers), the compiler uses
# it. Its log is $(SANITIZE)/build.log, shown when the build fails.
test: deps build $(SANITIZE)/CMakeCache.txt
	@echo "Building $(SANITIZE)/ (ASan+UBSan) while the release tests run"
	@( nice -n 10 cmake --build $(SANITIZE) -j $(JOBS) >$(SANITIZE)/build.log 2>&1; \
	   echo $$? >$(SANITIZE)/build.status ) & \
	status=0; (cd $(BUILD) && ctest --output-on-failure -j $(TEST_JOBS)) || status=$$?; \
	wait; \
	if [ "$$(cat $(SANITIZE)/build.status)" != 0 ]; then cat $(SANITIZE)/build.log; exit 1; fi; \
	grep -A3 -E 'warning:|error:' $(SANITIZE)/build.log || true; \
	exit $$status
	@$(MAKE) --no-print-directory test-sanitizers

# The sanitizer tree alone: unit tests and fuzz corpora under ASan + UBSan ($(SANITIZE)/).
test-sanitizers: deps $(SANITIZE)/CMakeCache.txt
	cmake --build $(SANITIZE) -j $(JOBS)
	cd $(SANITIZE) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(TEST_JOBS)

# Older names of parts of it.
test-asan test-fuzz-corpus: test-sanitizers

# The clang trees of the unit tests and the libFuzzer targets of fuzz/ (ASan + UBSan): make
# test's at -O0, which compiles in half the time and runs its few seconds of tests a little
# slower, and make fuzz's at -O1, which fuzzes several times faster.
$(SANITIZE)/CMakeCache.txt:
	cmake -S . -B $(SANITIZE) $(GENERATOR) -DMLPIPE_FUZZ=ON -DMLPIPE_SANITIZER_OPT=0 \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null

$(FUZZ)/CMakeCache.txt:
	cmake -S . -B $(FUZZ) $(GENERATOR) -DMLPIPE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null

fuzz-build: deps $(FUZZ)/CMakeCache.txt
	cmake --build $(FUZZ) -j $(JOBS)

# Fuzzes every target for FUZZ_SECONDS seconds (`make fuzz FUZZ_SECONDS=60`; one target:
# `bash scripts/fuzz.sh build-fuzz json_reader`).
fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh $(FUZZ)

# The build's progress lines are left out; its warnings and errors (stderr) are shown.
demo: deps $(BUILD)/CMakeCache.txt
	@echo "Building $(BUILD)/bin/..."
	@cmake --build $(BUILD) -j $(JOBS) >/dev/null
	@bash scripts/demo.sh $(BUILD)/bin

bench: deps build
	bash bench/run.sh $(BUILD)/bin

# Only the plots of bench/plots.sh (PNG under bench/out/; sizes: PLOT_SIZES, PLOT_SHARES, PLOT_RANKS,
# PLOT_RUNS, see the script); gnuplot is installed on demand.
bench-plots: deps build
	bash bench/plots.sh $(BUILD)/bin

models: deps build
	bash scripts/make-models.sh $(BUILD)/bin

# Programs into PREFIX/bin, man pages into PREFIX/share/man, models, sample texts and scripts into
# PREFIX/share/mlpipe; DESTDIR=DIR stages it all under DIR (for packaging).
install: build
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

# Removes what the last `make install` wrote ($(BUILD)/install_manifest.txt), with the same DESTDIR.
uninstall:
	DESTDIR=$(DESTDIR) cmake --build $(BUILD) --target uninstall

clean:
	rm -rf $(BUILD) $(SANITIZE) $(FUZZ)
