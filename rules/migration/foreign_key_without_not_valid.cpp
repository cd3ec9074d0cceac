#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class ForeignKeyWithoutNotValid final : public migration_support::ActionRule {
 public:
  ForeignKeyWithoutNotValid()
      : ActionRule({"migration-foreign-key-without-not-valid",
                    Category::migration,
                    model::Severity::warning,
                    "A foreign key added to an existing table without NOT VALID checks every row under lock",
                    {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& context, const sql::MigrationStatement& /*statement*/,
                                   const sql::MigrationAction& action) const override {
    if (action.op != sql::MigrationOp::add_foreign_key || action.new_table || action.not_valid) return std::nullopt;
    if (migration_support::is_mysql(context)) return std::nullopt;
    return fmt::format(
        "the foreign key on {} is checked against every row while both tables are locked against writes (SHARE ROW "
        "EXCLUSIVE): add it NOT VALID, then VALIDATE CONSTRAINT in a separate statement",
        action.table);
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_foreign_key_without_not_valid() {
  return std::make_unique<ForeignKeyWithoutNotValid>();
}

}  // namespace dbvet::rules
