#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class IndexWithoutConcurrently final : public migration_support::ActionRule {
 public:
  IndexWithoutConcurrently()
      : ActionRule(
            {"migration-index-without-concurrently",
             Category::migration,
             model::Severity::warning,
             "An index built on an existing table without CONCURRENTLY (PostgreSQL) or LOCK=NONE (MySQL/MariaDB)",
             {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& context, const sql::MigrationStatement& /*statement*/,
                                   const sql::MigrationAction& action) const override {
    if (action.op != sql::MigrationOp::create_index || action.new_table || action.online) return std::nullopt;
    std::string name = action.name.empty() ? std::string("(unnamed)") : action.name;
    if (migration_support::is_mysql(context)) {
      return fmt::format(
          "index {} on {} is built without ALGORITHM=INPLACE, LOCK=NONE: say so, so that the server builds it "
          "while writes go on or refuses instead of locking the table",
          name, action.table);
    }
    return fmt::format(
        "CREATE INDEX {} on {} without CONCURRENTLY blocks every write to {} until the build ends: use CREATE INDEX "
        "CONCURRENTLY (outside a transaction block)",
        name, action.table, action.table);
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_index_without_concurrently() {
  return std::make_unique<IndexWithoutConcurrently>();
}

}  // namespace dbvet::rules
