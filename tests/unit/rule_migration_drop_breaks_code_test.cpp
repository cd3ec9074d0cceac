#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-drop-breaks-code";

TEST(Rule_migration_drop_breaks_code, FlagsDropColumnAndTable) {
  auto findings = lint_findings("ALTER TABLE pets DROP COLUMN nickname;\nDROP TABLE old_pets;", ID);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0]["line"], 1);
  EXPECT_EQ(findings[1]["line"], 2);
  EXPECT_EQ(lint_findings("ALTER TABLE pets DROP COLUMN nickname", ID, mysql_options()).size(), 1u);
}

TEST(Rule_migration_drop_breaks_code, QuietOnTableCreatedInTheFile) {
  EXPECT_TRUE(lint_findings("CREATE TABLE scratch (a int);\nDROP TABLE scratch;", ID).empty());
  EXPECT_TRUE(lint_findings("DROP INDEX CONCURRENTLY i", ID).empty());
}

}  // namespace
}  // namespace dbvet::testing
