#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-unique-constraint-without-index";

TEST(Rule_migration_unique_constraint_without_index, FlagsUniqueBuiltUnderLock) {
  EXPECT_EQ(lint_findings("ALTER TABLE pets ADD CONSTRAINT pets_tag UNIQUE (tag)", ID).size(), 1u);
  EXPECT_EQ(lint_findings("ALTER TABLE pets ADD PRIMARY KEY (id)", ID).size(), 1u);
}

TEST(Rule_migration_unique_constraint_without_index, QuietUsingIndexOrOnNewTable) {
  EXPECT_TRUE(lint_findings("ALTER TABLE pets ADD CONSTRAINT pets_tag UNIQUE USING INDEX pets_tag_idx", ID).empty());
  EXPECT_TRUE(lint_findings("CREATE TABLE t (id int PRIMARY KEY, tag text UNIQUE)", ID).empty());
}

}  // namespace
}  // namespace dbvet::testing
