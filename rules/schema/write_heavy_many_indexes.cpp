#include "fmt/format.h"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class WriteHeavyManyIndexes final : public Rule {
 public:
  WriteHeavyManyIndexes()
      : Rule({"schema-write-heavy-many-indexes",
              Category::schema,
              model::Severity::info,
              "A write-heavy table carries many secondary indexes, each one paid on every write",
              {{"max_indexes", 5, "secondary indexes above which a write-heavy table counts"},
               {"min_write_fraction", 0.5, "writes / (writes + scans) from which a table is write-heavy"},
               {"min_writes", 10000, "row writes (inserts + updates + deletes) from which it counts"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.schema) return out;
    for (const auto& table : context.schema->tables) {
      if (!table.inserts && !table.updates && !table.deletes) continue;
      double writes =
          static_cast<double>(table.inserts.value_or(0) + table.updates.value_or(0) + table.deletes.value_or(0));
      double reads = static_cast<double>(table.seq_scans.value_or(0) + table.index_scans.value_or(0));
      int secondary = 0;
      for (const auto& index : table.indexes) secondary += index.primary ? 0 : 1;
      if (secondary <= threshold(context, "max_indexes") || writes < threshold(context, "min_writes")) continue;
      double fraction = writes / (writes + reads);
      if (fraction < threshold(context, "min_write_fraction")) continue;
      auto f = finding(context, table.name,
                       fmt::format("{} takes {:.0f}% writes and carries {} secondary indexes, each updated on every "
                                   "insert (and on updates of its columns); drop the unused and redundant ones",
                                   table.name, fraction * 100, secondary));
      f.evidence["secondary_indexes"] = std::to_string(secondary);
      f.evidence["writes"] = fmt::format("{:.0f}", writes);
      f.evidence["scans"] = fmt::format("{:.0f}", reads);
      out.push_back(std::move(f));
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_schema_write_heavy_many_indexes() { return std::make_unique<WriteHeavyManyIndexes>(); }

}  // namespace dbvet::rules
