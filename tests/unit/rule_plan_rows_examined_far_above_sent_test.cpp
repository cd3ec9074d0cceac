#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(RulePlanRowsExaminedFarAboveSent, FlagsFromDigestStatistics) {
  rules::QueryStats stats;
  stats.count = 100;
  stats.rows_examined = 100 * 50000.0;
  stats.rows_sent = 100 * 3.0;
  auto query = rules::make_query_info("SELECT * FROM payments WHERE user_id = 1 AND status = 2", "q", stats);
  rules::RuleContext context;
  context.query = &query;
  auto findings = run_rule("plan-rows-examined-far-above-sent", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "payments");
  EXPECT_EQ(findings[0].evidence.at("source"), "digest");
}

TEST(RulePlanRowsExaminedFarAboveSent, QuietWhenRowsExaminedMatchRowsSent) {
  rules::QueryStats stats;
  stats.count = 100;
  stats.rows_examined = 100 * 20.0;
  stats.rows_sent = 100 * 20.0;
  auto query = rules::make_query_info("SELECT * FROM payments WHERE user_id = 1", "q", stats);
  rules::RuleContext context;
  context.query = &query;
  EXPECT_TRUE(run_rule("plan-rows-examined-far-above-sent", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
