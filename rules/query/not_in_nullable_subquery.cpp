#include "fmt/format.h"
#include "rules/query/query_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class NotInNullableSubquery final : public Rule {
 public:
  NotInNullableSubquery()
      : Rule({"query-not-in-nullable-subquery",
              Category::query,
              model::Severity::warning,
              "NOT IN over a subquery whose column can be NULL returns no rows once a NULL appears, and plans badly",
              {}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    const auto* shape = context.shape();
    if (!shape) return out;
    for (const auto& n : shape->not_in_subqueries) {
      // Proven NOT NULL by the schema: correct, if still slower than NOT EXISTS on PostgreSQL.
      bool known_not_null = false;
      if (!n.subquery_table.empty() && !n.subquery_column.empty()) {
        if (const auto* table = context.table(n.subquery_table)) {
          const auto* column = table->find_column(n.subquery_column);
          known_not_null = column && !column->nullable;
        }
      }
      if (known_not_null) continue;
      std::string source = n.subquery_table.empty()
                               ? "the subquery"
                               : n.subquery_table + "." + (n.subquery_column.empty() ? "?" : n.subquery_column);
      std::string table = n.column.substr(0, n.column.find('.'));
      auto f = finding(context, table,
                       fmt::format("{} NOT IN (SELECT ...) over {}, which may be NULL: a single NULL makes the "
                                   "predicate unknown for every row (no rows come back), and PostgreSQL cannot turn it "
                                   "into an anti-join; use NOT EXISTS (SELECT 1 ... WHERE ... = outer.col)",
                                   n.column.empty() ? "a column" : n.column, source));
      f.evidence["column"] = n.column;
      f.evidence["subquery_column"] = source;
      out.push_back(std::move(f));
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_query_not_in_nullable_subquery() { return std::make_unique<NotInNullableSubquery>(); }

}  // namespace dbvet::rules
