#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

model::Schema users_schema() {
  model::Schema schema;
  auto users = table_of("users", 100000);
  users.indexes.push_back(index_of("users_email_key", "users", {"email"}, true));
  users.indexes.push_back(index_of("users_created_at_idx", "users", {"created_at"}));
  schema.tables.push_back(users);
  return schema;
}

TEST(RuleQueryFunctionOnIndexedColumn, FlagsLowerAndDateOnIndexedColumns) {
  auto schema = users_schema();
  auto query =
      rules::make_query_info("SELECT id FROM users WHERE lower(email) = lower(:email) OR date(created_at) = :day", "q");
  rules::RuleContext context;
  context.query = &query;
  context.schema = &schema;
  context.engine = "postgres";
  auto findings = run_rule("query-function-on-indexed-column", context);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].evidence.at("index"), "users_email_key");
  EXPECT_EQ(findings[1].evidence.at("column"), "created_at");
}

TEST(RuleQueryFunctionOnIndexedColumn, QuietOnBareColumnsUnindexedColumnsAndExpressionIndexes) {
  auto schema = users_schema();
  rules::RuleContext context;
  context.schema = &schema;
  auto bare = rules::make_query_info("SELECT id FROM users WHERE email = :email", "q");
  context.query = &bare;
  EXPECT_TRUE(run_rule("query-function-on-indexed-column", context).empty());
  auto unindexed = rules::make_query_info("SELECT id FROM users WHERE upper(nickname) = :n", "q");
  context.query = &unindexed;
  EXPECT_TRUE(run_rule("query-function-on-indexed-column", context).empty());
  schema.tables[0].indexes.push_back(index_of("users_lower_email", "users", {"lower((email)::text)"}));
  auto lower = rules::make_query_info("SELECT id FROM users WHERE lower(email) = :email", "q");
  context.query = &lower;
  EXPECT_TRUE(run_rule("query-function-on-indexed-column", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
