#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-lock-without-timeout";

TEST(Rule_migration_lock_without_timeout, FlagsDdlBeforeAnyLockTimeout) {
  auto findings = lint_findings(
      "ALTER TABLE pets ADD COLUMN a int;\nSET lock_timeout = '2s';\n"
      "ALTER TABLE pets ADD COLUMN b int;\nSET lock_timeout = 0;\nDROP INDEX CONCURRENTLY i;",
      ID);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0]["line"], 1);
  EXPECT_EQ(findings[1]["line"], 5);  // 0 turned the timeout off again
}

TEST(Rule_migration_lock_without_timeout, QuietOnNewTablesAndWithTimeout) {
  EXPECT_TRUE(lint_findings("CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);", ID).empty());
  EXPECT_TRUE(lint_findings("SET LOCAL lock_timeout TO 5000;\nALTER TABLE pets DROP COLUMN a;", ID).empty());
  EXPECT_TRUE(lint_findings("SET SESSION lock_wait_timeout = 5;\nALTER TABLE pets DROP COLUMN a;", ID, mysql_options())
                  .empty());
  EXPECT_EQ(lint_findings("ALTER TABLE pets DROP COLUMN a", ID, mysql_options()).size(), 1u);
}

}  // namespace
}  // namespace dbvet::testing
