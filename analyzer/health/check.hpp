#pragma once
// The vocabulary of `dbvet health`: what a check finds, the metrics it measures, and the result of
// one target. Checks are split in two: a gathering step that runs read-only SQL (or Redis commands)
// and a pure evaluation (rows in -> findings and metrics out) that unit tests drive without servers.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/model/finding.hpp"

namespace dbvet::health {

using Labels = std::vector<std::pair<std::string, std::string>>;

// One gauge sample. The renderer adds the target and engine labels.
struct Metric {
  std::string name;  // dbvet_*
  std::string help;  // one line, for # HELP
  Labels labels;
  double value = 0;
};

struct CheckFinding {
  std::string check;  // stable id, e.g. "pg-duplicate-index"
  model::Severity severity = model::Severity::warning;
  std::string object;   // the index, table, sequence, key, session... it is about
  std::string message;  // one sentence
  std::optional<double> value;
  std::optional<double> threshold;
};

// A row of a "top" list (queries by total time), kept for reports.
struct TopQuery {
  std::string query;
  double calls = 0;
  double total_seconds = 0;
  double mean_seconds = 0;
  double rows = 0;
};

struct CheckResult {
  std::vector<CheckFinding> findings;
  std::vector<Metric> metrics;
  std::vector<TopQuery> top_queries;
};

enum class CheckStatus { ok, findings, skipped, failed };
std::string check_status_name(CheckStatus status);

struct CheckOutcome {
  std::string id;
  CheckStatus status = CheckStatus::ok;
  std::string note;  // why it was skipped or failed
  double seconds = 0;
};

struct TargetHealth {
  std::string name;  // from the config, or the redacted URL
  std::string url;   // redacted
  core::Engine engine = core::Engine::sqlite;
  bool up = false;
  std::string error;  // when down
  std::string server_version;
  double seconds = 0;
  std::vector<CheckOutcome> checks;
  std::vector<CheckFinding> findings;
  std::vector<Metric> metrics;
  std::vector<TopQuery> top_queries;
};

// Thresholds by name ("pg.cache_hit_ratio" -> 0.99). Defaults come from default_thresholds();
// --threshold NAME=VALUE and the config's [thresholds] table override them.
class Thresholds {
 public:
  Thresholds();
  double get(const std::string& name) const;
  // False when the name is unknown (a usage error for the caller).
  bool set(const std::string& name, double value);
  const std::map<std::string, double>& all() const { return values_; }

 private:
  std::map<std::string, double> values_;
};

// Records what one check gave into `target`: its outcome (skipped when the engine lacks what it
// needs, failed on other errors), findings, metrics (labelled with the check id) and top queries.
void record_check(TargetHealth& target, const std::string& id, core::Expected<CheckResult> result, double seconds);

// Helpers shared by evaluations.
inline Metric gauge(std::string name, std::string help, double value, Labels labels = {}) {
  return Metric{std::move(name), std::move(help), std::move(labels), value};
}
std::optional<double> to_number(const std::optional<std::string>& text);
std::string format_ratio(double ratio);  // "97.5%"
std::string format_bytes(double bytes);  // "12.3 MB"

}  // namespace dbvet::health
