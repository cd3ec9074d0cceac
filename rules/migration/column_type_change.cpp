#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class ColumnTypeChange final : public migration_support::ActionRule {
 public:
  ColumnTypeChange()
      : ActionRule({"migration-column-type-change",
                    Category::migration,
                    model::Severity::warning,
                    "Changing a column's type rewrites the table and its indexes under an exclusive lock",
                    {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& context, const sql::MigrationStatement& /*statement*/,
                                   const sql::MigrationAction& action) const override {
    if (action.op != sql::MigrationOp::alter_column_type || action.new_table) return std::nullopt;
    if (migration_support::is_mysql(context)) {
      return fmt::format(
          "MODIFY/CHANGE of {}.{} copies the table and blocks writes while it does (only a few "
          "changes, such as widening a VARCHAR within its length byte, run in place)",
          action.table, action.name);
    }
    return fmt::format(
        "ALTER COLUMN {} TYPE {} rewrites {} and rebuilds its indexes under an ACCESS EXCLUSIVE lock (unless it only "
        "widens varchar or turns it into text): add a new column, backfill it, and switch readers over",
        action.name, action.type.empty() ? "..." : action.type, action.table);
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_column_type_change() { return std::make_unique<ColumnTypeChange>(); }

}  // namespace dbvet::rules
