#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-column-type-change";

TEST(Rule_migration_column_type_change, FlagsTypeChange) {
  auto findings = lint_findings("ALTER TABLE pets ALTER COLUMN weight TYPE numeric(8,2)", ID);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]["evidence"]["object"], "weight");
  auto mysql = lint_findings("ALTER TABLE pets MODIFY COLUMN weight DECIMAL(8,2) NOT NULL", ID, mysql_options());
  ASSERT_EQ(mysql.size(), 1u);
}

TEST(Rule_migration_column_type_change, QuietOnOtherAlters) {
  EXPECT_TRUE(lint_findings("ALTER TABLE pets ALTER COLUMN weight SET DEFAULT 0", ID).empty());
  EXPECT_TRUE(lint_findings("CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a TYPE bigint;", ID).empty());
}

}  // namespace
}  // namespace dbvet::testing
