#include "fmt/format.h"
#include "rules/plan/plan_support.hpp"
#include "rules/registry.hpp"

namespace dbvet::rules {
namespace {

using namespace plan_support;

class JitDominating final : public Rule {
 public:
  JitDominating()
      : Rule({"plan-jit-dominating",
              Category::plan,
              model::Severity::warning,
              "JIT compilation takes a large share of the execution time",
              {{"min_fraction", 0.5, "JIT time as a share of execution time"},
               {"min_jit_ms", 10, "JIT time below which it does not matter"}}}) {}

  std::vector<model::Finding> check(const RuleContext& context) const override {
    std::vector<model::Finding> out;
    if (!context.plan || !context.plan->jit_ms || !context.plan->execution_ms) return out;
    double jit = *context.plan->jit_ms;
    double exec = *context.plan->execution_ms;
    if (jit < threshold(context, "min_jit_ms") || exec <= 0 || jit / exec < threshold(context, "min_fraction")) {
      return out;
    }
    auto f =
        finding(context, "",
                fmt::format("JIT compilation took {} ms of {} ms of execution ({}); the planner's cost estimate "
                            "overstates the work: raise jit_above_cost / jit_optimize_above_cost, or SET jit = off "
                            "for this query",
                            number(jit), number(exec), percent(jit / exec)));
    f.evidence["jit_ms"] = number(jit);
    f.evidence["execution_ms"] = number(exec);
    if (context.plan->root.total_cost) f.evidence["total_cost"] = number(*context.plan->root.total_cost);
    out.push_back(std::move(f));
    return out;
  }
};

}  // namespace

std::unique_ptr<Rule> make_plan_jit_dominating() { return std::make_unique<JitDominating>(); }

}  // namespace dbvet::rules
