#include <set>

#include "fmt/format.h"
#include "rules/migration/migration_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class ForeignKeyWithoutIndex final : public migration_support::ActionRule {
 public:
  ForeignKeyWithoutIndex()
      : ActionRule({"migration-foreign-key-without-index",
                    Category::migration,
                    model::Severity::warning,
                    "A foreign key whose columns no index in the same file leads with",
                    {}}) {}

 protected:
  std::optional<std::string> judge(const RuleContext& context, const sql::MigrationStatement& /*statement*/,
                                   const sql::MigrationAction& action) const override {
    if (action.op != sql::MigrationOp::add_foreign_key || action.columns.empty()) return std::nullopt;
    // InnoDB creates the index a foreign key needs when there is none.
    if (migration_support::is_mysql(context) || !context.migration || !context.migration->file) return std::nullopt;
    std::set<std::string> wanted(action.columns.begin(), action.columns.end());
    for (const auto& other : *context.migration->file) {
      for (const auto& candidate : other.actions) {
        bool keyed = candidate.op == sql::MigrationOp::create_index || candidate.op == sql::MigrationOp::add_unique;
        if (!keyed || candidate.table != action.table || candidate.columns.size() < wanted.size()) continue;
        std::set<std::string> leading(candidate.columns.begin(), candidate.columns.begin() + wanted.size());
        if (leading == wanted) return std::nullopt;
      }
    }
    std::string columns;
    for (const auto& c : action.columns) columns += (columns.empty() ? "" : ", ") + c;
    return fmt::format(
        "the foreign key on {} ({}) has no index leading with its columns in this file: deleting or updating a "
        "referenced row then scans {} (CREATE INDEX CONCURRENTLY on those columns, unless one exists already)",
        action.table, columns, action.table);
  }
};

}  // namespace

std::unique_ptr<Rule> make_migration_foreign_key_without_index() { return std::make_unique<ForeignKeyWithoutIndex>(); }

}  // namespace dbvet::rules
