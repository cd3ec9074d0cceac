#include "fmt/format.h"
#include "rules/query/query_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class UnboundedSelect final : public Rule {
 public:
  UnboundedSelect()
      : Rule({"query-unbounded-select",
              Category::query,
              model::Severity::warning,
              "A SELECT with neither WHERE nor LIMIT returns a whole large table",
              {{"min_rows", 10000, "table rows from which it counts (needs the statistics)"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    const auto* shape = context.shape();
    if (!query_support::is_select(context)) return out;
    if (shape->has_where || shape->limit || shape->limit_is_parameter || shape->has_aggregate || shape->has_group_by) {
      return out;
    }
    const double min_rows = threshold(context, "min_rows");
    for (const auto& t : shape->tables) {
      if (t.filtered || !t.read) continue;
      const auto* table = context.table(t.name);
      if (!table || !table->estimated_rows || *table->estimated_rows < min_rows) continue;
      auto f = finding(context, t.name,
                       fmt::format("SELECT without WHERE or LIMIT returns all {} rows of {}; page it (LIMIT with a "
                                   "keyset) or filter it, and stream it if the caller really needs everything",
                                   query_support::number(*table->estimated_rows), t.name));
      f.evidence["table_rows"] = query_support::number(*table->estimated_rows);
      out.push_back(std::move(f));
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_query_unbounded_select() { return std::make_unique<UnboundedSelect>(); }

}  // namespace dbvet::rules
