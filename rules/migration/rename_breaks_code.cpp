#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class RenameBreaksCode final : public migration_support::ActionRule {
 public:
  RenameBreaksCode()
      : ActionRule({"migration-rename-breaks-code",
                    Category::migration,
                    model::Severity::warning,
                    "RENAME of a column or table breaks the code still running against the old name",
                    {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& /*context*/, const sql::MigrationStatement& /*statement*/,
                                   const sql::MigrationAction& action) const override {
    bool column = action.op == sql::MigrationOp::rename_column;
    if ((!column && action.op != sql::MigrationOp::rename_table) || action.new_table) return std::nullopt;
    return column ? fmt::format(
                        "RENAME COLUMN {}.{} breaks every running version of the code that uses the old "
                        "name: add the new column, write both, move readers, then drop the old one",
                        action.table, action.name)
                  : fmt::format(
                        "RENAME of table {} breaks every running version of the code that uses the old "
                        "name: create a view under the old name for the transition, or migrate in steps",
                        action.table);
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_rename_breaks_code() { return std::make_unique<RenameBreaksCode>(); }

}  // namespace dbvet::rules
