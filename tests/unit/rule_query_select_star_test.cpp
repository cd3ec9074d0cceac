#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(Rule_query_select_star, FlagsBadQuery) {
  auto query = rules::make_query_info(R"sql(SELECT * FROM pets WHERE owner_id = :owner_id)sql", "q");
  ASSERT_TRUE(query.shape.has_value());
  rules::RuleContext context;
  context.query = &query;
  auto findings = run_rule("query-select-star", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "pets");
  EXPECT_EQ(findings[0].query_id, "q");
}

TEST(Rule_query_select_star, QuietOnGoodQuery) {
  auto query = rules::make_query_info(R"sql(SELECT id, name FROM pets WHERE owner_id = :owner_id)sql", "q");
  ASSERT_TRUE(query.shape.has_value());
  rules::RuleContext context;
  context.query = &query;
  EXPECT_TRUE(run_rule("query-select-star", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
