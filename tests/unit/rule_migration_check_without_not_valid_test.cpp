#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-check-without-not-valid";

TEST(Rule_migration_check_without_not_valid, FlagsCheckWithoutNotValid) {
  auto findings = lint_findings("ALTER TABLE pets ADD CONSTRAINT age_positive CHECK (age > 0)", ID);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0]["message"].get<std::string>().find("age_positive"), std::string::npos);
}

TEST(Rule_migration_check_without_not_valid, QuietWithNotValidOrOnNewTable) {
  EXPECT_TRUE(lint_findings("ALTER TABLE pets ADD CONSTRAINT c CHECK (age > 0) NOT VALID", ID).empty());
  EXPECT_TRUE(lint_findings("CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);", ID).empty());
  EXPECT_TRUE(lint_findings("ALTER TABLE pets VALIDATE CONSTRAINT c", ID).empty());
}

}  // namespace
}  // namespace dbvet::testing
