#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class UniqueConstraintWithoutIndex final : public migration_support::ActionRule {
 public:
  UniqueConstraintWithoutIndex()
      : ActionRule({"migration-unique-constraint-without-index",
                    Category::migration,
                    model::Severity::warning,
                    "A UNIQUE or PRIMARY KEY constraint not built from an index made CONCURRENTLY",
                    {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& context, const sql::MigrationStatement& /*statement*/,
                                   const sql::MigrationAction& action) const override {
    if (action.op != sql::MigrationOp::add_unique || action.new_table || action.using_index) return std::nullopt;
    if (migration_support::is_mysql(context)) return std::nullopt;
    return fmt::format(
        "the unique constraint on {} builds its index under an ACCESS EXCLUSIVE lock: CREATE UNIQUE INDEX "
        "CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX",
        action.table);
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_unique_constraint_without_index() {
  return std::make_unique<UniqueConstraintWithoutIndex>();
}

}  // namespace dbvet::rules
