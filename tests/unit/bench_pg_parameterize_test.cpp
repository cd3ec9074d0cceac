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

// The bench's hot path reuses one Parameterized per session: a call must leave nothing of the
// previous one behind (more values before, fewer now; an unterminated string after a literal).
TEST(BenchPreparedPostgres, ReusedBuffersGiveWhatAFreshCallGives) {
  Parameterized reused;
  for (const std::string sql :
       {"SELECT * FROM t WHERE a = 1 AND b = 'x' AND c = 2.5", "SELECT abalance FROM pgbench_accounts WHERE aid = 77",
        "BEGIN", "SELECT 'o''k', 'unterminated", "UPDATE t SET v = v + 10 WHERE id = 3 ORDER BY 1"}) {
    parameterize_into(sql, reused);
    auto fresh = parameterize(sql);
    EXPECT_EQ(reused.text, fresh.text) << sql;
    EXPECT_EQ(reused.values, fresh.values) << sql;
  }
  parameterize_into("SELECT 'o''k', 'unterminated", reused);
  EXPECT_EQ(reused.text, "SELECT $1, 'unterminated");
  EXPECT_EQ(reused.values, (std::vector<std::string>{"o'k"}));
}

}  // namespace
}  // namespace dbvet::engines::postgres
#endif
