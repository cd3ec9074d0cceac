#pragma once
// `dbvet compare`: two benchmark runs (dbvet bench JSON or Google Benchmark JSON with repetitions)
// turned into per-benchmark, per-metric verdicts.
//
// The family: the metrics of one benchmark compared between base and head (one query under two
// variants: p50, p95, p99 and throughput; or a Google Benchmark's real_time and cpu_time). Holm's
// correction runs within each family, never across the run: every variant of every query is a
// decision of its own (keep this index or not), and a correction over all of them made the number
// of recommendations decide whether any could be proved (884 comparisons at 6 repetitions could
// prove nothing).
//
// A row is "regressed" or "improved" when the Mann-Whitney U test says so after that correction
// AND the bootstrap confidence interval of the ratio of medians reaches beyond the threshold on
// that side (a change that matters is not ruled out); "within noise" when the interval lies inside
// +-threshold and the run could have detected a threshold-sized change; anything else is
// "inconclusive", with the smallest change the run could have detected at its repetitions and
// noise (docs/commands/compare.md).
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::bench {

struct MetricSamples {
  std::string unit;  // "ms", "ns", "/s", ...
  bool higher_is_better = false;
  std::vector<double> values;  // one per repetition
};

// A run: benchmark name -> metric name -> samples, in first-seen order of names.
struct RunSamples {
  std::string path;
  std::vector<std::string> names;
  std::map<std::string, std::map<std::string, MetricSamples>> benchmarks;
  std::map<std::string, std::string> result_hashes;  // dbvet: answer fingerprint per benchmark
  // Repetitions per benchmark, and those in which every execution failed (dbvet: no transaction
  // and some errors; Google Benchmark: error_occurred): a benchmark that never ran is a failure,
  // never "within noise".
  std::map<std::string, size_t> repetitions, failed_repetitions;
  bool all_failed(const std::string& name) const;
};

// Reads a dbvet bench document or Google Benchmark's --benchmark_format=json output. Aggregate
// entries (mean, median, stddev) are skipped: only repetitions count as samples. A document with
// no repetition, or a figure that is not a non-negative number, is an input error naming the file,
// the entry and the field: a gate must not pass on nothing.
core::Expected<RunSamples> read_run(const std::string& path);
core::Expected<RunSamples> parse_run(const nlohmann::json& doc, const std::string& path);

// Which rows Holm's correction spans together. benchmark (the default): the metrics of one benchmark
// between base and head, one decision each. query: every variant of one query (all its metrics
// against the base variant). run: every row, a bound for the whole run at the cost of power.
enum class Family { benchmark, query, run };
const char* family_name(Family family);
core::Expected<Family> parse_family(const std::string& text);

struct CompareOptions {
  double threshold = 0.05;  // relative change that matters
  // Family-wise error rate within each family (Holm), both directions together: a false
  // "regressed" has at most half of it, so 0.02 keeps the gate's false failures at 1% per family.
  double alpha = 0.02;
  double power = 0.9;  // chance of catching a change of the detectable size
  Family family = Family::benchmark;
};

enum class Verdict { regressed, improved, unchanged, inconclusive };
const char* verdict_name(Verdict verdict);

struct ComparisonRow {
  std::string name;  // the benchmark (query/variant), or "query (base → head)" when variants differ
  std::string metric;
  std::string unit;
  bool higher_is_better = false;
  size_t base_n = 0, head_n = 0;
  double base_median = 0, head_median = 0;
  double ratio = 1, ratio_low = 1, ratio_high = 1;  // head / base with its 95% interval
  double base_spread = 0, head_spread = 0;          // relative_spread of each side's repetitions
  double p_value = 1, p_adjusted = 1;               // p_adjusted: Holm within the row's family
  size_t family_size = 1;                           // rows of the family (metrics of this benchmark)
  std::optional<double> detectable_change;          // minimum detectable change; none at these n
  Verdict verdict = Verdict::unchanged;
  std::string note;               // why a difference could not count (too few repetitions, answer changed)
  std::optional<Verdict> forced;  // decided without statistics (every execution failed on a side)
};

struct Comparison {
  std::string base_path, head_path;
  CompareOptions options;
  std::vector<ComparisonRow> rows;
  std::vector<std::string> only_in_base, only_in_head;
  size_t count(Verdict verdict) const;
  bool regressed() const { return count(Verdict::regressed) > 0; }
  // "1 regressed, 2 improved, 14 unchanged" and ", 3 inconclusive" when there are any.
  std::string summary_line() const;
};

Comparison compare_runs(const RunSamples& base, const RunSamples& head, const CompareOptions& options);

// One run of several variants (`dbvet bench --variant ...`): every variant of each query against the
// same query under base_variant (the run's first variant when empty). The variants ran interleaved
// in one process, so drift of the machine's load hits both sides alike, which two separate runs
// cannot promise.
core::Expected<Comparison> compare_variants(const RunSamples& run, std::string base_variant,
                                            const CompareOptions& options);

// (base benchmark, head benchmark) names; each pair is one family of Holm's correction.
using BenchmarkPairs = std::vector<std::pair<std::string, std::string>>;
Comparison compare_pairs(const RunSamples& base, const RunSamples& head, const BenchmarkPairs& pairs,
                         const CompareOptions& options);

void to_json(nlohmann::json& json, const Comparison& comparison);

// "5%", "0.05" or "5" (percent when > 1) -> 0.05; errors name the option.
core::Expected<double> parse_fraction(const std::string& text, const std::string& option);

}  // namespace dbvet::bench
