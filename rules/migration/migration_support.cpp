#include "rules/migration/migration_support.hpp"

namespace dbvet::rules::migration_support {

const sql::MigrationStatement* statement(const RuleContext& context) {
  return context.migration ? context.migration->statement : nullptr;
}

bool is_mysql(const RuleContext& context) { return context.dialect().online_ddl_by_algorithm; }

bool mysql_adds_columns_instantly(const RuleContext& context) {
  int major = context.migration ? context.migration->mysql_major : 10;
  int minor = context.migration ? context.migration->mysql_minor : 11;
  if (major == 10) return minor >= 3;  // MariaDB 10.3: instant ADD COLUMN
  return major >= 8;                   // MySQL 8.0 (ALGORITHM=INSTANT), MariaDB 11
}

std::vector<model::Finding> ActionRule::check(const RuleContext& context) const {
  std::vector<model::Finding> out;
  const sql::MigrationStatement* current = statement(context);
  if (!current) return out;
  for (const auto& action : current->actions) {
    auto message = judge(context, *current, action);
    if (!message) continue;
    auto f = finding(context, action.table, std::move(*message));
    if (!action.name.empty()) f.evidence.emplace("object", action.name);
    if (!action.columns.empty()) {
      std::string columns;
      for (const auto& c : action.columns) columns += (columns.empty() ? "" : ",") + c;
      f.evidence.emplace("columns", columns);
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace dbvet::rules::migration_support
