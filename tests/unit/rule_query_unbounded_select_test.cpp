#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

TEST(RuleQueryUnboundedSelect, FlagsWholeLargeTable) {
  model::Schema schema;
  schema.tables.push_back(table_of("events", 1e6));
  auto query = rules::make_query_info("SELECT id, payload FROM events", "q");
  rules::RuleContext context;
  context.query = &query;
  context.schema = &schema;
  auto findings = run_rule("query-unbounded-select", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "events");
}

TEST(RuleQueryUnboundedSelect, QuietWithLimitWhereOrSmallTable) {
  model::Schema schema;
  schema.tables.push_back(table_of("events", 1e6));
  schema.tables.push_back(table_of("currencies", 20));
  rules::RuleContext context;
  context.schema = &schema;
  for (const char* sql : {"SELECT id FROM events LIMIT 100", "SELECT id FROM events WHERE id = 3",
                          "SELECT code FROM currencies", "SELECT count(*) FROM events"}) {
    auto query = rules::make_query_info(sql, "q");
    context.query = &query;
    EXPECT_TRUE(run_rule("query-unbounded-select", context).empty()) << sql;
  }
}

}  // namespace
}  // namespace dbvet::testing
