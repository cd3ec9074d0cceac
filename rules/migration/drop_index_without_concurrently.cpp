#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class DropIndexWithoutConcurrently final : public migration_support::ActionRule {
 public:
  DropIndexWithoutConcurrently()
      : ActionRule({"migration-drop-index-without-concurrently",
                    Category::migration,
                    model::Severity::warning,
                    "DROP INDEX without CONCURRENTLY blocks reads and writes of its table",
                    {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& context, const sql::MigrationStatement& /*statement*/,
                                   const sql::MigrationAction& action) const override {
    if (action.op != sql::MigrationOp::drop_index || action.online) return std::nullopt;
    // MySQL and MariaDB drop an index in place, changing only metadata.
    if (migration_support::is_mysql(context)) return std::nullopt;
    return fmt::format(
        "DROP INDEX {} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table, queued behind every running "
        "query: use DROP INDEX CONCURRENTLY",
        action.name);
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_drop_index_without_concurrently() {
  return std::make_unique<DropIndexWithoutConcurrently>();
}

}  // namespace dbvet::rules
