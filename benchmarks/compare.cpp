#include "benchmarks/compare.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "benchmarks/statistics.hpp"
#include "fmt/format.h"
#include "fmt/ranges.h"
#include "nlohmann/json.hpp"

namespace dbvet::bench {
namespace {

using nlohmann::json;

// dbvet's extra fields beside Google Benchmark's: name, unit, direction.
struct ExtraMetric {
  const char* field;
  const char* metric;
  const char* unit;
  bool higher_is_better;
};
constexpr ExtraMetric kDbvetMetrics[] = {
    {"p50_ms", "p50", "ms", false},
    {"p95_ms", "p95", "ms", false},
    {"p99_ms", "p99", "ms", false},
    {"items_per_second", "throughput", "/s", true},
};

// A figure of an entry: NaN when absent or null, an error when it is anything but a finite,
// non-negative number.
core::Expected<double> figure(const json& entry, const char* field, const std::string& path, size_t index) {
  auto it = entry.find(field);
  if (it == entry.end() || it->is_null()) return NAN;
  if (!it->is_number() || it->is_boolean()) {
    return core::make_error(core::ErrorKind::input, fmt::format("{}: benchmarks[{}].{}: expected a number, got {}",
                                                                path, index, field, it->dump()));
  }
  const double value = it->get<double>();
  if (!std::isfinite(value) || value < 0) {
    return core::make_error(core::ErrorKind::input, fmt::format("{}: benchmarks[{}].{}: expected a number >= 0, got {}",
                                                                path, index, field, it->dump()));
  }
  return value;
}

void add_sample(RunSamples& run, const std::string& name, const std::string& metric, const std::string& unit,
                bool higher_is_better, double value) {
  auto& samples = run.benchmarks[name][metric];  // the name was noted by its repetition
  samples.unit = unit;
  samples.higher_is_better = higher_is_better;
  samples.values.push_back(value);
}

// The fewest repetitions per side with which the exact U test can reach p < alpha / family_size,
// the bar of the first step of Holm's correction.
size_t repetitions_needed(size_t family_size, double alpha) {
  size_t n = 2;
  while (n < 1000 && smallest_p_value(n, n) * static_cast<double>(family_size) >= alpha) ++n;
  return n;
}

std::string percent(double fraction) {
  return fraction >= 0.1 ? fmt::format("{:.0f}%", fraction * 100) : fmt::format("{:.1f}%", fraction * 100);
}

// The verdict of one row whose p-value is already adjusted within its family; a row that cannot
// be decided says why in its note.
void judge(ComparisonRow& row, const CompareOptions& options) {
  if (row.forced) {
    row.verdict = *row.forced;
    return;
  }
  const double t = options.threshold;
  const bool significant = row.p_adjusted < options.alpha;
  const bool beyond_up = row.ratio_high > 1 + t, beyond_down = row.ratio_low < 1 - t;
  const bool up = row.ratio > 1;
  // Holm's first step compares the family's smallest p with alpha / size: the detectable change
  // is the one found at that level.
  const double level = options.alpha / static_cast<double>(row.family_size);
  row.detectable_change =
      minimum_detectable_change(row.base_n, row.base_spread, row.head_n, row.head_spread, level, options.power);
  if (significant && (up ? beyond_up : beyond_down)) {
    const bool worse = row.higher_is_better ? !up : up;
    row.verdict = worse ? Verdict::regressed : Verdict::improved;
    return;
  }
  const bool inside = !beyond_up && !beyond_down;
  // Inside the threshold and either proved (significant) or measured finely enough that a
  // threshold-sized change would have shown: the change, if any, is smaller than what matters.
  if (inside && (significant || (row.detectable_change && *row.detectable_change <= t))) {
    row.verdict = Verdict::unchanged;
    return;
  }
  row.verdict = Verdict::inconclusive;
  std::string why;
  if (!row.detectable_change) {
    why = fmt::format("too few repetitions ({} vs {}) for p < {} in a family of {}; {} per side can", row.base_n,
                      row.head_n, options.alpha, row.family_size, repetitions_needed(row.family_size, options.alpha));
  } else {
    const double noise = std::sqrt((row.base_spread * row.base_spread + row.head_spread * row.head_spread) / 2);
    why = fmt::format("could detect only ±{} or more at {} vs {} repetitions and {} noise",
                      percent(*row.detectable_change), row.base_n, row.head_n, percent(noise));
  }
  row.note = row.note.empty() ? why : row.note + "; " + why;
}

std::string prefix_of(const std::string& name) {
  auto slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(0, slash);
}

}  // namespace

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::regressed:
      return "regressed";
    case Verdict::improved:
      return "improved";
    case Verdict::inconclusive:
      return "inconclusive";
    case Verdict::unchanged:
      break;
  }
  return "within noise";
}

