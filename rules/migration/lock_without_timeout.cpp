#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

// One finding per statement (not per action): the timeout is a property of the session.
class LockWithoutTimeout final : public Rule {
 public:
  LockWithoutTimeout()
      : Rule({"migration-lock-without-timeout",
              Category::migration,
              model::Severity::warning,
              "DDL on an existing table with no lock timeout set earlier in the file",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    const auto* statement = migration_support::statement(context);
    if (!statement || !statement->ddl || statement->lock_timeout_set) return out;
    bool only_new_tables = !statement->actions.empty();
    std::string table;
    for (const auto& action : statement->actions) {
      only_new_tables = only_new_tables && action.new_table;
      if (table.empty()) table = action.table;
    }
    if (only_new_tables) return out;
    bool mysql = migration_support::is_mysql(context);
    out.push_back(
        finding(context, table,
                fmt::format("this statement waits for its lock behind any long query on {}, and every query after it "
                            "waits too: put {} earlier in the file (and retry the migration when it times out)",
                            table.empty() ? std::string("the table") : table,
                            mysql ? "SET SESSION lock_wait_timeout = 5" : "SET lock_timeout = '5s'")));
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_lock_without_timeout() { return std::make_unique<LockWithoutTimeout>(); }

}  // namespace dbvet::rules
