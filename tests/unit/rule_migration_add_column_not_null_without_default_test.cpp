#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-add-column-not-null-without-default";

TEST(Rule_migration_add_column_not_null_without_default, FlagsNotNullWithoutDefault) {
  auto findings = lint_findings("SET lock_timeout = '2s';\nALTER TABLE pets ADD COLUMN status text NOT NULL;", ID);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]["line"], 2);
  EXPECT_EQ(findings[0]["severity"], "error");
  EXPECT_EQ(findings[0]["table"], "pets");
}

TEST(Rule_migration_add_column_not_null_without_default, QuietWithDefaultNullableOrNewTable) {
  EXPECT_TRUE(lint_findings("ALTER TABLE pets ADD COLUMN status text NOT NULL DEFAULT 'new'", ID).empty());
  EXPECT_TRUE(lint_findings("ALTER TABLE pets ADD COLUMN status text", ID).empty());
  EXPECT_TRUE(lint_findings("CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN c int NOT NULL;", ID).empty());
  // MariaDB fills the implicit default instead of failing
  EXPECT_TRUE(lint_findings("ALTER TABLE pets ADD COLUMN status int NOT NULL", ID, mysql_options()).empty());
}

TEST(Rule_migration_add_column_not_null_without_default, HostileNameStaysOneStatement) {
  auto findings = lint_findings("ALTER TABLE \"pe;ts\"\"x\" ADD COLUMN \"a;b\" int NOT NULL; SELECT 1;", ID);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]["table"], "pe;ts\"x");
  EXPECT_NE(findings[0]["message"].get<std::string>().find("a;b"), std::string::npos);
}

}  // namespace
}  // namespace dbvet::testing