const char* family_name(Family family) {
  switch (family) {
    case Family::query:
      return "query";
    case Family::run:
      return "run";
    case Family::benchmark:
      break;
  }
  return "benchmark";
}

core::Expected<Family> parse_family(const std::string& text) {
  for (auto family : {Family::benchmark, Family::query, Family::run}) {
    if (text == family_name(family)) return family;
  }
  return core::make_error(core::ErrorKind::usage,
                          fmt::format("--family: expected benchmark, query or run, got '{}'", text));
}

core::Expected<double> parse_fraction(const std::string& text, const std::string& option) {
  std::string number = text;
  bool percent = !number.empty() && number.back() == '%';
  if (percent) number.pop_back();
  double value = 0;
  try {
    size_t used = 0;
    value = std::stod(number, &used);
    if (used != number.size()) throw std::invalid_argument(text);
  } catch (const std::exception&) {
    return core::make_error(core::ErrorKind::usage,
                            fmt::format("{}: expected a fraction such as 5% or 0.05, got '{}'", option, text));
  }
  if (percent || value >= 1) value /= 100;
  if (value < 0 || value >= 1) {
    return core::make_error(core::ErrorKind::usage, fmt::format("{}: '{}' is outside 0%..100%", option, text));
  }
  return value;
}

core::Expected<RunSamples> parse_run(const json& doc, const std::string& path) {
  if (!doc.is_object() || !doc.contains("benchmarks") || !doc["benchmarks"].is_array()) {
    return core::make_error(core::ErrorKind::input,
                            fmt::format("{}: expected a dbvet bench or Google Benchmark JSON document with a "
                                        "\"benchmarks\" array",
                                        path));
  }
  RunSamples run;
  run.path = path;
  size_t index = 0;
  auto note_repetition = [&run](const std::string& name, bool failed) {
    run.benchmarks[name];  // a benchmark that never ran is still one to compare
    if (!run.repetitions.count(name)) run.names.push_back(name);
    ++run.repetitions[name];
    if (failed) ++run.failed_repetitions[name];
  };
  for (const auto& entry : doc["benchmarks"]) {
    ++index;
    const size_t at = index - 1;
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string()) {
      return core::make_error(core::ErrorKind::input, fmt::format("{}: benchmarks[{}] has no \"name\"", path, at));
    }
    if (entry.contains("run_type") && !entry["run_type"].is_string()) {
      return core::make_error(core::ErrorKind::input,
                              fmt::format("{}: benchmarks[{}].run_type: expected a string", path, at));
    }
    if (entry.value("run_type", std::string("iteration")) == "aggregate") continue;
    if (entry.contains("run_name") && !entry["run_name"].is_string()) {
      return core::make_error(core::ErrorKind::input,
                              fmt::format("{}: benchmarks[{}].run_name: expected a string", path, at));
    }
    std::string name = entry.value("run_name", entry["name"].get<std::string>());
    const bool error_occurred =
        entry.contains("error_occurred") && entry["error_occurred"].is_boolean() && entry["error_occurred"].get<bool>();
    if (error_occurred) {
      note_repetition(name, true);
      continue;
    }
    auto iterations = figure(entry, "iterations", path, at);
    if (!iterations) return iterations.error();
    bool is_dbvet = entry.contains("dbvet_variant");
    if (is_dbvet) {
      auto errors = figure(entry, "errors", path, at);
      if (!errors) return errors.error();
      const bool failed = *iterations == 0 && *errors > 0;
      note_repetition(name, failed);
      for (const auto& extra : kDbvetMetrics) {
        auto value = figure(entry, extra.field, path, at);
        if (!value) return value.error();
        if (!std::isnan(*value) && !failed) {
          add_sample(run, name, extra.metric, extra.unit, extra.higher_is_better, *value);
        }
      }
      // Repetitions that disagree among themselves (a workload that writes) make the answer
      // "unstable", as the bench's own summary says, and no change of it can be claimed.
      if (entry.contains("result_hash") && entry["result_hash"].is_string() &&
          (std::isnan(*iterations) || *iterations > 0)) {
        auto hash = entry["result_hash"].get<std::string>();
        auto [it, inserted] = run.result_hashes.try_emplace(name, hash);
        if (!inserted && it->second != hash) it->second = "unstable";
      }
      continue;
    }
    if (entry.contains("time_unit") && !entry["time_unit"].is_string()) {
      return core::make_error(core::ErrorKind::input,
                              fmt::format("{}: benchmarks[{}].time_unit: expected a string", path, at));
    }
    std::string unit = entry.value("time_unit", std::string("ns"));
    auto real_time = figure(entry, "real_time", path, at);
    if (!real_time) return real_time.error();
    auto cpu_time = figure(entry, "cpu_time", path, at);
    if (!cpu_time) return cpu_time.error();
    if (std::isnan(*real_time) || std::isnan(*cpu_time)) {
      return core::make_error(core::ErrorKind::input,
                              fmt::format("{}: benchmarks[{}] ('{}') has no real_time/cpu_time", path, at, name));
    }
    note_repetition(name, false);
    add_sample(run, name, "real_time", unit, false, *real_time);
    add_sample(run, name, "cpu_time", unit, false, *cpu_time);
  }
  if (run.names.empty()) {
    return core::make_error(core::ErrorKind::input,
                            fmt::format("{}: no benchmark repetitions in \"benchmarks\" (empty, or aggregates only): "
                                        "nothing to compare",
                                        path));
  }
  return run;
}

