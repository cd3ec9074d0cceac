#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class DefaultRewritesTable final : public migration_support::ActionRule {
 public:
  DefaultRewritesTable()
      : ActionRule({"migration-default-rewrites-table",
                    Category::migration,
                    model::Severity::warning,
                    "ADD COLUMN with a default that rewrites the whole table (a volatile default, or any before "
                    "PostgreSQL 11)",
                    {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& context, const sql::MigrationStatement& /*statement*/,
                                   const sql::MigrationAction& action) const override {
    if (action.op != sql::MigrationOp::add_column || action.new_table) return std::nullopt;
    if (migration_support::is_mysql(context)) {
      if (migration_support::mysql_adds_columns_instantly(context)) return std::nullopt;
      return fmt::format(
          "ADD COLUMN {} copies {} on MySQL/MariaDB {}.{} (instant ADD COLUMN came with MariaDB 10.3 "
          "and MySQL 8.0)",
          action.name, action.table, context.migration->mysql_major, context.migration->mysql_minor);
    }
    if (!action.has_default) return std::nullopt;
    int version = context.migration ? context.migration->pg_version : 15;
    if (action.volatile_default) {
      return fmt::format(
          "ADD COLUMN {} with a volatile default (a value per row) rewrites {} under an ACCESS EXCLUSIVE lock: add "
          "the column without a default, set the default for new rows, and backfill old rows in batches",
          action.name, action.table);
    }
    if (version < 11) {
      return fmt::format(
          "ADD COLUMN {} with a default rewrites {} on PostgreSQL {} (11 stores a constant default without a "
          "rewrite): add the column without a default, then SET DEFAULT and backfill in batches",
          action.name, action.table, version);
    }
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_default_rewrites_table() { return std::make_unique<DefaultRewritesTable>(); }

}  // namespace dbvet::rules
