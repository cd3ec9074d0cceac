#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(RulePlanIndexOnlyHeapFetches, FlagsManyHeapFetches) {
  auto node = scan_node("Index Only Scan", AccessType::index_only_scan, "feedings");
  node.actual_rows = 10000;
  node.actual_loops = 1;
  node.heap_fetches = 9000;
  auto plan = plan_of("postgres", node, true);
  rules::RuleContext context;
  context.plan = &plan;
  auto findings = run_rule("plan-index-only-heap-fetches", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].message.find("VACUUM feedings"), std::string::npos);
}

TEST(RulePlanIndexOnlyHeapFetches, QuietWhenVisibilityMapIsCurrent) {
  auto node = scan_node("Index Only Scan", AccessType::index_only_scan, "feedings");
  node.actual_rows = 10000;
  node.actual_loops = 1;
  node.heap_fetches = 0;
  auto plan = plan_of("postgres", node, true);
  rules::RuleContext context;
  context.plan = &plan;
  EXPECT_TRUE(run_rule("plan-index-only-heap-fetches", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
