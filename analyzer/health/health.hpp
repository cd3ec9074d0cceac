#pragma once
// Runs the health checks of every target of a product, each in its own thread, so that one target
// that is down or slow delays nobody. A target that cannot be reached is reported as such (a
// "target-down" finding and dbvet_target_up 0); the others are still checked.

#include <chrono>
#include <string>
#include <vector>

#include "analyzer/core/target_url.hpp"
#include "analyzer/health/check.hpp"

namespace dbvet::health {

struct HealthTarget {
  std::string name;  // from the config; the redacted URL when given on the command line
  core::TargetUrl url;
};

struct HealthOptions {
  Thresholds thresholds;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds statement_timeout{10000};
};

TargetHealth check_target(const HealthTarget& target, const HealthOptions& options);
std::vector<TargetHealth> check_targets(const std::vector<HealthTarget>& targets, const HealthOptions& options);

// One finding per index to drop: an "unused" finding (`*-unused-index`) on an index that a
// duplicate/redundant finding (`*-duplicate-index`, `*-redundant-index`) of at least the same
// severity already reports is removed, its scan count being no reason of its own. Objects match
// when equal or when one is the other qualified by a schema or table ("public.idx" and "idx").
// check_target applies it to every target.
void fold_index_drops(std::vector<CheckFinding>& findings);

// Every check id per engine, for documentation and tests.
std::vector<std::string> check_ids(core::Engine engine);

// Counts of findings at each severity over all targets.
struct Summary {
  int targets = 0;
  int down = 0;
  int errors = 0;
  int warnings = 0;
  int infos = 0;
};
Summary summarize(const std::vector<TargetHealth>& results);
// True when some finding is at or above `level`.
bool any_at_or_above(const std::vector<TargetHealth>& results, model::Severity level);

}  // namespace dbvet::health
