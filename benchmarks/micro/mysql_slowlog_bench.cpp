// Slow log reader throughput (MB/s), alone and with the digest behind it.

#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "analyzer/capture/log_formats.hpp"
#include "analyzer/capture/mysql_slowlog.hpp"
#include "analyzer/digest/digest.hpp"

namespace {

// A MariaDB-style slow log of about 4 MB with a few dozen query shapes.
const std::string& sample_log() {
  static const std::string log = [] {
    std::string out;
    std::mt19937 rng(1);
    for (int i = 0; out.size() < 4'000'000; ++i) {
      out += "# Time: 241124 10:00:" + std::to_string(10 + i % 50) + "\n";
      out += "# User@Host: app[app] @ localhost [127.0.0.1]\n";
      out += "# Thread_id: 42  Schema: pets  QC_hit: No\n";
      out += "# Query_time: 0.000" + std::to_string(100 + rng() % 900) +
             "  Lock_time: 0.000012  Rows_sent: 1  Rows_examined: " + std::to_string(rng() % 5000) + "\n";
      out += "# Rows_affected: 0  Bytes_sent: 120\n";
      out += "SET timestamp=" + std::to_string(1732442400 + i) + ";\n";
      switch (rng() % 3) {
        case 0:
          out += "SELECT id, name FROM pets WHERE owner_id = " + std::to_string(rng() % 100000) + " LIMIT 20;\n";
          break;
        case 1:
          out += "UPDATE pet_stats SET hunger = hunger - 1 WHERE pet_id = " + std::to_string(rng() % 100000) + ";\n";
          break;
        default:
          out += "INSERT INTO feeding_events (pet_id, amount) VALUES (" + std::to_string(rng() % 1000) + ", 3), (" +
                 std::to_string(rng() % 1000) + ", 4);\n";
      }
    }
    return out;
  }();
  return log;
}

// In 1 MiB blocks of whole lines, as the line source hands a file to the reader.
template <class Sink>
void feed(const std::string& log, Sink&& sink) {
  dbvet::capture::MysqlSlowLogReader reader(std::forward<Sink>(sink));
  constexpr size_t kBlock = size_t{1} << 20;
  size_t pos = 0;
  while (pos < log.size()) {
    size_t end = pos + kBlock >= log.size() ? log.size() : log.rfind('\n', pos + kBlock) + 1;
    reader.feed_block(std::string_view(log).substr(pos, end - pos), pos);
    pos = end;
  }
  reader.finish();
}

void BM_SlowlogReader(benchmark::State& state) {
  const auto& log = sample_log();
  size_t events = 0;
  for (auto _ : state) feed(log, [&](dbvet::model::QueryEvent&&) { ++events; });
  benchmark::DoNotOptimize(events);
  state.SetBytesProcessed(int64_t(state.iterations() * log.size()));
}
BENCHMARK(BM_SlowlogReader)->Unit(benchmark::kMillisecond);

// Line by line (feed_line), as tests and in-memory texts feed it.
void BM_SlowlogReaderLineByLine(benchmark::State& state) {
  const auto& log = sample_log();
  size_t events = 0;
  for (auto _ : state) {
    dbvet::capture::MysqlSlowLogReader reader([&](dbvet::model::QueryEvent&&) { ++events; });
    dbvet::capture::feed_text(reader, log);
  }
  benchmark::DoNotOptimize(events);
  state.SetBytesProcessed(int64_t(state.iterations() * log.size()));
}
BENCHMARK(BM_SlowlogReaderLineByLine)->Unit(benchmark::kMillisecond);

void BM_SlowlogDigest(benchmark::State& state) {
  const auto& log = sample_log();
  auto mode = static_cast<dbvet::sql::FingerprintMode>(state.range(0));
  for (auto _ : state) {
    dbvet::digest::Digest digest(mode);
    feed(log, [&](dbvet::model::QueryEvent&& e) { digest.add(e); });
    benchmark::DoNotOptimize(digest.events());
  }
  state.SetBytesProcessed(int64_t(state.iterations() * log.size()));
  state.SetLabel(std::string(dbvet::sql::fingerprint_mode_name(mode)));
}
BENCHMARK(BM_SlowlogDigest)
    ->Arg(static_cast<int>(dbvet::sql::FingerprintMode::pt))
    ->Arg(static_cast<int>(dbvet::sql::FingerprintMode::canonical))
    ->Unit(benchmark::kMillisecond);

}  // namespace
