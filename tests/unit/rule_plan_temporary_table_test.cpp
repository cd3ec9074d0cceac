#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(RulePlanTemporaryTable, FlagsUsingTemporaryAndSqliteGroupByBtree) {
  auto node = scan_node("ALL", AccessType::full_scan, "order_lines");
  node.uses_temporary = true;
  node.plan_rows = 80000;
  auto plan = plan_of("mariadb", node);
  rules::RuleContext context;
  context.plan = &plan;
  ASSERT_EQ(run_rule("plan-temporary-table", context).size(), 1u);

  model::PlanNode temp;
  temp.operation = "USE TEMP B-TREE FOR GROUP BY";
  temp.temp_btree = true;
  auto lite = plan_of("sqlite", temp);
  context.plan = &lite;
  EXPECT_EQ(run_rule("plan-temporary-table", context).size(), 1u);
}

TEST(RulePlanTemporaryTable, QuietWithoutTemporaryOrOnSmallTables) {
  auto node = scan_node("ref", AccessType::index_scan, "order_lines");
  node.plan_rows = 80000;
  auto plan = plan_of("mariadb", node);
  rules::RuleContext context;
  context.plan = &plan;
  EXPECT_TRUE(run_rule("plan-temporary-table", context).empty());
  auto small = scan_node("ALL", AccessType::full_scan, "currencies");
  small.uses_temporary = true;
  small.plan_rows = 30;
  auto plan2 = plan_of("mariadb", small);
  context.plan = &plan2;
  EXPECT_TRUE(run_rule("plan-temporary-table", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
