# mlpipe — `make` builds every program into build/bin/.
# `make demo` and `make test` install missing Debian packages first (scripts/install-deps.sh).

BUILD   ?= build
ASAN    ?= build-asan
PREFIX  ?= /usr/local
JOBS    ?= $(shell nproc)

.PHONY: all deps build test test-asan demo bench models install clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# Every test: unit, command-line golden, end-to-end and MPI tests on the release build,
# then the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
test: deps build test-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DMLPIPE_SANITIZE=ON -DMLPIPE_TESTS_ONLY=ON >/dev/null
	cmake --build $(ASAN) -j $(JOBS)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

demo: deps build
	@bash scripts/demo.sh $(BUILD)/bin

bench: deps build
	bash bench/run.sh $(BUILD)/bin

models: deps build
	bash scripts/make-models.sh $(BUILD)/bin

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN)
