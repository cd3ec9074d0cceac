#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(RulePlanSpilledToDisk, FlagsExternalMergeSort) {
  model::PlanNode sort;
  sort.operation = "Sort";
  sort.sort_method = "external merge";
  sort.sort_spilled = true;
  sort.sort_space_kb = 20480;
  auto plan = plan_of("postgres", sort, true);
  rules::RuleContext context;
  context.plan = &plan;
  auto findings = run_rule("plan-spilled-to-disk", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].message.find("work_mem"), std::string::npos);
}

TEST(RulePlanSpilledToDisk, QuietOnInMemorySort) {
  model::PlanNode sort;
  sort.operation = "Sort";
  sort.sort_method = "quicksort";
  sort.sort_spilled = false;
  sort.sort_space_kb = 25;
  auto plan = plan_of("postgres", sort, true);
  rules::RuleContext context;
  context.plan = &plan;
  EXPECT_TRUE(run_rule("plan-spilled-to-disk", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
