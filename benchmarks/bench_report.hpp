#pragma once
// The bench result as the user reads it: merged per query and variant over repetitions, the answer
// check, SLA verdicts, and the renderings (JSON in Google Benchmark's schema with dbvet's fields
// beside, text, Markdown, JUnit, CSV of one-second intervals).

#include <optional>
#include <string>
#include <vector>

#include "benchmarks/bench_runner.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::bench {

struct QuerySummary {  // one query under one variant, all repetitions merged
  std::string query, variant;
  QueryRun merged;          // latency, counters and cache numbers summed; elapsed_s summed
  std::string answer;       // "same", "changed" (differs from the first variant) or "unstable"
  std::string result_hash;  // hex, or "unstable" when repetitions disagree
};

struct SlaVerdict {
  std::string sla, metric, query, variant;
  double measured = 0;
  bool passed = true;
  std::optional<PlanHotspot> hotspot;  // broken: the costliest plan node of the query's slowest statement
};

// --ramp: how far each variant climbed.
struct RampKnee {
  std::string variant;
  std::optional<double> knee;       // the highest offered rate that held; none when the first broke
  std::optional<double> broke_at;   // the first rate that broke; none when every rate held
  std::vector<std::string> broken;  // what broke there
};

struct BenchReport {
  BenchResult result;
  std::vector<QuerySummary> summaries;
  std::vector<SlaVerdict> slas;  // over all repetitions (not with --ramp, whose steps carry their own)
  std::vector<RampKnee> knees;   // --ramp only, one per variant
  bool slas_broken() const;
  bool ramp_failed() const;  // some variant did not hold even at the lowest rate
  bool answers_changed() const;
};

BenchReport build_report(BenchResult result);
// "SLA 'p95<5ms' broken by query 'q' (variant v): measured 7.1ms; costliest plan node: Seq Scan on t (...)"
std::string sla_broken_message(const SlaVerdict& sla);

void to_json(nlohmann::json& json, const BenchReport& report);
std::string render_bench_text(const BenchReport& report);
std::string render_bench_markdown(const BenchReport& report);
std::string render_bench_junit(const BenchReport& report);
std::string render_bench_csv(const BenchReport& report);

}  // namespace dbvet::bench
