#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(RulePlanParallelWorkersNotLaunched, FlagsMissingWorkers) {
  model::PlanNode gather;
  gather.operation = "Gather";
  gather.workers_planned = 4;
  gather.workers_launched = 1;
  auto plan = plan_of("postgres", gather, true);
  rules::RuleContext context;
  context.plan = &plan;
  auto findings = run_rule("plan-parallel-workers-not-launched", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.at("workers_launched"), "1");
}

TEST(RulePlanParallelWorkersNotLaunched, QuietWhenAllLaunched) {
  model::PlanNode gather;
  gather.operation = "Gather";
  gather.workers_planned = 2;
  gather.workers_launched = 2;
  auto plan = plan_of("postgres", gather, true);
  rules::RuleContext context;
  context.plan = &plan;
  EXPECT_TRUE(run_rule("plan-parallel-workers-not-launched", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
