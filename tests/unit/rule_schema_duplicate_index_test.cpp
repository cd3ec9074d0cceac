#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

TEST(RuleSchemaDuplicateIndex, FlagsIdenticalIndexKeepingTheUniqueOne) {
  model::Schema schema;
  auto users = table_of("users", 1000);
  users.indexes.push_back(index_of("users_email_idx", "users", {"email"}));
  users.indexes.push_back(index_of("users_email_key", "users", {"email"}, true));
  schema.tables.push_back(users);
  rules::RuleContext context;
  context.schema = &schema;
  auto findings = run_rule("schema-duplicate-index", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.at("index"), "users_email_idx");
  EXPECT_EQ(findings[0].evidence.at("duplicate_of"), "users_email_key");
}

TEST(RuleSchemaDuplicateIndex, QuietWhenMethodOrPredicateDiffers) {
  model::Schema schema;
  auto users = table_of("users", 1000);
  users.indexes.push_back(index_of("users_email_idx", "users", {"email"}));
  auto hash = index_of("users_email_hash", "users", {"email"});
  hash.method = "hash";
  users.indexes.push_back(hash);
  auto partial = index_of("users_email_active", "users", {"email"});
  partial.predicate = "(active)";
  users.indexes.push_back(partial);
  schema.tables.push_back(users);
  rules::RuleContext context;
  context.schema = &schema;
  EXPECT_TRUE(run_rule("schema-duplicate-index", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
