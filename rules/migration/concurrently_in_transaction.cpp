#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class ConcurrentlyInTransaction final : public migration_support::ActionRule {
 public:
  ConcurrentlyInTransaction()
      : ActionRule({"migration-concurrently-in-transaction",
                    Category::migration,
                    model::Severity::error,
                    "CREATE/DROP INDEX CONCURRENTLY inside a transaction block fails",
                    {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& context, const sql::MigrationStatement& statement,
                                   const sql::MigrationAction& action) const override {
    if (migration_support::is_mysql(context) || !statement.in_transaction || !action.online) return std::nullopt;
    if (action.op != sql::MigrationOp::create_index && action.op != sql::MigrationOp::drop_index) return std::nullopt;
    const char* verb = action.op == sql::MigrationOp::create_index ? "CREATE" : "DROP";
    if (statement.tool_transaction) {
      // --assume-in-transaction: the file has no BEGIN to move; the tool's transaction is the problem.
      return fmt::format(
          "{} INDEX CONCURRENTLY {} runs inside the transaction the migration tool wraps this file in "
          "(--assume-in-transaction), where PostgreSQL refuses it: turn that transaction off for this file "
          "(most migration tools have a per-file switch)",
          verb, action.name);
    }
    return fmt::format(
        "{} INDEX CONCURRENTLY {} runs inside BEGIN ... COMMIT, where PostgreSQL refuses it: run it outside the "
        "transaction (most migration tools have a per-file switch to turn their transaction off)",
        verb, action.name);
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_concurrently_in_transaction() {
  return std::make_unique<ConcurrentlyInTransaction>();
}

}  // namespace dbvet::rules
