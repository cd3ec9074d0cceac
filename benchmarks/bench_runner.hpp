#pragma once
// Runs a BenchConfig: one connection per client thread, closed or open loop, repetitions
// interleaved across variants (A B A B), every measurement kept per query (script), variant and
// repetition. Sandboxes are created before the first phase and removed on every way out.

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/digest/histogram.hpp"
#include "benchmarks/bench_config.hpp"

namespace dbvet::bench {

// Set by the SIGINT/SIGTERM handler that the command installs; phases stop at the next transaction.
std::atomic<bool>& interrupted();
void install_interrupt_handler();
// Stops a running bench as the interrupt does, with the reason its result will carry (the overall
// --timeout). Not async-signal-safe: for threads, not for signal handlers.
void request_stop(const std::string& reason);

struct LatencyStats {
  digest::LogHistogram histogram;  // milliseconds
  uint64_t count = 0;
  double sum = 0, sum_squares = 0, max = 0;
  void add(double ms);
  void merge(const LatencyStats& other);
  double mean() const { return count ? sum / static_cast<double>(count) : 0; }
  double stddev() const;
  double quantile(double q) const { return histogram.quantile(q); }
};

// One second of one phase over every client. Only its quantiles are kept: a histogram per second
// (and, before, per client) made a run's memory grow with clients x seconds.
struct IntervalStats {
  uint64_t transactions = 0, errors = 0;
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
};

struct QueryRun {  // one query (script) under one variant in one repetition
  std::string query, variant;
  int repetition = 0;
  double elapsed_s = 0;
  LatencyStats latency;  // whole transaction; open loop: from the intended start
  uint64_t transactions = 0, errors = 0, timeouts = 0, dropped = 0;
  // Failed transactions whose connection (database or cache) was lost, and reconnections that
  // brought a client back: an outage, told apart from statements the server rejected.
  uint64_t connection_errors = 0, reconnects = 0;
  int64_t rows = 0;
  uint64_t result_hash = 0;  // over the first transactions of every client (same seed, same parameters)
  double lag_max_ms = 0, lag_sum_ms = 0;
  std::string first_error;
  // The slowest database statement of the phase, as sent (variables substituted): what a broken SLA
  // explains to name the plan node that costs the most.
  std::string slowest_statement;
  double slowest_statement_ms = 0;
  double offered_rate = 0;  // open loop and ramp steps: transactions per second offered
  // cache variants
  uint64_t cache_hits = 0, cache_misses = 0;
  LatencyStats hit_latency, miss_latency;  // per cached statement
  std::vector<IntervalStats> intervals;
  // Adds another client's or repetition's counters, latencies and cache numbers (not the
  // intervals, the elapsed time or the answer hash, which combine differently).
  void merge_counts(const QueryRun& other);
  double throughput() const { return elapsed_s > 0 ? static_cast<double>(transactions) / elapsed_s : 0; }
  double error_rate() const {
    uint64_t total = transactions + errors;
    return total ? static_cast<double>(errors) / static_cast<double>(total) : 0;
  }
};

struct VariantInfo {
  std::string name, kind, spec;
  std::string sandbox;             // what the sandbox was (removed), for the report
  int64_t redis_memory_delta = 0;  // cache: bytes of used_memory added (largest over phases)
};

// The node that costs the most in the plan of a query's slowest statement under one variant.
struct PlanHotspot {
  std::string query, variant;
  std::string statement;
  std::string operation, relation, index, access;
  std::optional<double> cost;  // the node's own cost in the engine's units, when the plan has costs
  std::string error;           // when the statement could not be explained
  std::string describe() const;
};

// One rate of a ramp (--ramp FROM:TO:STEP) for one variant: held when every SLA and the error rate
// held at that offered rate.
struct RampStep {
  std::string variant;
  double rate = 0;
  bool held = true;
  std::vector<std::string> broken;  // what broke: "p95<20ms on lookup: 31.2ms", "errors 2.1% > 1%"
};

struct BenchResult {
  std::string target;  // redacted
  std::string engine;
  BenchConfig config;
  std::vector<VariantInfo> variants;
  std::vector<QueryRun> runs;         // in execution order
  std::vector<PlanHotspot> hotspots;  // per query and variant, when SLAs were given
  std::vector<RampStep> ramp;         // --ramp only, in execution order
  bool interrupted = false;
  // Why the run stopped early: "interrupted by a signal", or the outage that no reconnection within
  // the reconnect window could bridge. Empty when the run went to its end.
  std::string interruption;
  bool outage = false;  // stopped by a lost connection (exit 3), not by the user
};

// Called after each phase (for live progress); may be empty.
using PhaseCallback = std::function<void(const QueryRun&)>;

core::Expected<BenchResult> run_bench(const BenchConfig& config, const PhaseCallback& progress = {});

}  // namespace dbvet::bench
