#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-rename-breaks-code";

TEST(Rule_migration_rename_breaks_code, FlagsRenames) {
  auto findings =
      lint_findings("ALTER TABLE pets RENAME COLUMN name TO display_name;\nALTER TABLE pets RENAME TO animals;", ID);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0]["evidence"]["object"], "name");
  EXPECT_EQ(lint_findings("RENAME TABLE pets TO animals", ID, mysql_options()).size(), 1u);
  EXPECT_EQ(lint_findings("ALTER TABLE pets CHANGE name display_name VARCHAR(80)", ID, mysql_options()).size(), 1u);
}

TEST(Rule_migration_rename_breaks_code, QuietOnNewTableAndIndexRename) {
  EXPECT_TRUE(lint_findings("CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;", ID).empty());
  EXPECT_TRUE(lint_findings("ALTER INDEX i RENAME TO j", ID).empty());
}

}  // namespace
}  // namespace dbvet::testing
