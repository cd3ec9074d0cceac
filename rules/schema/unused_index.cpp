#include <algorithm>

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

class UnusedIndex final : public Rule {
 public:
  UnusedIndex()
      : Rule({"schema-unused-index",
              Category::schema,
              model::Severity::warning,
              "An index never scanned since the statistics were reset (not unique, not primary)",
              {{"min_size_bytes", 65536, "index size from which it counts"},
               {"max_scans", 0, "scans at or below which the index counts as unused"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.schema) return out;
    const double min_size = threshold(context, "min_size_bytes");
    const double max_scans = threshold(context, "max_scans");
    for (const auto& table : context.schema->tables) {
      for (const auto& index : table.indexes) {
        if (index.unique || index.primary || !index.scans) continue;
        if (static_cast<double>(*index.scans) > max_scans) continue;
        if (!index.size_bytes || static_cast<double>(*index.size_bytes) < min_size) continue;
        if (covers_a_redundant_index(table, index)) continue;
        auto f =
            finding(context, table.name,
                    fmt::format("index {} on {} ({}) has been scanned {} times since the statistics were reset "
                                "yet costs {} kB and a write per row change; drop it (check replicas first)",
                                index.name, table.name, join(index.columns), *index.scans, *index.size_bytes / 1024));
        f.evidence["index"] = index.name;
        f.evidence["scans"] = std::to_string(*index.scans);
        f.evidence["size_bytes"] = std::to_string(*index.size_bytes);
        out.push_back(std::move(f));
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_schema_unused_index() { return std::make_unique<UnusedIndex>(); }

}  // namespace dbvet::rules
