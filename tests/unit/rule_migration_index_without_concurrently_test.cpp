#include <gtest/gtest.h>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-index-without-concurrently";

TEST(Rule_migration_index_without_concurrently, FlagsBlockingIndexBuild) {
  auto findings = lint_findings("-- owners' pets\nCREATE INDEX pets_owner_id ON pets (owner_id);", ID);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0]["line"], 2);  // the statement's line, not its comment's
  EXPECT_EQ(findings[0]["file"], "m.sql");
  EXPECT_EQ(findings[0]["table"], "pets");
}

TEST(Rule_migration_index_without_concurrently, QuietWithConcurrentlyOrOnNewTable) {
  EXPECT_TRUE(lint_findings("CREATE INDEX CONCURRENTLY pets_owner_id ON pets (owner_id)", ID).empty());
  EXPECT_TRUE(lint_findings("CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);", ID).empty());
}

TEST(Rule_migration_index_without_concurrently, MariadbWantsLockNone) {
  auto options = mysql_options();
  EXPECT_EQ(lint_findings("CREATE INDEX pets_owner ON pets (owner_id)", ID, options).size(), 1u);
  EXPECT_EQ(lint_findings("ALTER TABLE pets ADD INDEX pets_owner (owner_id)", ID, options).size(), 1u);
  EXPECT_TRUE(
      lint_findings("ALTER TABLE pets ADD INDEX pets_owner (owner_id), ALGORITHM=INPLACE, LOCK=NONE", ID, options)
          .empty());
  EXPECT_TRUE(
      lint_findings("CREATE INDEX pets_owner ON pets (owner_id) ALGORITHM=INPLACE LOCK=NONE", ID, options).empty());
}

TEST(Rule_migration_index_without_concurrently, InlineSuppression) {
  EXPECT_TRUE(
      lint_findings("-- dbvet:ignore migration-index-without-concurrently\nCREATE INDEX i ON pets (a);", ID).empty());
  EXPECT_TRUE(lint_findings("CREATE INDEX i ON pets (a); -- dbvet:ignore migration-lock-without-timeout, "
                            "migration-index-without-concurrently",
                            ID)
                  .empty());
  // another rule's suppression leaves this one
  EXPECT_EQ(lint_findings("-- dbvet:ignore migration-drop-breaks-code\nCREATE INDEX i ON pets (a);", ID).size(), 1u);
}

}  // namespace
}  // namespace dbvet::testing
