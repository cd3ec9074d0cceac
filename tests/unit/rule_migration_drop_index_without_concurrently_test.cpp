#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-drop-index-without-concurrently";

TEST(Rule_migration_drop_index_without_concurrently, FlagsDropIndex) {
  auto findings = lint_findings("DROP INDEX pets_owner_id", ID);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]["evidence"]["object"], "pets_owner_id");
}

TEST(Rule_migration_drop_index_without_concurrently, QuietWithConcurrentlyOrOnMariadb) {
  EXPECT_TRUE(lint_findings("DROP INDEX CONCURRENTLY pets_owner_id", ID).empty());
  EXPECT_TRUE(lint_findings("DROP INDEX pets_owner_id ON pets", ID, mysql_options()).empty());
}

}  // namespace
}  // namespace dbvet::testing
