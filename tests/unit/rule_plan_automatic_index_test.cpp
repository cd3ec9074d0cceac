#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(RulePlanAutomaticIndex, FlagsSqliteAutomaticIndex) {
  auto node = scan_node("SEARCH f USING AUTOMATIC COVERING INDEX (pet_id=?)", AccessType::index_scan, "feedings");
  node.automatic_index = true;
  auto plan = plan_of("sqlite", node);
  rules::RuleContext context;
  context.plan = &plan;
  auto findings = run_rule("plan-automatic-index", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "feedings");
}

TEST(RulePlanAutomaticIndex, QuietWithRealIndex) {
  auto node = scan_node("SEARCH f USING INDEX feedings_pet (pet_id=?)", AccessType::index_scan, "feedings");
  auto plan = plan_of("sqlite", node);
  rules::RuleContext context;
  context.plan = &plan;
  EXPECT_TRUE(run_rule("plan-automatic-index", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
