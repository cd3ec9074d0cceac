# Thin wrapper around CMake and ctest; each target installs what it needs first (scripts/bootstrap).
BUILD ?= build
SANITIZE_BUILD ?= build-asan
THREAD_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
FUZZ_RUNS ?= 20000
JOBS ?= $(shell nproc)
# Extra cmake options for every build directory made here, from the environment too: .ci/run sets
# -DDBVET_WERROR=ON (a build directory keeps the options it was first configured with).
CMAKE_FLAGS ?=

.PHONY: all build demo test test-unit test-sanitize test-thread matrix fuzz bench bench-advisor bench-gate clean bootstrap

all: build

bootstrap:
	@scripts/bootstrap all

# The Chart.js the HTML report embeds, fetched by scripts/bootstrap (with npm, which it installs)
# before the build, so the build needs no network. A rule of its own so that a build directory made
# before the fetch moved out of the build gets it too.
CHARTJS := third_party/chart.js/chart.version
$(CHARTJS): scripts/fetch-assets
	@scripts/bootstrap build
	@touch $@

$(BUILD)/build.ninja: | $(CHARTJS)
	@scripts/bootstrap build
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: $(BUILD)/build.ninja $(CHARTJS)
	cmake --build $(BUILD) -j $(JOBS)

# The main job on the embedded default: the Virtual Pet sample in SQLite. Only the dbvet executable
# is built: the test binaries and micro benchmarks are most of a cold build and the demo runs none.
demo: $(BUILD)/build.ninja $(CHARTJS)
	cmake --build $(BUILD) -j $(JOBS) --target dbvet
	@scripts/demo $(BUILD)

# The whole suite, with real PostgreSQL, MariaDB and Redis servers on loopback (started and stopped
# by ctest fixtures; stopped here too if anything is left behind).
test: bootstrap build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900; status=$$?; \
	  $(CURDIR)/scripts/testenv down $(CURDIR)/$(BUILD)/testenv; exit $$status

test-unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

# Unit tests under AddressSanitizer and UBSan.
test-sanitize: bootstrap
	cmake -S . -B $(SANITIZE_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DDBVET_SANITIZE=ON -DDBVET_BENCHMARKS=OFF \
	  $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD) -j $(JOBS) --target dbvet dbvet_unit_tests
	cd $(SANITIZE_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -L unit

# Unit tests under ThreadSanitizer: the threaded parts are the digest reader pool, the socket deadline
# watchdog, the health checks of several targets, the sample generator/loader and the bench runner.
test-thread: bootstrap
	cmake -S . -B $(THREAD_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDBVET_TSAN=ON -DDBVET_BENCHMARKS=OFF \
	  $(CMAKE_FLAGS)
	cmake --build $(THREAD_BUILD) -j $(JOBS) --target dbvet dbvet_unit_tests
	cd $(THREAD_BUILD) && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	  ctest --output-on-failure -j $(JOBS) -L unit

# Release and each DBVET_WITH_*=OFF build (dbvet and the unit tests, run), warnings as errors.
matrix: bootstrap
	scripts/build-matrix

# Every libFuzzer target of tests/fuzz/ (clang, ASan, UBSan): FUZZ_RUNS inputs each from a
# fixed seed.
fuzz:
	@scripts/bootstrap fuzz
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDBVET_FUZZ=ON \
	  -DDBVET_TESTS=OFF -DDBVET_BENCHMARKS=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target dbvet_fuzz
	scripts/fuzz $(FUZZ_BUILD) $(FUZZ_RUNS)

bench: build
	$(BUILD)/dbvet_micro_benchmarks --benchmark_min_time=0.2

# dbvet's index advice against SQLite's .expert on samples/advisor-bench and the Virtual Pet sample,
# and on PostgreSQL (a private server, with HypoPG) against an exhaustive HypoPG oracle: index counts,
# estimated costs and workload times side by side (a benchmark, not a test: figures, no verdict).
bench-advisor: bootstrap
	cmake --build $(BUILD) -j $(JOBS) --target dbvet
	DBVET_TESTENV_ONLY=pg scripts/testenv up $(BUILD)/bench-advisor-env >/dev/null
	. $(BUILD)/bench-advisor-env/env && /usr/bin/python3 scripts/bench-advisor --dbvet $(BUILD)/dbvet \
	  --pg-url "$$DBVET_TEST_PG_URL"; status=$$?; scripts/testenv down $(BUILD)/bench-advisor-env; exit $$status

# `dbvet compare` as a gate, measured (benchmarks/gate/aa_power.py; not part of `make test`): false
# failures over A/A comparisons resampled from real bench runs of the SQLite sample, and how often a
# 5% slowdown is caught. The bench runs take minutes and are kept in $(BUILD)/bench-gate (delete it,
# or BENCH_GATE_FLAGS=--fresh, to measure again); exit 1 when a bound is broken.
bench-gate: $(BUILD)/build.ninja $(CHARTJS)
	cmake --build $(BUILD) -j $(JOBS) --target dbvet
	python3 benchmarks/gate/aa_power.py --dbvet $(BUILD)/dbvet --work $(BUILD)/bench-gate $(BENCH_GATE_FLAGS)

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(THREAD_BUILD) $(FUZZ_BUILD) build-release build-*-off
