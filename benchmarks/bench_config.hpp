#pragma once
// What `dbvet bench` runs: the workload scripts, the variants measured side by side, the load
// model, repetitions and SLAs. Plain values, built by the CLI and read by the runner.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/workload/script.hpp"

namespace dbvet::bench {

struct Variant {
  enum class Kind { baseline, index, rewrite, cache };
  std::string name;
  Kind kind = Kind::baseline;
  std::string spec;                       // index: the DDL; rewrite: the file; cache: the redis:// URL
  std::vector<workload::Script> scripts;  // rewrite: the alternative scripts (same names replace)
  int cache_ttl_s = 60;
};

// "NAME=baseline", "NAME=index:CREATE INDEX ...", "NAME=rewrite:FILE", "NAME=cache:redis://H:P?ttl=S";
// a spec without "NAME=" is named after its kind.
core::Expected<Variant> parse_variant(const std::string& text);

struct LoadModel {
  int clients = 1;
  std::chrono::milliseconds duration{10000};
  int64_t transactions = 0;                 // per client; when > 0 it ends the phase instead of the duration
  double rate = 0;                          // open loop: offered transactions per second over all clients; 0 = closed
  std::chrono::milliseconds max_lag{1000};  // open loop: a request later than this is dropped
  std::chrono::milliseconds warmup{0};
};

// A service level: "[query:]metric<value" or ">" with metric p50/p90/p95/p99/p99.9/max/mean (a
// duration: 20ms, 1.5s, 300us), errors (percent of transactions) or throughput (per second).
struct Sla {
  std::string text;
  std::string query;  // empty: every query
  std::string metric;
  bool less = true;  // "<" (true) or ">"
  double value = 0;  // ms for latencies, fraction for errors, per second for throughput
};
core::Expected<Sla> parse_sla(const std::string& text);

// --ramp FROM:TO:STEP: open-loop phases at FROM, FROM+STEP, ... up to TO transactions per second;
// each variant climbs until a phase breaks an SLA or the error rate.
struct Ramp {
  double from = 0, to = 0, step = 0;
  double max_error_rate = 0.01;  // errors and dropped requests over offered, unless an errors SLA says otherwise
  std::vector<double> rates() const;
};
core::Expected<Ramp> parse_ramp(const std::string& text);

struct BenchConfig {
  std::string target;  // as the user wrote it
  std::vector<workload::Script> scripts;
  std::vector<Variant> variants;
  LoadModel load;
  int repetitions = 1;
  uint64_t seed = 1;
  double scale = 1;
  bool sandbox = false;
  bool allow_ddl = false;
  std::chrono::milliseconds statement_timeout{30000};
  std::chrono::milliseconds connect_timeout{10000};
  // How long a client whose connection was lost keeps reconnecting (with backoff) before the run
  // stops as an outage.
  std::chrono::milliseconds reconnect_window{10000};
  std::vector<Sla> slas;
  std::optional<Ramp> ramp;
};

}  // namespace dbvet::bench
