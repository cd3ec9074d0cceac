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

// Under --assume-in-transaction the file has no BEGIN of its own: the finding names the tool's
// transaction, and an explicit BEGIN after the tool's COMMIT is named as the file's own.
TEST(Rule_migration_concurrently_in_transaction, NamesTheToolsTransactionUnderAssumeInTransaction) {
  pipeline::LintOptions options;
  options.assume_in_transaction = true;
  auto findings = lint_findings("CREATE INDEX CONCURRENTLY pets_owner ON pets (owner_id);", ID, options);
  ASSERT_EQ(findings.size(), 1u);
  const std::string message = findings[0]["message"];
  EXPECT_NE(message.find("the transaction the migration tool wraps this file in"), std::string::npos) << message;
  EXPECT_EQ(message.find("BEGIN ... COMMIT"), std::string::npos) << message;

  auto own = lint_findings("COMMIT;\nBEGIN;\nDROP INDEX CONCURRENTLY pets_owner;\nCOMMIT;", ID, options);
  ASSERT_EQ(own.size(), 1u);
  EXPECT_NE(own[0]["message"].get<std::string>().find("BEGIN ... COMMIT"), std::string::npos) << own[0].dump();
}

}  // namespace
}  // namespace dbvet::testing
