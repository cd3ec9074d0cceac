#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(RulePlanRowEstimateMismatch, FlagsTenfoldMisestimateWithEngineAdvice) {
  auto node = scan_node("Index Scan", AccessType::index_scan, "feedings");
  node.plan_rows = 10;
  node.actual_rows = 5000;
  node.actual_loops = 1;
  auto plan = plan_of("postgres", node, true);
  rules::RuleContext context;
  context.plan = &plan;
  auto findings = run_rule("plan-row-estimate-mismatch", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.at("factor"), "500");
  EXPECT_NE(findings[0].message.find("ANALYZE feedings"), std::string::npos);

  plan.engine = "mariadb";
  findings = run_rule("plan-row-estimate-mismatch", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].message.find("PERSISTENT FOR ALL"), std::string::npos);
}

TEST(RulePlanRowEstimateMismatch, QuietOnGoodEstimatesAndUnanalyzedPlans) {
  auto node = scan_node("Index Scan", AccessType::index_scan, "feedings");
  node.plan_rows = 900;
  node.actual_rows = 1000;
  node.actual_loops = 1;
  auto plan = plan_of("postgres", node, true);
  rules::RuleContext context;
  context.plan = &plan;
  EXPECT_TRUE(run_rule("plan-row-estimate-mismatch", context).empty());
  plan.root.actual_rows = 100000;
  plan.analyzed = false;
  EXPECT_TRUE(run_rule("plan-row-estimate-mismatch", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
