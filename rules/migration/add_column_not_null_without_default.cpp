#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class AddColumnNotNullWithoutDefault final : public migration_support::ActionRule {
 public:
  AddColumnNotNullWithoutDefault()
      : ActionRule({"migration-add-column-not-null-without-default",
                    Category::migration,
                    model::Severity::error,
                    "ADD COLUMN ... NOT NULL without a default fails on a table that has rows",
                    {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& context, const sql::MigrationStatement& /*statement*/,
                                   const sql::MigrationAction& action) const override {
    if (action.op != sql::MigrationOp::add_column || action.new_table || !action.not_null || action.has_default) {
      return std::nullopt;
    }
    // MySQL and MariaDB fill in the type's implicit default (0, '') instead of failing.
    if (migration_support::is_mysql(context)) return std::nullopt;
    return fmt::format(
        "ADD COLUMN {} NOT NULL without a default fails as soon as {} has a row: add the column nullable, "
        "backfill it in batches, then add the constraint (or give it a constant default)",
        action.name, action.table);
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_add_column_not_null_without_default() {
  return std::make_unique<AddColumnNotNullWithoutDefault>();
}

}  // namespace dbvet::rules
