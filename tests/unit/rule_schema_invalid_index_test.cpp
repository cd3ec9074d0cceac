#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

TEST(RuleSchemaInvalidIndex, FlagsInvalidIndexAsError) {
  model::Schema schema;
  auto pets = table_of("pets", 1000);
  auto broken = index_of("pets_name_ccnew", "pets", {"name"});
  broken.valid = false;
  pets.indexes.push_back(broken);
  schema.tables.push_back(pets);
  rules::RuleContext context;
  context.schema = &schema;
  auto findings = run_rule("schema-invalid-index", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, model::Severity::error);
}

TEST(RuleSchemaInvalidIndex, QuietOnValidIndexes) {
  model::Schema schema;
  auto pets = table_of("pets", 1000);
  pets.indexes.push_back(index_of("pets_name", "pets", {"name"}));
  schema.tables.push_back(pets);
  rules::RuleContext context;
  context.schema = &schema;
  EXPECT_TRUE(run_rule("schema-invalid-index", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
