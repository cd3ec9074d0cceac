#include "fmt/format.h"
#include "rules/plan/plan_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

using namespace plan_support;

class ParallelWorkersNotLaunched final : public Rule {
 public:
  ParallelWorkersNotLaunched()
      : Rule({"plan-parallel-workers-not-launched",
              Category::plan,
              model::Severity::warning,
              "Fewer parallel workers were launched than the plan counted on",
              {{"min_missing", 1, "workers missing before it counts"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.plan) return out;
    const double min_missing = threshold(context, "min_missing");
    model::visit(context.plan->root, [&](const model::PlanNode& node, int) {
      if (!node.workers_planned || !node.workers_launched) return;
      int missing = *node.workers_planned - *node.workers_launched;
      if (missing < min_missing) return;
      auto f = finding(context, node.relation,
                       fmt::format("{} planned {} workers but launched {}: the pool was exhausted; raise "
                                   "max_parallel_workers / max_worker_processes or run fewer parallel queries at once",
                                   describe(node), *node.workers_planned, *node.workers_launched));
      f.evidence["node"] = describe(node);
      f.evidence["workers_planned"] = std::to_string(*node.workers_planned);
      f.evidence["workers_launched"] = std::to_string(*node.workers_launched);
      out.push_back(std::move(f));
    });
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_plan_parallel_workers_not_launched() {
  return std::make_unique<ParallelWorkersNotLaunched>();
}

}  // namespace dbvet::rules
