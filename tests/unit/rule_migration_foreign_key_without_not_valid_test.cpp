#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-foreign-key-without-not-valid";

TEST(Rule_migration_foreign_key_without_not_valid, FlagsValidatedForeignKey) {
  auto findings = lint_findings("ALTER TABLE pets ADD CONSTRAINT fk FOREIGN KEY (owner_id) REFERENCES owners (id)", ID);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(lint_findings("ALTER TABLE pets ADD COLUMN owner_id int REFERENCES owners (id)", ID).size(), 1u);
}

TEST(Rule_migration_foreign_key_without_not_valid, QuietWithNotValidOrNewTable) {
  EXPECT_TRUE(
      lint_findings("ALTER TABLE pets ADD CONSTRAINT fk FOREIGN KEY (owner_id) REFERENCES owners (id) NOT VALID", ID)
          .empty());
  EXPECT_TRUE(lint_findings("CREATE TABLE t (owner_id int REFERENCES owners (id))", ID).empty());
}

}  // namespace
}  // namespace dbvet::testing
