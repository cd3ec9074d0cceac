// The one main() of the micro benchmark suites (each area has its own *_bench.cpp beside it).
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
