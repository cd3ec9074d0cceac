# Thin wrapper around CMake and ctest; each target installs what it needs first (scripts/bootstrap).
BUILD ?= build
SANITIZE_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_RUNS ?= 20000
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all build demo test test-unit test-sanitize fuzz bench clean bootstrap

all: build

bootstrap:
	@scripts/bootstrap all

$(BUILD)/build.ninja:
	@scripts/bootstrap build
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The main job on the embedded default: the Virtual Pet sample in SQLite.
demo: build
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
	cmake -S . -B $(SANITIZE_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DDBVET_SANITIZE=ON -DDBVET_BENCHMARKS=OFF
	cmake --build $(SANITIZE_BUILD) -j $(JOBS) --target dbvet dbvet_unit_tests
	cd $(SANITIZE_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -L unit

# Every libFuzzer target of tests/fuzz/ (clang, ASan, UBSan): FUZZ_RUNS inputs each from a
# fixed seed.
fuzz:
	@scripts/bootstrap fuzz
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDBVET_FUZZ=ON \
	  -DDBVET_TESTS=OFF -DDBVET_BENCHMARKS=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target dbvet_fuzz
	scripts/fuzz $(FUZZ_BUILD) $(FUZZ_RUNS)

bench: build
	$(BUILD)/dbvet_micro_benchmarks --benchmark_min_time=0.2

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD)