bool RunSamples::all_failed(const std::string& name) const {
  auto total = repetitions.find(name);
  auto failed = failed_repetitions.find(name);
  return total != repetitions.end() && failed != failed_repetitions.end() && total->second > 0 &&
         failed->second == total->second;
}

core::Expected<RunSamples> read_run(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::make_error(core::ErrorKind::input, fmt::format("cannot read {}", path));
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::parse_error& e) {
    return core::make_error(core::ErrorKind::input,
                            fmt::format("{}: byte {}: not valid JSON ({})", path, e.byte, e.what()));
  }
  return parse_run(doc, path);
}

size_t Comparison::count(Verdict verdict) const {
  return static_cast<size_t>(
      std::count_if(rows.begin(), rows.end(), [&](const auto& r) { return r.verdict == verdict; }));
}

std::string Comparison::summary_line() const {
  auto line = fmt::format("{} regressed, {} improved, {} unchanged", count(Verdict::regressed),
                          count(Verdict::improved), count(Verdict::unchanged));
  if (size_t open = count(Verdict::inconclusive)) line += fmt::format(", {} inconclusive", open);
  return line;
}

Comparison compare_runs(const RunSamples& base, const RunSamples& head, const CompareOptions& options) {
  // Pairs by name; a query measured under one variant in each run (baseline in one file, an index
  // variant in the other) pairs by the query part of "query/variant".
  BenchmarkPairs pairs;
  std::vector<std::string> only_in_base, only_in_head;
  std::set<std::string> head_used;
  std::vector<std::string> base_left;
  for (const auto& name : base.names) {
    if (head.benchmarks.count(name)) {
      pairs.emplace_back(name, name);
      head_used.insert(name);
    } else {
      base_left.push_back(name);
    }
  }
  std::map<std::string, std::vector<std::string>> head_left_by_prefix;
  for (const auto& name : head.names) {
    if (!head_used.count(name)) head_left_by_prefix[prefix_of(name)].push_back(name);
  }
  std::map<std::string, int> base_left_per_prefix;
  for (const auto& name : base_left) ++base_left_per_prefix[prefix_of(name)];
  for (const auto& name : base_left) {
    auto& candidates = head_left_by_prefix[prefix_of(name)];
    if (base_left_per_prefix[prefix_of(name)] == 1 && candidates.size() == 1) {
      pairs.emplace_back(name, candidates.front());
      head_used.insert(candidates.front());
      candidates.clear();
    } else {
      only_in_base.push_back(name);
    }
  }
  for (const auto& name : head.names) {
    if (!head_used.count(name)) only_in_head.push_back(name);
  }
  auto result = compare_pairs(base, head, pairs, options);
  result.only_in_base = std::move(only_in_base);
  result.only_in_head = std::move(only_in_head);
  return result;
}

