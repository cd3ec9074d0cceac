#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-foreign-key-without-index";

TEST(Rule_migration_foreign_key_without_index, FlagsForeignKeyWithoutIndexInFile) {
  auto findings =
      lint_findings("ALTER TABLE pets ADD CONSTRAINT fk FOREIGN KEY (owner_id) REFERENCES owners (id) NOT VALID", ID);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]["evidence"]["columns"], "owner_id");
  // a new table's foreign key needs its index too
  EXPECT_EQ(lint_findings("CREATE TABLE tags (id int PRIMARY KEY, pet_id int REFERENCES pets (id))", ID).size(), 1u);
}

TEST(Rule_migration_foreign_key_without_index, QuietWhenAnIndexLeadsWithTheColumns) {
  EXPECT_TRUE(lint_findings("CREATE INDEX CONCURRENTLY i ON pets (owner_id, created_at);\n"
                            "ALTER TABLE pets ADD FOREIGN KEY (owner_id) REFERENCES owners (id) NOT VALID;",
                            ID)
                  .empty());
  EXPECT_TRUE(
      lint_findings("CREATE TABLE tags (pet_id int REFERENCES pets (id), tag text, PRIMARY KEY (pet_id, tag))", ID)
          .empty());
  // InnoDB creates the index itself
  EXPECT_TRUE(
      lint_findings("ALTER TABLE pets ADD FOREIGN KEY (owner_id) REFERENCES owners (id)", ID, mysql_options()).empty());
}

}  // namespace
}  // namespace dbvet::testing
