#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

TEST(RuleSchemaUnindexedForeignKey, FlagsForeignKeyWithoutLeadingIndex) {
  model::Schema schema;
  auto pets = table_of("pets", 100000);
  pets.foreign_keys.push_back({"pets_owner_fk", "pets", {"owner_id"}, "users", {"id"}});
  pets.indexes.push_back(index_of("pets_pkey", "pets", {"id"}, true, true));
  pets.indexes.push_back(index_of("pets_species_owner", "pets", {"species_id", "owner_id"}));
  schema.tables.push_back(pets);
  rules::RuleContext context;
  context.schema = &schema;
  auto findings = run_rule("schema-unindexed-foreign-key", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.at("columns"), "owner_id");
}

TEST(RuleSchemaUnindexedForeignKey, QuietWhenAnIndexLeadsWithTheKey) {
  model::Schema schema;
  auto pets = table_of("pets", 100000);
  pets.foreign_keys.push_back({"pets_owner_fk", "pets", {"owner_id"}, "users", {"id"}});
  pets.indexes.push_back(index_of("pets_owner_created", "pets", {"owner_id", "created_at"}));
  schema.tables.push_back(pets);
  rules::RuleContext context;
  context.schema = &schema;
  EXPECT_TRUE(run_rule("schema-unindexed-foreign-key", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
