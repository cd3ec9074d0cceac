// Cutting a block of log lines at its newlines (a search per line against util::ByteFinder's
// 64-byte masks), a byte in short runs, the digest's fingerprint key hash (KeyCache::hash) at the
// key lengths of real statements, and its histograms' bucket lookup.

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

// A byte in short runs (the tails of values, "1796633482;", a word of a header line), of random
// lengths below 24 and the byte at a random place or absent: the word-at-a-time tails.
void BM_FindByteShortRuns(benchmark::State& state) {
  std::mt19937 rng(7);
  std::string text;
  std::vector<std::pair<size_t, size_t>> runs;
  for (int i = 0; i < 4096; ++i) {
    const size_t size = 1 + rng() % 23;
    std::string run(size, '7');
    if (rng() % 2) run[rng() % size] = ';';
    runs.emplace_back(text.size(), size);
    text += run;
  }
  size_t found = 0;
  for (auto _ : state) {
    for (const auto& [at, size] : runs) {
      const char* begin = text.data() + at;
      found += static_cast<size_t>(dbvet::util::find_byte(begin, begin + size, ';') - begin);
    }
  }
  benchmark::DoNotOptimize(found);
  state.SetItemsProcessed(int64_t(state.iterations() * runs.size()));
}
BENCHMARK(BM_FindByteShortRuns);

// The digest's histograms: a value's bucket by the memo of log() (add) and by the index tables
// (add_whole), over the small whole numbers most rows, bytes and microseconds are.
void BM_HistogramAdd(benchmark::State& state) {
  std::mt19937 rng(9);
  std::vector<int64_t> values(4096);
  for (auto& v : values) v = 1 + static_cast<int64_t>(rng() % 2000);
  dbvet::digest::LogHistogram histogram;
  for (auto _ : state) {
    for (const int64_t v : values) {
      if (state.range(0) == 0) {
        histogram.add(static_cast<double>(v));
      } else {
        histogram.add_whole(v);
      }
    }
  }
  benchmark::DoNotOptimize(histogram.count());
  state.SetItemsProcessed(int64_t(state.iterations() * values.size()));
}
BENCHMARK(BM_HistogramAdd)->Arg(0)->Arg(1);

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
