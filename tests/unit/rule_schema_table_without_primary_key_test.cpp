#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

TEST(RuleSchemaTableWithoutPrimaryKey, FlagsTableWithoutPrimaryKey) {
  model::Schema schema;
  auto log = table_of("event_log", 1000);
  log.indexes.push_back(index_of("event_log_time", "event_log", {"created_at"}));
  schema.tables.push_back(log);
  rules::RuleContext context;
  context.schema = &schema;
  auto findings = run_rule("schema-table-without-primary-key", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].table, "event_log");
}

TEST(RuleSchemaTableWithoutPrimaryKey, QuietWithPrimaryKey) {
  model::Schema schema;
  auto pets = table_of("pets", 1000);
  pets.indexes.push_back(index_of("pets_pkey", "pets", {"id"}, true, true));
  schema.tables.push_back(pets);
  rules::RuleContext context;
  context.schema = &schema;
  EXPECT_TRUE(run_rule("schema-table-without-primary-key", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
