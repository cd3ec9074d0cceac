#include <algorithm>

#include "fmt/format.h"
#include "rules/registry.hpp"
#include "rules/schema/index_judge.hpp"
#include "rules/schema/schema_support.hpp"

namespace dbvet::rules {
namespace {

using namespace schema_support;

bool served(const model::Table& table, const model::ForeignKey& fk) {
  return std::any_of(table.indexes.begin(), table.indexes.end(),
                     [&](const model::Index& index) { return index_judge::serves_foreign_key(index, fk.columns); });
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
