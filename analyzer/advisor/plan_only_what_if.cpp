#include "analyzer/advisor/plan_only_what_if.hpp"

namespace dbvet::advisor {

core::Expected<model::WhatIfResult> PlanOnlyWhatIf::plan_with(const std::string& sql,
                                                              const std::vector<model::IndexCandidate>& add,
                                                              const std::vector<std::string>& hide) {
  if (!add.empty() || !hide.empty()) {
    return core::make_error(core::ErrorKind::unsupported, "hypothetical indexes are not available on this engine");
  }
  auto plan = connection_.explain(sql, {});
  if (!plan) return plan.error();
  model::WhatIfResult result;
  result.cost = plan->root.total_cost.value_or(0);
  if (!plan->root.total_cost && !plan->root.children.empty())
    result.cost = plan->root.children[0].total_cost.value_or(0);
  result.plan = std::move(*plan);
  return result;
}

}  // namespace dbvet::advisor
