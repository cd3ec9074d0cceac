#include "analyzer/pipeline/plan_only_what_if.hpp"

#include <cstdlib>

namespace dbvet::pipeline {

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
  // MariaDB before 11.0 writes no cost into EXPLAIN FORMAT=JSON; the optimizer's estimate is in
  // Last_query_cost right after it.
  if (result.cost == 0 && connection_.engine() == core::Engine::mysql) {
    if (auto last = connection_.execute("SHOW SESSION STATUS LIKE 'Last_query_cost'");
        last && !last->rows.empty() && last->rows[0].size() > 1 && last->rows[0][1]) {
      result.cost = std::strtod(last->rows[0][1]->c_str(), nullptr);
    }
  }
  result.plan = std::move(*plan);
  return result;
}

}  // namespace dbvet::pipeline
