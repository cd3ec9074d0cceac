// `dbvet capture` end to end on SQLite: a workload run, timed and digested, in every format; the
// refusals.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

std::filesystem::path make_database(const std::filesystem::path& dir) {
  auto db = dir / "items.db";
  auto made = testing::run_program({"sqlite3", db.string(),
                                    "CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT);"
                                    "INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c');"});
  EXPECT_EQ(made.exit_code, 0) << made.err;
  std::ofstream(dir / "read.sql") << "\\set id random(1, 3)\nSELECT v FROM items WHERE id = :id;\n"
                                     "SELECT count(*) FROM items;\n";
  std::ofstream(dir / "write.sql") << "UPDATE items SET v = 'z' WHERE id = 1;\n";
  return db;
}

TEST(CaptureE2e, SqliteWorkloadJsonTextMarkdown) {
  auto dir = testing::scratch_dir("capture_e2e_sqlite");
  const std::string target = "sqlite:" + make_database(dir).string();
  const std::string script = (dir / "read.sql").string();
  auto json = testing::run_dbvet({"capture", target, "--workload", script, "-t", "9", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["kind"], "digest");
  EXPECT_EQ(doc["input"]["format"], "workload");
  EXPECT_EQ(doc["input"]["events"], 18);
  ASSERT_EQ(doc["classes"].size(), 2u);
  for (const auto& c : doc["classes"]) {
    EXPECT_EQ(c["count"], 9);
    EXPECT_TRUE(c["query_time"]["p99"].is_number());
  }
  auto text = testing::run_dbvet({"capture", target, "-w", script, "-t", "2"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("# Profile"), std::string::npos);
  EXPECT_NE(text.out.find("select v from items where id = ?"), std::string::npos) << text.out;
  auto md = testing::run_dbvet({"capture", target, "-w", script, "-t", "2", "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_EQ(md.out.rfind("# Query digest", 0), 0u);
}

TEST(CaptureE2e, RefusesWritesAndSqliteWithoutWorkload) {
  auto dir = testing::scratch_dir("capture_e2e_refusals");
  const std::string target = "sqlite:" + make_database(dir).string();
  auto writes = testing::run_dbvet({"capture", target, "--workload", (dir / "write.sql").string()});
  EXPECT_EQ(writes.exit_code, 2);
  EXPECT_NE(writes.err.find("--allow-writes"), std::string::npos) << writes.err;
  auto allowed =
      testing::run_dbvet({"capture", target, "--workload", (dir / "write.sql").string(), "--allow-writes", "-t", "2"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  auto no_source = testing::run_dbvet({"capture", target});
  EXPECT_EQ(no_source.exit_code, 2);
  EXPECT_NE(no_source.err.find("--workload"), std::string::npos) << no_source.err;
  auto wrong = testing::run_dbvet({"capture", target, "--source", "pg_stat_statements"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("PostgreSQL"), std::string::npos) << wrong.err;
}

}  // namespace
}  // namespace dbvet
