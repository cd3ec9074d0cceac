#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/lint_test_support.hpp"

namespace dbvet::testing {
namespace {

constexpr const char* ID = "migration-statement-unparsed";

TEST(Rule_migration_statement_unparsed, ReportsTheLineAndLintsTheRest) {
  pipeline::LintOptions options;
  auto doc = pipeline::run_lint({{"m.sql", "ALTER TABLE pets ADD COLUMN;\nCREATE INDEX i ON pets (a);\n"}}, options);
  std::vector<std::string> rules_found;
  for (const auto& f : doc["findings"]) rules_found.push_back(f["rule"]);
  ASSERT_EQ(doc["findings"][0]["rule"], ID);
  EXPECT_EQ(doc["findings"][0]["line"], 1);
  EXPECT_NE(std::find(rules_found.begin(), rules_found.end(), "migration-index-without-concurrently"),
            rules_found.end());
}

TEST(Rule_migration_statement_unparsed, QuietOnValidSqlAndComments) {
  EXPECT_TRUE(lint_findings("SELECT 1;\n-- only a comment\n", ID).empty());
  EXPECT_TRUE(lint_findings("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", ID).empty());
}

}  // namespace
}  // namespace dbvet::testing
