#include <algorithm>

#include "fmt/format.h"
#include "rules/plan/plan_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

using namespace plan_support;

bool contains(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

class TemporaryTable final : public Rule {
 public:
  TemporaryTable()
      : Rule({"plan-temporary-table",
              Category::plan,
              model::Severity::warning,
              "GROUP BY/DISTINCT builds a temporary table (MySQL Using temporary, SQLite temp B-tree)",
              {{"min_rows", 10000, "rows read before it matters (when the engine says)"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.plan) return out;
    const double min_rows = threshold(context, "min_rows");
    model::visit(context.plan->root, [&](const model::PlanNode& node, int) {
      bool mysql_temp = node.uses_temporary;
      bool sqlite_temp =
          node.temp_btree && (contains(node.operation, "GROUP BY") || contains(node.operation, "DISTINCT"));
      if (!mysql_temp && !sqlite_temp) return;
      std::optional<double> rows = mysql_temp ? rows_read(context, node) : std::nullopt;
      if (!rows) {
        model::visit(context.plan->root, [&](const model::PlanNode& n, int) {
          if (auto t = table_rows(context, n.relation)) rows = std::max(rows.value_or(0), *t);
        });
      }
      if (rows && *rows < min_rows) return;
      auto f =
          finding(context, node.relation,
                  fmt::format("{} materializes {} in a temporary table to group or deduplicate them; an index "
                              "led by the GROUP BY columns lets the engine group rows as it reads them in order",
                              describe(node), rows ? fmt::format("{} rows", number(*rows)) : std::string("its rows")));
      f.evidence["node"] = describe(node);
      if (rows) f.evidence["rows"] = number(*rows);
      out.push_back(std::move(f));
    });
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_plan_temporary_table() { return std::make_unique<TemporaryTable>(); }

}  // namespace dbvet::rules
