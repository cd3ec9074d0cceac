#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

model::PlanNode loop_join(double loops, AccessType inner_access, double inner_ms) {
  model::PlanNode join;
  join.operation = "Nested Loop";
  auto outer = scan_node("Seq Scan", AccessType::full_scan, "owners");
  outer.actual_rows = loops;
  outer.actual_loops = 1;
  auto inner = scan_node(inner_access == AccessType::full_scan ? "Seq Scan" : "Index Scan", inner_access, "pets");
  inner.actual_loops = loops;
  inner.actual_rows = 1;
  inner.actual_total_ms = inner_ms;
  join.children = {outer, inner};
  return join;
}

TEST(RulePlanNestedLoopRepeatedScan, FlagsInnerSeqScanRepeatedThousandsOfTimes) {
  auto plan = plan_of("postgres", loop_join(5000, AccessType::full_scan, 0.5), true);
  rules::RuleContext context;
  context.plan = &plan;
  auto findings = run_rule("plan-nested-loop-repeated-scan", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "pets");
  EXPECT_EQ(findings[0].evidence.at("loops"), "5000");
}

TEST(RulePlanNestedLoopRepeatedScan, QuietOnFewLoopsOrCheapIndexLookups) {
  auto few = plan_of("postgres", loop_join(10, AccessType::full_scan, 0.5), true);
  rules::RuleContext context;
  context.plan = &few;
  EXPECT_TRUE(run_rule("plan-nested-loop-repeated-scan", context).empty());
  auto cheap = plan_of("postgres", loop_join(5000, AccessType::index_scan, 0.002), true);
  context.plan = &cheap;
  EXPECT_TRUE(run_rule("plan-nested-loop-repeated-scan", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
