#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

using model::AccessType;

TEST(Rule_query_not_in_nullable_subquery, FlagsBadQuery) {
  auto query =
      rules::make_query_info(R"sql(SELECT id FROM pets WHERE id NOT IN (SELECT pet_id FROM adoptions))sql", "q");
  ASSERT_TRUE(query.shape.has_value());
  rules::RuleContext context;
  context.query = &query;
  auto findings = run_rule("query-not-in-nullable-subquery", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "pets");
  EXPECT_EQ(findings[0].query_id, "q");
}

TEST(Rule_query_not_in_nullable_subquery, QuietOnGoodQuery) {
  auto query = rules::make_query_info(
      R"sql(SELECT id FROM pets p WHERE NOT EXISTS (SELECT 1 FROM adoptions a WHERE a.pet_id = p.id))sql", "q");
  ASSERT_TRUE(query.shape.has_value());
  rules::RuleContext context;
  context.query = &query;
  EXPECT_TRUE(run_rule("query-not-in-nullable-subquery", context).empty());
}

TEST(Rule_query_not_in_nullable_subquery, QuietWhenSchemaProvesNotNull) {
  model::Schema schema;
  auto adoptions = table_of("adoptions", 100);
  model::Column column;
  column.name = "pet_id";
  column.nullable = false;
  adoptions.columns.push_back(column);
  schema.tables.push_back(adoptions);
  auto query = rules::make_query_info("SELECT id FROM pets WHERE id NOT IN (SELECT pet_id FROM adoptions)", "q");
  rules::RuleContext context;
  context.query = &query;
  context.schema = &schema;
  EXPECT_TRUE(run_rule("query-not-in-nullable-subquery", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
