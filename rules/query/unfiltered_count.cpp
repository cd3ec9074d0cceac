#include "fmt/format.h"
#include "rules/query/query_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

class UnfilteredCount final : public Rule {
 public:
  UnfilteredCount()
      : Rule({"query-unfiltered-count",
              Category::query,
              model::Severity::warning,
              "COUNT(*) over a whole large table reads every row (or index entry) each time",
              {{"min_rows", 10000, "table rows from which it counts (when the statistics say)"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    const auto* shape = context.shape();
    if (!shape || !shape->count_star_without_where || shape->tables.empty()) return out;
    const auto& t = shape->tables[0];
    std::optional<double> rows;
    if (const auto* table = context.table(t.name)) rows = table->estimated_rows;
    if (rows && *rows < threshold(context, "min_rows")) return out;
    std::string_view estimate = context.dialect().row_estimate_source;
    auto f = finding(context, t.name,
                     fmt::format("COUNT(*) of all {} rows of {} reads the whole table on every call; keep a counter "
                                 "updated by the writes, cache the result, or show the planner's estimate ({})",
                                 rows ? query_support::number(*rows) : "the", t.name, estimate));
    if (rows) f.evidence["table_rows"] = query_support::number(*rows);
    out.push_back(std::move(f));
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_query_unfiltered_count() { return std::make_unique<UnfilteredCount>(); }

}  // namespace dbvet::rules
