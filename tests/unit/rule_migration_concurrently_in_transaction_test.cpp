#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-concurrently-in-transaction";

TEST(Rule_migration_concurrently_in_transaction, FlagsConcurrentlyInsideBeginCommit) {
  auto findings = lint_findings("BEGIN;\nCREATE INDEX CONCURRENTLY pets_owner ON pets (owner_id);\nCOMMIT;", ID);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]["line"], 2);
  EXPECT_EQ(findings[0]["severity"], "error");
}

TEST(Rule_migration_concurrently_in_transaction, QuietOutsideTransaction) {
  EXPECT_TRUE(lint_findings("BEGIN;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON pets (owner_id);", ID).empty());
  EXPECT_TRUE(lint_findings("BEGIN;\nCREATE INDEX i ON pets (owner_id);\nCOMMIT;", ID).empty());
}

}  // namespace
}  // namespace dbvet::testing
