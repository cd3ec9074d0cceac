#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class SetNotNull final : public migration_support::ActionRule {
 public:
  SetNotNull()
      : ActionRule({"migration-set-not-null",
                    Category::migration,
                    model::Severity::warning,
                    "SET NOT NULL on an existing column scans the whole table under an exclusive lock",
                    {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& context, const sql::MigrationStatement& /*statement*/,
                                   const sql::MigrationAction& action) const override {
    if (action.op != sql::MigrationOp::set_not_null || action.new_table) return std::nullopt;
    if (migration_support::is_mysql(context)) return std::nullopt;
    int version = context.migration ? context.migration->pg_version : 15;
    if (version >= 12) {
      return fmt::format(
          "SET NOT NULL on {}.{} scans the table under an ACCESS EXCLUSIVE lock: first add CHECK ({} IS NOT NULL) "
          "NOT VALID and VALIDATE it; PostgreSQL {} then sets NOT NULL without the scan",
          action.table, action.name, action.name, version);
    }
    return fmt::format(
        "SET NOT NULL on {}.{} scans the table under an ACCESS EXCLUSIVE lock, and PostgreSQL {} cannot skip the "
        "scan (12 can, with a validated CHECK constraint): keep a NOT VALID CHECK constraint instead",
        action.table, action.name, version);
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_set_not_null() { return std::make_unique<SetNotNull>(); }

}  // namespace dbvet::rules
