#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

TEST(RuleSchemaRedundantIndex, FlagsPrefixOfLongerIndex) {
  model::Schema schema;
  auto feedings = table_of("feedings", 100000);
  feedings.indexes.push_back(index_of("feedings_pet", "feedings", {"pet_id"}));
  feedings.indexes.push_back(index_of("feedings_pet_time", "feedings", {"pet_id", "fed_at"}));
  schema.tables.push_back(feedings);
  rules::RuleContext context;
  context.schema = &schema;
  auto findings = run_rule("schema-redundant-index", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.at("index"), "feedings_pet");
  EXPECT_EQ(findings[0].evidence.at("covered_by"), "feedings_pet_time");
}

TEST(RuleSchemaRedundantIndex, QuietOnUniquePrefixesAndDifferentLeadingColumns) {
  model::Schema schema;
  auto feedings = table_of("feedings", 100000);
  feedings.indexes.push_back(index_of("feedings_pkey", "feedings", {"id"}, true, true));
  feedings.indexes.push_back(index_of("feedings_id_pet", "feedings", {"id", "pet_id"}));
  feedings.indexes.push_back(index_of("feedings_time", "feedings", {"fed_at"}));
  feedings.indexes.push_back(index_of("feedings_pet_time", "feedings", {"pet_id", "fed_at"}));
  schema.tables.push_back(feedings);
  rules::RuleContext context;
  context.schema = &schema;
  EXPECT_TRUE(run_rule("schema-redundant-index", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
