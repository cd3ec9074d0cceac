#include "fmt/format.h"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class TableWithoutPrimaryKey final : public Rule {
 public:
  TableWithoutPrimaryKey()
      : Rule({"schema-table-without-primary-key",
              Category::schema,
              model::Severity::warning,
              "A table without a primary key",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.schema) return out;
    for (const auto& table : context.schema->tables) {
      if (table.has_primary_key()) continue;
      auto f = finding(
          context, table.name,
          fmt::format(
              "{} has no primary key: rows cannot be addressed reliably, logical replication and "
              "many tools refuse it{}; add one (an identity column if nothing natural exists)",
              table.name,
              context.dialect().clusters_on_hidden_row_id ? ", and InnoDB clusters it on a hidden row id" : ""));
      f.evidence["table"] = table.name;
      out.push_back(std::move(f));
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_schema_table_without_primary_key() { return std::make_unique<TableWithoutPrimaryKey>(); }

}  // namespace dbvet::rules
