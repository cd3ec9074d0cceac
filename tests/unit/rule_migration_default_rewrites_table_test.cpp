#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-default-rewrites-table";

TEST(Rule_migration_default_rewrites_table, VolatileDefaultRewritesOnEveryVersion) {
  auto findings = lint_findings("ALTER TABLE pets ADD COLUMN token uuid DEFAULT gen_random_uuid()", ID);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(lint_findings("ALTER TABLE pets ADD COLUMN n bigserial", ID).size(), 1u);
}

TEST(Rule_migration_default_rewrites_table, ConstantDefaultRewritesOnlyBeforePostgres11) {
  const std::string sql = "ALTER TABLE pets ADD COLUMN status text DEFAULT 'new'";
  EXPECT_TRUE(lint_findings(sql, ID, postgres_options(11)).empty());
  EXPECT_TRUE(lint_findings("ALTER TABLE pets ADD COLUMN seen timestamptz DEFAULT now()", ID).empty());
  auto old = lint_findings(sql, ID, postgres_options(10));
  ASSERT_EQ(old.size(), 1u);
  EXPECT_NE(old[0]["message"].get<std::string>().find("PostgreSQL 10"), std::string::npos);
}

TEST(Rule_migration_default_rewrites_table, MariadbBefore103CopiesTheTable) {
  const std::string sql = "ALTER TABLE pets ADD COLUMN status INT NOT NULL DEFAULT 0";
  EXPECT_TRUE(lint_findings(sql, ID, mysql_options(10, 11)).empty());
  EXPECT_EQ(lint_findings(sql, ID, mysql_options(10, 2)).size(), 1u);
}

}  // namespace
}  // namespace dbvet::testing