core::Expected<Comparison> compare_variants(const RunSamples& run, std::string base_variant,
                                            const CompareOptions& options) {
  auto variant_of = [](const std::string& name) {
    auto slash = name.rfind('/');
    return slash == std::string::npos ? std::string() : name.substr(slash + 1);
  };
  std::vector<std::string> variants;
  for (const auto& name : run.names) {
    auto variant = variant_of(name);
    if (!variant.empty() && std::find(variants.begin(), variants.end(), variant) == variants.end()) {
      variants.push_back(variant);
    }
  }
  if (base_variant.empty() && !variants.empty()) base_variant = variants.front();
  if (std::find(variants.begin(), variants.end(), base_variant) == variants.end()) {
    return core::make_error(
        core::ErrorKind::usage,
        fmt::format("{}: no variant '{}' (the run has: {})", run.path, base_variant,
                    variants.empty() ? std::string("none") : fmt::format("{}", fmt::join(variants, ", "))));
  }
  if (variants.size() < 2) {
    return core::make_error(core::ErrorKind::usage,
                            fmt::format("{}: one variant only ('{}'); give a second run to compare with, or bench "
                                        "with --variant",
                                        run.path, base_variant));
  }
  BenchmarkPairs pairs;
  std::vector<std::string> unpaired;
  for (const auto& name : run.names) {
    if (variant_of(name) == base_variant) continue;
    auto base_name = prefix_of(name) + "/" + base_variant;
    if (run.benchmarks.count(base_name)) {
      pairs.emplace_back(base_name, name);
    } else {
      unpaired.push_back(name);
    }
  }
  auto result = compare_pairs(run, run, pairs, options);
  result.only_in_head = std::move(unpaired);
  return result;
}

