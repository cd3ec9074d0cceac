#include <gtest/gtest.h>

#include "tests/unit/rule_test_support.hpp"

namespace dbvet::testing {
namespace {

model::Table outbox(int indexes, int64_t inserts, int64_t scans) {
  auto table = table_of("outbox", 100000);
  table.indexes.push_back(index_of("outbox_pkey", "outbox", {"id"}, true, true));
  for (int i = 0; i < indexes; ++i)
    table.indexes.push_back(index_of("outbox_i" + std::to_string(i), "outbox", {"c" + std::to_string(i)}));
  table.inserts = inserts;
  table.updates = 0;
  table.deletes = 0;
  table.seq_scans = scans;
  table.index_scans = 0;
  return table;
}

TEST(RuleSchemaWriteHeavyManyIndexes, FlagsWriteHeavyTableWithManyIndexes) {
  model::Schema schema;
  schema.tables.push_back(outbox(7, 1000000, 1000));
  rules::RuleContext context;
  context.schema = &schema;
  auto findings = run_rule("schema-write-heavy-many-indexes", context);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence.at("secondary_indexes"), "7");
}

TEST(RuleSchemaWriteHeavyManyIndexes, QuietOnFewIndexesOrReadMostlyTables) {
  model::Schema schema;
  schema.tables.push_back(outbox(2, 1000000, 1000));
  rules::RuleContext context;
  context.schema = &schema;
  EXPECT_TRUE(run_rule("schema-write-heavy-many-indexes", context).empty());
  schema.tables[0] = outbox(7, 20000, 5000000);
  EXPECT_TRUE(run_rule("schema-write-heavy-many-indexes", context).empty());
}

}  // namespace
}  // namespace dbvet::testing
