#include <algorithm>

#include "fmt/format.h"
#include "rules/registry.hpp"
#include "rules/schema/schema_support.hpp"

namespace dbvet::rules {
namespace {

using namespace schema_support;

// An index serves the foreign key when its leading columns are the key's columns, in any order.
bool served(const model::Table& table, const model::ForeignKey& fk) {
  for (const auto& index : table.indexes) {
    if (!index.valid || !index.predicate.empty() || index.columns.size() < fk.columns.size()) continue;
    if (method_of(index) != "btree" && method_of(index) != "rowid") continue;  // SQLite: the rowid is a B-tree key
    bool all = true;
    for (size_t i = 0; i < fk.columns.size() && all; ++i) {
      const auto& key = index.columns[i];
      all = std::any_of(fk.columns.begin(), fk.columns.end(),
                        [&](const std::string& c) { return lower(c) == lower(key); });
    }
    if (all) return true;
  }
  return false;
}

class UnindexedForeignKey final : public Rule {
 public:
  UnindexedForeignKey()
      : Rule({"schema-unindexed-foreign-key",
              Category::schema,
              model::Severity::warning,
              "A foreign key without an index on its referencing columns",
              {{"min_rows", 1000, "rows of the referencing table from which it counts (when known)"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.schema) return out;
    const double min_rows = threshold(context, "min_rows");
    for (const auto& table : context.schema->tables) {
      if (table.estimated_rows && *table.estimated_rows < min_rows) continue;
      for (const auto& fk : table.foreign_keys) {
        if (fk.columns.empty() || served(table, fk)) continue;
        std::string columns = join(fk.columns);
        auto f = finding(context, table.name,
                         fmt::format("foreign key {}({}) -> {} has no index: joins from {} and every DELETE/UPDATE of "
                                     "a {} key scan the whole of {}; CREATE INDEX ON {} ({})",
                                     table.name, columns, fk.referenced_table, fk.referenced_table, fk.referenced_table,
                                     table.name, table.name, columns));
        f.evidence["foreign_key"] = fk.name;
        f.evidence["columns"] = columns;
        f.evidence["references"] = fk.referenced_table + "(" + join(fk.referenced_columns) + ")";
        if (table.estimated_rows) f.evidence["table_rows"] = fmt::format("{:.0f}", *table.estimated_rows);
        out.push_back(std::move(f));
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_schema_unindexed_foreign_key() { return std::make_unique<UnindexedForeignKey>(); }

}  // namespace dbvet::rules
