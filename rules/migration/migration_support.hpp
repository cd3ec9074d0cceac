#pragma once
// What the migration rules share: the statement they judge and a base for rules that judge each
// DDL action of it (an ALTER TABLE with three subcommands is three actions).

#include <optional>
#include <string>
#include <vector>

#include "analyzer/sql/migration.hpp"
#include "rules/rule.hpp"

namespace dbvet::rules::migration_support {

// The statement under judgement, or nullptr outside `dbvet lint`.
const sql::MigrationStatement* statement(const RuleContext& context);
// MySQL or MariaDB, asked of the dialect (else PostgreSQL, lint's default).
bool is_mysql(const RuleContext& context);
// MySQL 8.0+ and MariaDB 10.3+ add a column in place (instantly) instead of copying the table.
bool mysql_adds_columns_instantly(const RuleContext& context);

class ActionRule : public Rule {
 public:
  using Rule::Rule;
  std::vector<model::Finding> check(const RuleContext& context) const final;

 protected:
  // The finding's message for one action, or nullopt when the action is fine.
  virtual std::optional<std::string> judge(const RuleContext& context, const sql::MigrationStatement& statement,
                                           const sql::MigrationAction& action) const = 0;
};

}  // namespace dbvet::rules::migration_support