Comparison compare_pairs(const RunSamples& base, const RunSamples& head, const BenchmarkPairs& pairs,
                         const CompareOptions& options) {
  Comparison result;
  result.base_path = base.path;
  result.head_path = head.path;
  result.options = options;
  std::vector<std::string> family_of_row;  // per row, the key of its family

  for (const auto& [base_name, head_name] : pairs) {
    const auto& base_metrics = base.benchmarks.at(base_name);
    const auto& head_metrics = head.benchmarks.at(head_name);
    std::string label = base_name == head_name ? base_name
                                               : fmt::format("{} ({} → {})", prefix_of(base_name),
                                                             base_name.substr(prefix_of(base_name).size() + 1),
                                                             head_name.substr(prefix_of(head_name).size() + 1));
    const size_t first_row = result.rows.size();
    std::string answer_note;
    auto bh = base.result_hashes.find(base_name), hh = head.result_hashes.find(head_name);
    if (bh != base.result_hashes.end() && hh != head.result_hashes.end() && bh->second != hh->second &&
        bh->second != "unstable" && hh->second != "unstable") {
      answer_note = "answer changed";
    }
    for (const auto& [metric, base_samples] : base_metrics) {
      auto it = head_metrics.find(metric);
      if (it == head_metrics.end()) continue;
      const auto& head_samples = it->second;
      ComparisonRow row;
      row.name = label;
      row.metric = metric;
      row.unit = base_samples.unit;
      row.higher_is_better = base_samples.higher_is_better;
      row.base_n = base_samples.values.size();
      row.head_n = head_samples.values.size();
      row.base_median = median(base_samples.values);
      row.head_median = median(head_samples.values);
      row.base_spread = relative_spread(base_samples.values);
      row.head_spread = relative_spread(head_samples.values);
      auto interval = bootstrap_ratio_of_medians(base_samples.values, head_samples.values);
      row.ratio = interval.ratio;
      row.ratio_low = interval.low;
      row.ratio_high = interval.high;
      row.p_value = mann_whitney_u(base_samples.values, head_samples.values).p_value;
      row.note = answer_note;
      result.rows.push_back(std::move(row));
    }
    // A side on which every execution failed has no figures worth testing: the query is broken
    // there, which no noise explains.
    const bool head_failed = head.all_failed(head_name), base_failed = base.all_failed(base_name);
    if (head_failed || base_failed) {
      if (result.rows.size() == first_row) {
        ComparisonRow row;
        row.name = label;
        row.metric = "executions";
        auto count = [](const RunSamples& run, const std::string& name) {
          auto it = run.repetitions.find(name);
          return it == run.repetitions.end() ? size_t{0} : it->second;
        };
        row.base_n = count(base, base_name);
        row.head_n = count(head, head_name);
        result.rows.push_back(std::move(row));
      }
      for (size_t i = first_row; i < result.rows.size(); ++i) {
        auto& row = result.rows[i];
        row.forced = head_failed ? Verdict::regressed : Verdict::improved;
        row.note = head_failed && base_failed ? "every execution failed in base and head"
                   : head_failed              ? "every execution failed in head"
                                              : "every execution failed in base";
      }
    }

    const std::string key = options.family == Family::benchmark ? label
                            : options.family == Family::query   ? prefix_of(head_name)
                                                                : std::string();
    for (size_t i = first_row; i < result.rows.size(); ++i) family_of_row.push_back(key);
  }

  // Holm's correction within each family, and with nothing else.
  std::map<std::string, std::vector<size_t>> families;
  for (size_t i = 0; i < result.rows.size(); ++i) families[family_of_row[i]].push_back(i);
  for (const auto& [key, members] : families) {
    std::vector<double> p_values;
    for (size_t i : members) p_values.push_back(result.rows[i].p_value);
    auto adjusted = holm_adjust(p_values);
    for (size_t k = 0; k < members.size(); ++k) {
      auto& row = result.rows[members[k]];
      row.p_adjusted = adjusted[k];
      row.family_size = members.size();
      judge(row, options);
    }
  }
  return result;
}

void to_json(json& out, const Comparison& comparison) {
  out["base"] = comparison.base_path;
  out["head"] = comparison.head_path;
  out["threshold"] = comparison.options.threshold;
  out["alpha"] = comparison.options.alpha;
  out["power"] = comparison.options.power;
  out["correction"] = {{"method", "holm"}, {"family", family_name(comparison.options.family)}};
  out["summary"] = {{"regressed", comparison.count(Verdict::regressed)},
                    {"improved", comparison.count(Verdict::improved)},
                    {"unchanged", comparison.count(Verdict::unchanged)},
                    {"inconclusive", comparison.count(Verdict::inconclusive)},
                    {"line", comparison.summary_line()}};
  out["comparisons"] = json::array();
  for (const auto& row : comparison.rows) {
    json item = {{"name", row.name},
                 {"metric", row.metric},
                 {"unit", row.unit},
                 {"higher_is_better", row.higher_is_better},
                 {"base", {{"median", row.base_median}, {"n", row.base_n}, {"spread", row.base_spread}}},
                 {"head", {{"median", row.head_median}, {"n", row.head_n}, {"spread", row.head_spread}}},
                 {"ratio", row.ratio},
                 {"ratio_ci95", {row.ratio_low, row.ratio_high}},
                 {"p_value", row.p_value},
                 {"p_adjusted", row.p_adjusted},
                 {"family_size", row.family_size},
                 {"detectable_change", row.detectable_change ? json(*row.detectable_change) : json(nullptr)},
                 {"verdict", verdict_name(row.verdict)}};
    if (!row.note.empty()) item["note"] = row.note;
    out["comparisons"].push_back(std::move(item));
  }
  out["only_in_base"] = comparison.only_in_base;
  out["only_in_head"] = comparison.only_in_head;
}

}  // namespace dbvet::bench
