// PostgreSQL log reader throughput (MB/s): stderr in pgbench's shape (prefix given, and detected),
// stderr with multi-line statements and execute/parameters, csvlog, and stderr with the digest
// behind it.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>

#include "analyzer/capture/log_formats.hpp"
#include "analyzer/digest/digest.hpp"

namespace {

constexpr std::string_view kPrefix = "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ";
constexpr size_t kLogBytes = 4'000'000;

// "2026-12-03 08:52:33 UTC", a new second every 40 lines like a busy pgbench run.
std::string stamp(int line) {
  int second = 13 + line / 40;
  char buf[32];
  std::snprintf(buf, sizeof buf, "2026-12-03 08:%02d:%02d UTC", (52 + second / 60) % 60, second % 60);
  return buf;
}

// pgbench's TPC-B transaction, one "duration: ... statement:" line per statement
// (log_min_duration_statement = 0), from a few dozen backends.
const std::string& pgbench_log() {
  static const std::string log = [] {
    std::string out;
    std::mt19937 rng(1);
    for (int i = 0; out.size() < kLogBytes; ++i) {
      int pid = 4600 + static_cast<int>(rng() % 32);
      std::string aid = std::to_string(rng() % 100000), tid = std::to_string(rng() % 10 + 1);
      std::string bid = std::to_string(rng() % 1 + 1), delta = std::to_string(static_cast<int>(rng() % 10000) - 5000);
      std::string sql;
      switch (i % 7) {
        case 0:
          sql = "BEGIN;";
          break;
        case 1:
          sql = "UPDATE pgbench_accounts SET abalance = abalance + " + delta + " WHERE aid = " + aid + ";";
          break;
        case 2:
          sql = "SELECT abalance FROM pgbench_accounts WHERE aid = " + aid + ";";
          break;
        case 3:
          sql = "UPDATE pgbench_tellers SET tbalance = tbalance + " + delta + " WHERE tid = " + tid + ";";
          break;
        case 4:
          sql = "UPDATE pgbench_branches SET bbalance = bbalance + " + delta + " WHERE bid = " + bid + ";";
          break;
        case 5:
          sql = "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (" + tid + ", " + bid + ", " + aid +
                ", " + delta + ", CURRENT_TIMESTAMP);";
          break;
        default:
          sql = "END;";
      }
      out += stamp(i) + " [" + std::to_string(pid) + "]: [" + std::to_string(i / 32 + 1) +
             "-1] user=postgres,db=dbvet,app=pgbench,client=127.0.0.1 LOG:  duration: 0." +
             std::to_string(rng() % 900 + 100) + " ms  statement: " + sql + "\n";
    }
    return out;
  }();
  return log;
}

// Statements over several lines (continuations start with a tab), prepared statements with
// their parameters on a DETAIL line, and log_statement + log_duration pairs.
const std::string& multiline_log() {
  static const std::string log = [] {
    std::string out;
    std::mt19937 rng(2);
    for (int i = 0; out.size() < kLogBytes; ++i) {
      std::string head = stamp(i) + " [" + std::to_string(4600 + i % 16) + "]: [" + std::to_string(i + 1) +
                         "-1] user=app,db=shop,app=psql,client=10.0.0.7 ";
      std::string id = std::to_string(rng() % 100000);
      switch (i % 3) {
        case 0:
          out += head + "LOG:  duration: 2.417 ms  statement: SELECT o.id, o.total\n";
          out += "\tFROM orders o\n\tJOIN customers c ON c.id = o.customer_id\n";
          out += "\tWHERE c.id = " + id + "\n\tORDER BY o.created_at DESC LIMIT 10;\n";
          break;
        case 1:
          out += head + "LOG:  duration: 0.081 ms  execute S_1: SELECT * FROM items WHERE id = $1 AND shop = $2\n";
          out += head + "DETAIL:  parameters: $1 = '" + id + "', $2 = 'main'\n";
          break;
        default:
          out += head + "LOG:  statement: UPDATE carts SET touched = now() WHERE id = " + id + "\n";
          out += head + "LOG:  duration: 0.205 ms\n";
      }
    }
    return out;
  }();
  return log;
}

// csvlog: the pgbench statements, with the message quoted (one with a newline inside).
const std::string& csv_log() {
  static const std::string log = [] {
    std::string out;
    std::mt19937 rng(3);
    for (int i = 0; out.size() < kLogBytes; ++i) {
      std::string aid = std::to_string(rng() % 100000);
      std::string sql = i % 5 == 0 ? "SELECT abalance\nFROM pgbench_accounts WHERE aid = " + aid + ";"
                                   : "UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = " + aid + ";";
      out += "2026-12-03 08:52:33.123 UTC,\"postgres\",\"dbvet\"," + std::to_string(4600 + i % 32) +
             ",\"127.0.0.1:51234\",674e1a2b.1234," + std::to_string(i + 1) + ",\"UPDATE\",2026-12-03 08:52:30 UTC,3/" +
             std::to_string(i) + ",0,LOG,00000,\"duration: 0.412 ms  statement: " + sql +
             "\",,,,,,,,,\"pgbench\",client backend,,0\n";
    }
    return out;
  }();
  return log;
}

template <class Sink>
void feed(dbvet::capture::LogFormat format, std::string_view prefix, const std::string& log, Sink&& sink) {
  auto reader = dbvet::capture::make_log_reader(format, std::forward<Sink>(sink), prefix);
  (*reader)->feed_block(log, 0);  // the digest runner's path: whole buffers
  (*reader)->finish();
}

void run_reader(benchmark::State& state, dbvet::capture::LogFormat format, std::string_view prefix,
                const std::string& log) {
  size_t events = 0;
  for (auto _ : state) feed(format, prefix, log, [&](dbvet::model::QueryEvent&&) { ++events; });
  benchmark::DoNotOptimize(events);
  state.SetBytesProcessed(int64_t(state.iterations() * log.size()));
}

void BM_PgStderrReader(benchmark::State& state) {
  run_reader(state, dbvet::capture::LogFormat::postgres_stderr, kPrefix, pgbench_log());
}
BENCHMARK(BM_PgStderrReader)->Unit(benchmark::kMillisecond);

void BM_PgStderrReaderDetectedPrefix(benchmark::State& state) {
  run_reader(state, dbvet::capture::LogFormat::postgres_stderr, {}, pgbench_log());
}
BENCHMARK(BM_PgStderrReaderDetectedPrefix)->Unit(benchmark::kMillisecond);

void BM_PgStderrReaderMultiline(benchmark::State& state) {
  run_reader(state, dbvet::capture::LogFormat::postgres_stderr, kPrefix, multiline_log());
}
BENCHMARK(BM_PgStderrReaderMultiline)->Unit(benchmark::kMillisecond);

void BM_PgCsvReader(benchmark::State& state) {
  run_reader(state, dbvet::capture::LogFormat::postgres_csv, {}, csv_log());
}
BENCHMARK(BM_PgCsvReader)->Unit(benchmark::kMillisecond);

void BM_PgStderrDigest(benchmark::State& state) {
  const auto& log = pgbench_log();
  auto mode = static_cast<dbvet::sql::FingerprintMode>(state.range(0));
  for (auto _ : state) {
    dbvet::digest::Digest digest(mode);
    feed(dbvet::capture::LogFormat::postgres_stderr, kPrefix, log,
         [&](dbvet::model::QueryEvent&& e) { digest.add(e); });
    benchmark::DoNotOptimize(digest.events());
  }
  state.SetBytesProcessed(int64_t(state.iterations() * log.size()));
  state.SetLabel(std::string(dbvet::sql::fingerprint_mode_name(mode)));
}
BENCHMARK(BM_PgStderrDigest)
    ->Arg(static_cast<int>(dbvet::sql::FingerprintMode::pg))
    ->Arg(static_cast<int>(dbvet::sql::FingerprintMode::canonical))
    ->Unit(benchmark::kMillisecond);

// The reader alone on a real log, in memory: DBVET_BENCH_PG_LOG=FILE (stderr, pgbench's
// log_line_prefix, DBVET_BENCH_PG_PREFIX to change it) registers BM_PgStderrReaderFile.
const bool file_benchmark_registered = [] {
  const char* path = std::getenv("DBVET_BENCH_PG_LOG");
  if (path == nullptr) return false;
  const char* prefix = std::getenv("DBVET_BENCH_PG_PREFIX");
  static std::string log, line_prefix = prefix != nullptr ? prefix : std::string(kPrefix);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  log = text.str();
  benchmark::RegisterBenchmark("BM_PgStderrReaderFile", [](benchmark::State& state) {
    run_reader(state, dbvet::capture::LogFormat::postgres_stderr, line_prefix, log);
  })->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
