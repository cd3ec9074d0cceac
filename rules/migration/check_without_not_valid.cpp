#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class CheckWithoutNotValid final : public migration_support::ActionRule {
 public:
  CheckWithoutNotValid()
      : ActionRule({"migration-check-without-not-valid",
                    Category::migration,
                    model::Severity::warning,
                    "ADD CONSTRAINT ... CHECK without NOT VALID scans the table under an exclusive lock",
                    {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& context, const sql::MigrationStatement& /*statement*/,
                                   const sql::MigrationAction& action) const override {
    if (action.op != sql::MigrationOp::add_check || action.new_table || action.not_valid) return std::nullopt;
    if (migration_support::is_mysql(context)) {
      return fmt::format("ADD CHECK on {} checks every row while the table is copied: plan it for a quiet moment",
                         action.table);
    }
    return fmt::format(
        "ADD CONSTRAINT {} CHECK on {} checks every row under an ACCESS EXCLUSIVE lock: add it NOT VALID, then "
        "VALIDATE CONSTRAINT in a separate statement (that takes only a SHARE UPDATE EXCLUSIVE lock)",
        action.name.empty() ? "..." : action.name, action.table);
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_check_without_not_valid() { return std::make_unique<CheckWithoutNotValid>(); }

}  // namespace dbvet::rules
