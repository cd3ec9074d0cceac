// Cutting a block of log lines at its newlines (a search per line against util::ByteFinder's
// 64-byte masks), and the digest's fingerprint key hash (KeyCache::hash) at the key lengths of
// real statements.

#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "analyzer/digest/digest.hpp"
#include "analyzer/util/byte_scan.hpp"

namespace {

// About 1 MiB of lines of 20 to 220 bytes, as slow logs and PostgreSQL logs have them.
const std::string& lines() {
  static const std::string text = [] {
    std::string out;
    std::mt19937 rng(3);
    while (out.size() < (size_t{1} << 20)) {
      out.append(20 + rng() % 200, 'x');
      out += '\n';
    }
    return out;
  }();
  return text;
}

void BM_NewlinesBySearch(benchmark::State& state) {
  const std::string& text = lines();
  size_t count = 0;
  for (auto _ : state) {
    const char* end = text.data() + text.size();
    for (const char* p = text.data(); p < end;) {
      p = dbvet::util::find_byte(p, end, '\n') + 1;
      ++count;
    }
  }
  benchmark::DoNotOptimize(count);
  state.SetBytesProcessed(int64_t(state.iterations() * text.size()));
}
BENCHMARK(BM_NewlinesBySearch);

void BM_NewlinesByMask(benchmark::State& state) {
  const std::string& text = lines();
  size_t count = 0;
  for (auto _ : state) {
    dbvet::util::ByteFinder newlines(text, '\n');
    for (size_t pos = 0; pos < text.size();) {
      pos = newlines.next(pos) + 1;
      ++count;
    }
  }
  benchmark::DoNotOptimize(count);
  state.SetBytesProcessed(int64_t(state.iterations() * text.size()));
}
BENCHMARK(BM_NewlinesByMask);

void BM_KeyCacheHash(benchmark::State& state) {
  const std::string key(static_cast<size_t>(state.range(0)), 'k');
  uint64_t h = 0;
  for (auto _ : state) {
    h ^= dbvet::digest::KeyCache::hash(key);
    benchmark::DoNotOptimize(h);
  }
  state.SetBytesProcessed(int64_t(state.iterations() * key.size()));
}
BENCHMARK(BM_KeyCacheHash)->Arg(12)->Arg(40)->Arg(100)->Arg(400);

}  // namespace
