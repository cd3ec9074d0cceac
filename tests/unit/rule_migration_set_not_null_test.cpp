#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-set-not-null";

TEST(Rule_migration_set_not_null, FlagsSetNotNullWithTheVersionsWayOut) {
  const std::string sql = "ALTER TABLE pets ALTER COLUMN owner_id SET NOT NULL";
  auto recent = lint_findings(sql, ID, postgres_options(12));
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_NE(recent[0]["message"].get<std::string>().find("IS NOT NULL) NOT VALID"), std::string::npos);
  auto old = lint_findings(sql, ID, postgres_options(11));
  ASSERT_EQ(old.size(), 1u);
  EXPECT_NE(old[0]["message"].get<std::string>().find("cannot skip"), std::string::npos);
}

TEST(Rule_migration_set_not_null, QuietOnOtherStatements) {
  EXPECT_TRUE(lint_findings("ALTER TABLE pets ALTER COLUMN owner_id DROP NOT NULL", ID).empty());
  EXPECT_TRUE(lint_findings("CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;", ID).empty());
}

}  // namespace
}  // namespace dbvet::testing
