#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(Rule_query_or_across_columns, FlagsBadQuery) {
  auto query = rules::make_query_info(R"sql(SELECT id FROM users WHERE email = $1 OR username = $2)sql", "q");
  ASSERT_TRUE(query.shape.has_value());
  rules::RuleContext context;
  context.query = &query;
  auto findings = run_rule("query-or-across-columns", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "users");
  EXPECT_EQ(findings[0].query_id, "q");
}

TEST(Rule_query_or_across_columns, QuietOnGoodQuery) {
  auto query = rules::make_query_info(R"sql(SELECT id FROM users WHERE status = 'a' OR status = 'b')sql", "q");
  ASSERT_TRUE(query.shape.has_value());
  rules::RuleContext context;
  context.query = &query;
  EXPECT_TRUE(run_rule("query-or-across-columns", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
