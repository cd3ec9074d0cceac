#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

TEST(RuleQueryUnfilteredCount, FlagsCountOfLargeTable) {
  model::Schema schema;
  schema.tables.push_back(table_of("pets", 500000));
  auto query = rules::make_query_info("SELECT count(*) FROM pets", "q");
  rules::RuleContext context;
  context.query = &query;
  context.schema = &schema;
  auto findings = run_rule("query-unfiltered-count", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "pets");
}

TEST(RuleQueryUnfilteredCount, QuietOnFilteredCountsAndSmallTables) {
  model::Schema schema;
  schema.tables.push_back(table_of("pets", 500000));
  schema.tables.push_back(table_of("species", 50));
  rules::RuleContext context;
  context.schema = &schema;
  auto filtered = rules::make_query_info("SELECT count(*) FROM pets WHERE owner_id = $1", "q");
  context.query = &filtered;
  EXPECT_TRUE(run_rule("query-unfiltered-count", context).empty());
  auto small = rules::make_query_info("SELECT count(*) FROM species", "q");
  context.query = &small;
  EXPECT_TRUE(run_rule("query-unfiltered-count", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
