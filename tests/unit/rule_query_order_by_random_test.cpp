#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(Rule_query_order_by_random, FlagsBadQuery) {
  auto query = rules::make_query_info(R"sql(SELECT id FROM pets ORDER BY random() LIMIT 1)sql", "q");
  ASSERT_TRUE(query.shape.has_value());
  rules::RuleContext context;
  context.query = &query;
  auto findings = run_rule("query-order-by-random", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "pets");
  EXPECT_EQ(findings[0].query_id, "q");
}

TEST(Rule_query_order_by_random, QuietOnGoodQuery) {
  auto query = rules::make_query_info(R"sql(SELECT id FROM pets ORDER BY created_at DESC LIMIT 1)sql", "q");
  ASSERT_TRUE(query.shape.has_value());
  rules::RuleContext context;
  context.query = &query;
  EXPECT_TRUE(run_rule("query-order-by-random", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
