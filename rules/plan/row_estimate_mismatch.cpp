#include <algorithm>
#include <cmath>

#include "fmt/format.h"
#include "rules/plan/plan_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

using namespace plan_support;

std::string advice(const model::Dialect& dialect, const std::string& table) {
  std::string t = table.empty() ? "the tables involved" : table;
  return fmt::format(fmt::runtime(dialect.statistics_advice), fmt::arg("table", t));
}

class RowEstimateMismatch final : public Rule {
 public:
  RowEstimateMismatch()
      : Rule({"plan-row-estimate-mismatch",
              Category::plan,
              model::Severity::warning,
              "The planner's row estimate is off by 10x or more from the rows actually produced",
              {{"min_factor", 10, "estimate/actual ratio (either direction) that counts as a misestimate"},
               {"min_rows", 100, "larger of estimate and actual (over all loops) below which it does not matter"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.plan || !context.plan->analyzed) return out;
    const double min_factor = threshold(context, "min_factor");
    const double min_rows = threshold(context, "min_rows");
    // The worst node: children inherit their parents' errors, one finding says where it starts.
    const model::PlanNode* worst = nullptr;
    double worst_factor = 0;
    int count = 0;
    model::visit(context.plan->root, [&](const model::PlanNode& node, int) {
      if (!node.plan_rows || !node.actual_rows) return;
      double loops = node.actual_loops.value_or(1);
      if (loops <= 0) return;  // never executed
      double estimate = std::max(*node.plan_rows, 1.0);
      double actual = std::max(*node.actual_rows, 1.0);
      double factor = std::max(estimate / actual, actual / estimate);
      if (factor < min_factor || std::max(estimate, actual) * loops < min_rows) return;
      ++count;
      if (factor > worst_factor) {
        worst_factor = factor;
        worst = &node;
      }
    });
    if (!worst) return out;
    bool under = *worst->actual_rows > *worst->plan_rows;
    auto f =
        finding(context, worst->relation,
                fmt::format("{} was estimated at {} rows but produced {} ({}x {}); {}", describe(*worst),
                            number(*worst->plan_rows), number(*worst->actual_rows), number(std::round(worst_factor)),
                            under ? "underestimate" : "overestimate", advice(context.dialect(), worst->relation)));
    f.evidence["node"] = describe(*worst);
    f.evidence["estimated_rows"] = number(*worst->plan_rows);
    f.evidence["actual_rows"] = number(*worst->actual_rows);
    f.evidence["factor"] = number(std::round(worst_factor));
    f.evidence["misestimated_nodes"] = std::to_string(count);
    if (!worst->filter.empty()) f.evidence["filter"] = worst->filter;
    if (!worst->index_condition.empty()) f.evidence["index_condition"] = worst->index_condition;
    out.push_back(std::move(f));
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_plan_row_estimate_mismatch() { return std::make_unique<RowEstimateMismatch>(); }

}  // namespace dbvet::rules
