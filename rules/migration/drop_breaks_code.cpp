#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class DropBreaksCode final : public migration_support::ActionRule {
 public:
  DropBreaksCode()
      : ActionRule({"migration-drop-breaks-code",
                    Category::migration,
                    model::Severity::warning,
                    "DROP COLUMN or DROP TABLE breaks the code still running against the old schema",
                    {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& /*context*/, const sql::MigrationStatement& /*statement*/,
                                   const sql::MigrationAction& action) const override {
    bool column = action.op == sql::MigrationOp::drop_column;
    if ((!column && action.op != sql::MigrationOp::drop_table) || action.new_table) return std::nullopt;
    return column ? fmt::format(
                        "DROP COLUMN {}.{} breaks every running version of the code that still reads or "
                        "writes it: first release code that no longer uses it, then drop it",
                        action.table, action.name)
                  : fmt::format(
                        "DROP TABLE {} breaks every running version of the code that still uses it: first "
                        "release code that no longer does, then drop it",
                        action.table);
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_drop_breaks_code() { return std::make_unique<DropBreaksCode>(); }

}  // namespace dbvet::rules
