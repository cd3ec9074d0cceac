// The filesort share the MariaDB sandbox what-if adds to Last_query_cost (which leaves sorting out
// in MariaDB 10): n log2 n / 5 for the rows reaching the sort, nothing without a filesort.

#include <gtest/gtest.h>

#include <cmath>

#include "analyzer/engines/mysql/mysql_explain.hpp"
#include "analyzer/engines/mysql/what_if_sandbox.hpp"

namespace dbvet::engines::mysql {
namespace {

TEST(MariadbFilesortCost, SortedRowsAfterTheFilter) {
  auto plan = parse_mariadb_explain_json(R"({"query_block": {"select_id": 1, "nested_loop": [{"read_sorted_file":
    {"filesort": {"sort_key": "t1.a", "table": {"table_name": "t1", "access_type": "ALL", "rows": 1000,
     "filtered": 10, "attached_condition": "t1.b = 3"}}}}]}})");
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_NEAR(mariadb_filesort_cost(*plan), 100 * std::log2(100.0) / 5, 1e-6);
}

TEST(MariadbFilesortCost, NoFilesortNoCost) {
  auto plan = parse_mariadb_explain_json(R"({"query_block": {"select_id": 1, "nested_loop": [{"table":
    {"table_name": "t1", "access_type": "ref", "key": "bax", "rows": 200, "filtered": 100}}]}})");
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(mariadb_filesort_cost(*plan), 0);
}

}  // namespace
}  // namespace dbvet::engines::mysql
