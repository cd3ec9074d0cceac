#include "analyzer/sql/split_statements.hpp"

#include "gtest/gtest.h"

namespace dbvet::sql {
namespace {

TEST(SplitStatements, KeepsSemicolonsInsideQuotesCommentsAndDollarQuotes) {
  auto statements = split_statements(
      "SELECT 'a;b' FROM t; -- c;d\n"
      "/* e;f */ SELECT $$g;h$$;\n"
      "\n"
      "SELECT $1, `x;y` FROM u");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0].text, "SELECT 'a;b' FROM t");
  EXPECT_EQ(statements[0].line, 1);
  EXPECT_EQ(statements[1].text, "-- c;d\n/* e;f */ SELECT $$g;h$$");
  EXPECT_EQ(statements[2].text, "SELECT $1, `x;y` FROM u");
  EXPECT_EQ(statements[2].line, 4);
}

TEST(SplitStatements, CommentsAloneAreNoStatement) {
  EXPECT_TRUE(split_statements("-- nothing here;\n/* nor; here */ ;  ").empty());
}

}  // namespace
}  // namespace dbvet::sql
