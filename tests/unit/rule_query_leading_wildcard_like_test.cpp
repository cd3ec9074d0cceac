#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(Rule_query_leading_wildcard_like, FlagsBadQuery) {
  auto query = rules::make_query_info(R"sql(SELECT id FROM pets WHERE name LIKE '%fluff%')sql", "q");
  ASSERT_TRUE(query.shape.has_value());
  rules::RuleContext context;
  context.query = &query;
  auto findings = run_rule("query-leading-wildcard-like", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "pets");
  EXPECT_EQ(findings[0].query_id, "q");
}

TEST(Rule_query_leading_wildcard_like, QuietOnGoodQuery) {
  auto query = rules::make_query_info(R"sql(SELECT id FROM pets WHERE name LIKE 'fluff%')sql", "q");
  ASSERT_TRUE(query.shape.has_value());
  rules::RuleContext context;
  context.query = &query;
  EXPECT_TRUE(run_rule("query-leading-wildcard-like", context).empty());
}

TEST(Rule_query_leading_wildcard_like, SeesConcatenatedPatternsAndMysqlSyntax) {
  auto concat = rules::make_query_info("SELECT id FROM pets WHERE name LIKE '%' || :q || '%'", "q");
  rules::RuleContext context;
  context.query = &concat;
  EXPECT_EQ(run_rule("query-leading-wildcard-like", context).size(), 1u);
  auto mysql = rules::make_query_info("SELECT `id` FROM `pets` WHERE `name` LIKE CONCAT('%', ?) LIMIT 10, 20", "q");
  context.query = &mysql;
  EXPECT_EQ(run_rule("query-leading-wildcard-like", context).size(), 1u);
}

}  // namespace
}  // namespace dbvet::testing
