#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(RulePlanJitDominating, FlagsJitLongerThanHalfTheExecution) {
  auto plan = plan_of("postgres", scan_node("Seq Scan", AccessType::full_scan, "events"), true);
  plan.jit_ms = 180;
  plan.execution_ms = 220;
  rules::RuleContext context;
  context.plan = &plan;
  ASSERT_EQ(run_rule("plan-jit-dominating", context).size(), 1u);
}

TEST(RulePlanJitDominating, QuietWhenJitIsSmall) {
  auto plan = plan_of("postgres", scan_node("Seq Scan", AccessType::full_scan, "events"), true);
  plan.jit_ms = 20;
  plan.execution_ms = 2000;
  rules::RuleContext context;
  context.plan = &plan;
  EXPECT_TRUE(run_rule("plan-jit-dominating", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
