#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

TEST(RuleSchemaUnusedIndex, FlagsNeverScannedIndex) {
  model::Schema schema;
  auto pets = table_of("pets", 100000);
  auto index = index_of("pets_color", "pets", {"color"});
  index.scans = 0;
  index.size_bytes = 4 << 20;
  pets.indexes.push_back(index);
  schema.tables.push_back(pets);
  rules::RuleContext context;
  context.schema = &schema;
  auto findings = run_rule("schema-unused-index", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.at("index"), "pets_color");
}

TEST(RuleSchemaUnusedIndex, QuietOnUsedUniqueTinyOrUncountedIndexes) {
  model::Schema schema;
  auto pets = table_of("pets", 100000);
  auto used = index_of("pets_owner", "pets", {"owner_id"});
  used.scans = 120;
  used.size_bytes = 4 << 20;
  auto unique = index_of("pets_tag", "pets", {"tag"}, true);
  unique.scans = 0;
  unique.size_bytes = 4 << 20;
  auto tiny = index_of("pets_flag", "pets", {"flag"});
  tiny.scans = 0;
  tiny.size_bytes = 8192;
  auto uncounted = index_of("pets_name", "pets", {"name"});  // SQLite: no counters
  uncounted.size_bytes = 4 << 20;
  pets.indexes = {used, unique, tiny, uncounted};
  schema.tables.push_back(pets);
  rules::RuleContext context;
  context.schema = &schema;
  EXPECT_TRUE(run_rule("schema-unused-index", context).empty());
}

TEST(RuleSchemaUnusedIndex, AnIndexThatMakesAnotherRedundantIsNotUnused) {
  // Dropping both the redundant short index and its never-scanned cover would leave user_id unindexed.
  model::Schema schema;
  auto sessions = table_of("sessions", 60000);
  auto shorter = index_of("idx_sessions_user", "sessions", {"user_id"});
  shorter.scans = 12;
  shorter.size_bytes = 1 << 20;
  auto longer = index_of("idx_sessions_user_created", "sessions", {"user_id", "created_at"});
  longer.scans = 0;
  longer.size_bytes = 1 << 20;
  sessions.indexes = {shorter, longer};
  schema.tables.push_back(sessions);
  rules::RuleContext context;
  context.schema = &schema;
  EXPECT_TRUE(run_rule("schema-unused-index", context).empty());
  auto redundant = run_rule("schema-redundant-index", context);
  ASSERT_EQ(redundant.size(), 1u);
  EXPECT_EQ(redundant[0].evidence.at("index"), "idx_sessions_user");
}

}  // namespace
}  // namespace dbvet::testing
