#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(Rule_query_large_offset, FlagsBadQuery) {
  auto query = rules::make_query_info(R"sql(SELECT id FROM events ORDER BY created_at LIMIT 20 OFFSET 50000)sql", "q");
  ASSERT_TRUE(query.shape.has_value());
  rules::RuleContext context;
  context.query = &query;
  auto findings = run_rule("query-large-offset", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "events");
  EXPECT_EQ(findings[0].query_id, "q");
}

TEST(Rule_query_large_offset, QuietOnGoodQuery) {
  auto query = rules::make_query_info(R"sql(SELECT id FROM events ORDER BY created_at LIMIT 20 OFFSET 40)sql", "q");
  ASSERT_TRUE(query.shape.has_value());
  rules::RuleContext context;
  context.query = &query;
  EXPECT_TRUE(run_rule("query-large-offset", context).empty());
}

TEST(Rule_query_large_offset, ParameterOffsetCountsUnlessConfiguredOff) {
  auto query = rules::make_query_info("SELECT id FROM events ORDER BY id LIMIT 20 OFFSET :offset", "q");
  rules::RuleContext context;
  context.query = &query;
  EXPECT_EQ(run_rule("query-large-offset", context).size(), 1u);
  rules::RuleConfig config;
  config["query-large-offset"].thresholds["flag_parameter_offset"] = 0;
  context.config = &config;
  EXPECT_TRUE(run_rule("query-large-offset", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
