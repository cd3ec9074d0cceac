// `dbvet explain -f FILE` on a SQLite file built from the fixture schema, against golden output.

#include <filesystem>
#include <fstream>

#include "analyzer/engines/connection.hpp"
#include "gtest/gtest.h"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;

TEST(SqliteExplainE2e, FixtureQueriesMatchGolden) {
  auto dir = testing::scratch_dir("e2e-sqlite-explain");
  auto db_path = dir / "fixtures.db";
  {
    auto url = core::parse_target_url("sqlite:" + db_path.string());
    ASSERT_TRUE(url);
    engines::ConnectOptions options;
    options.allow_writes = true;
    auto db = engines::connect(*url, options);
    ASSERT_TRUE(db) << db.error().message;
    auto status = (*db)->execute_script(testing::read_file(testing::source_dir() / "samples/plans/sqlite/schema.sql"));
    ASSERT_TRUE(status) << status.error().message;
  }
  std::string script;
  for (const char* name : {"scan", "search_index", "order_by_temp_btree", "join", "subqueries", "compound"}) {
    script += testing::read_file(testing::source_dir() / "samples/plans/sqlite/queries" / (std::string(name) + ".sql"));
  }
  auto sql_path = dir / "queries.sql";
  std::ofstream(sql_path) << script;
  auto result =
      testing::run_dbvet({"--color", "never", "explain", "sqlite:" + db_path.string(), "-f", sql_path.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto golden_path = testing::source_dir() / "tests/e2e/golden/sqlite_explain_fixtures.txt";
  if (std::getenv("DBVET_UPDATE_GOLDEN")) std::ofstream(golden_path) << result.out;
  EXPECT_EQ(result.out, testing::read_file(golden_path));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dbvet
