#include <gtest/gtest.h>

#ifdef DBVET_WITH_POSTGRES
#include "analyzer/engines/postgres/postgres_prepared.hpp"

namespace dbvet::engines::postgres {
namespace {

TEST(BenchPreparedPostgres, LiteralsBecomeParameters) {
  auto p = parameterize("SELECT abalance FROM pgbench_accounts WHERE aid = 12345;");
  EXPECT_EQ(p.text, "SELECT abalance FROM pgbench_accounts WHERE aid = $1;");
  EXPECT_EQ(p.values, (std::vector<std::string>{"12345"}));

  auto q = parameterize("SELECT * FROM users WHERE lower(email) = lower('o''brien@x.io') AND score > 2.5 LIMIT 10");
  EXPECT_EQ(q.text, "SELECT * FROM users WHERE lower(email) = lower($1) AND score > $2 LIMIT $3");
  EXPECT_EQ(q.values, (std::vector<std::string>{"o'brien@x.io", "2.5", "10"}));
}

TEST(BenchPreparedPostgres, LeavesIdentifiersCastsAndOrdinalsAlone) {
  auto p = parameterize("SELECT t1.c2, \"x 1\" FROM t1 WHERE c3 = '4'::int ORDER BY 1 -- 5\n");
  EXPECT_EQ(p.text, "SELECT t1.c2, \"x 1\" FROM t1 WHERE c3 = $1::int ORDER BY 1 -- 5\n");
  EXPECT_EQ(p.values, (std::vector<std::string>{"4"}));
  EXPECT_TRUE(parameterize("BEGIN").values.empty());
  EXPECT_EQ(parameterize("SELECT E'a\\n'").values.size(), 0u);
}

}  // namespace
}  // namespace dbvet::engines::postgres
#endif
