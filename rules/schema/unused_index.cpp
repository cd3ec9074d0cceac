#include <algorithm>
#include <cmath>

#include "fmt/format.h"
#include "rules/registry.hpp"
#include "rules/schema/index_judge.hpp"
#include "rules/schema/schema_support.hpp"

namespace dbvet::rules {
namespace {

using namespace schema_support;

// An index that makes a shorter one redundant is not reported unused: the planner may have preferred
// the shorter one so far, and dropping both would leave the columns unindexed.
bool covers_a_redundant_index(const model::Table& table, const model::Index& longer) {
  return std::any_of(table.indexes.begin(), table.indexes.end(), [&](const model::Index& shorter) {
    return index_judge::covered_by(shorter, longer) == index_judge::Cover::prefix;
  });
}

std::string count_of(double amount, const char* unit) {
  const long whole = std::lround(amount);
  return fmt::format("{} {}{}", whole, unit, whole == 1 ? "" : "s");
}

// 30 days, 5 hours, 1 minute: as a person writes an age.
std::string format_age(double seconds) {
  if (seconds >= 86400) return count_of(seconds / 86400, "day");
  if (seconds >= 3600) return count_of(seconds / 3600, "hour");
  return count_of(seconds / 60, "minute");
}

class UnusedIndex final : public Rule {
 public:
  // PgHero's thresholds, which health's pg-unused-index shares (health reads these defaults).
  UnusedIndex()
      : Rule({"schema-unused-index",
              Category::schema,
              model::Severity::warning,
              "An index (almost) never scanned in statistics old enough to tell (not unique, not primary)",
              {{"max_scans", 50, "scans at or below which the index counts as unused"},
               {"min_size_bytes", 0, "index size from which it counts"},
               {"min_statistics_age_days", 7,
                "statistics younger than this (since a reset or the server start) cannot call an index unused; "
                "a week covers weekly jobs"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.schema) return out;
    const double min_size = threshold(context, "min_size_bytes");
    const double max_scans = threshold(context, "max_scans");
    const double min_age_seconds = threshold(context, "min_statistics_age_days") * 86400;
    const auto& age = context.schema->statistics_age_seconds;
    const std::string window = age ? format_age(*age) : std::string("an unknown time");
    for (const auto& table : context.schema->tables) {
      for (const auto& index : table.indexes) {
        if (index.unique || index.primary || !index.scans) continue;
        if (static_cast<double>(*index.scans) > max_scans) continue;
        if (index.size_bytes && static_cast<double>(*index.size_bytes) < min_size) continue;
        if (covers_a_redundant_index(table, index)) continue;
        const bool too_young = age && *age < min_age_seconds;
        const std::string size = index.size_bytes ? fmt::format("{} kB", *index.size_bytes / 1024) : "unknown size";
        auto f =
            finding(context, table.name,
                    too_young ? fmt::format("index {} on {} ({}) has been scanned {} times, but the statistics "
                                            "count only {}: too short to call it unused; look again after {:.0f} "
                                            "days",
                                            index.name, table.name, join(index.columns), *index.scans, window,
                                            min_age_seconds / 86400)
                              : fmt::format("index {} on {} ({}) has been scanned {} times in {} of statistics "
                                            "yet costs {} and a write per row change; drop it (check replicas "
                                            "first)",
                                            index.name, table.name, join(index.columns), *index.scans, window, size));
        if (too_young) {
          f.severity = model::Severity::info;
          f.evidence["statistics_too_young"] = "true";  // no drop is recommended from this finding
        }
        f.evidence["index"] = index.name;
        f.evidence["scans"] = std::to_string(*index.scans);
        if (index.size_bytes) f.evidence["size_bytes"] = std::to_string(*index.size_bytes);
        f.evidence["statistics_age"] = window;
        out.push_back(std::move(f));
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_schema_unused_index() { return std::make_unique<UnusedIndex>(); }

}  // namespace dbvet::rules
