#pragma once
// The bench result as the user reads it: merged per query and variant over repetitions, the answer
// check, SLA verdicts, and the renderings (JSON in Google Benchmark's schema with dbvet's fields
// beside, text, Markdown, JUnit, CSV of one-second intervals).

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
};

struct BenchReport {
  BenchResult result;
  std::vector<QuerySummary> summaries;
  std::vector<SlaVerdict> slas;
  bool slas_broken() const;
  bool answers_changed() const;
};

BenchReport build_report(BenchResult result);

void to_json(nlohmann::json& json, const BenchReport& report);
std::string render_bench_text(const BenchReport& report);
std::string render_bench_markdown(const BenchReport& report);
std::string render_bench_junit(const BenchReport& report);
std::string render_bench_csv(const BenchReport& report);

}  // namespace dbvet::bench
