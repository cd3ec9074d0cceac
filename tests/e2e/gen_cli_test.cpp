// The `dbvet gen` command line on the embedded default (SQLite): the summary, JSON, refusal,
// usage errors, and `make demo`'s script.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;

TEST(GenCli, CreatesTheSqliteFileAndPrintsASummary) {
  const fs::path dir = scratch_dir("gen_cli_summary");
  const fs::path db = dir / "new" / "pets.db";
  fs::create_directories(db.parent_path());
  ASSERT_FALSE(fs::exists(db));
  auto result = run_dbvet({"gen", "--sample", "virtualpet", "--scale", "0.005", "sqlite:" + db.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::exists(db));
  EXPECT_NE(result.out.find("Loaded the Virtual Pet sample (scale 0.005, seed 42)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("feeding_events"), std::string::npos);
  EXPECT_NE(result.out.find("rows/s"), std::string::npos);
  EXPECT_NE(result.out.find("Data checksum "), std::string::npos);
  EXPECT_EQ(result.err, "");  // no progress bar when standard error is not a terminal
  fs::remove_all(dir);
}

TEST(GenCli, JsonSummaryAndRefusalWithoutReplace) {
  const fs::path dir = scratch_dir("gen_cli_json");
  const std::string target = "sqlite:" + (dir / "pets.db").string();
  auto first = run_dbvet({"gen", "--scale", "0.005", "--seed", "3", "--format", "json", target});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto doc = nlohmann::json::parse(first.out);
  EXPECT_EQ(doc["kind"], "gen");
  EXPECT_TRUE(doc.contains("dbvet_version"));
  EXPECT_EQ(doc["target"]["engine"], "sqlite");
  EXPECT_EQ(doc["checksum"].get<std::string>().size(), 16u);
  EXPECT_GT(doc["totals"]["rows"].get<int64_t>(), 4000);
  EXPECT_GT(doc["totals"]["mb_per_second"].get<double>(), 0.0);

  auto refused = run_dbvet({"gen", "--scale", "0.005", target});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("already holds the sample's tables (users, profiles"), std::string::npos) << refused.err;

  // --replace drops the sample's tables only: a table of the user's survives.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "pets.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE mine (x INTEGER); INSERT INTO mine VALUES (1);", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto replaced = run_dbvet({"gen", "--scale", "0.005", "--seed", "3", "--format", "json", "--replace", target});
  ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_EQ(nlohmann::json::parse(replaced.out)["checksum"], doc["checksum"]);
  ASSERT_EQ(sqlite3_open((dir / "pets.db").c_str(), &db), SQLITE_OK);
  int mine_rows = -1;
  sqlite3_exec(
      db, "SELECT count(*) FROM mine",
      [](void* out, int, char** values, char**) {
        *static_cast<int*>(out) = std::atoi(values[0]);
        return 0;
      },
      &mine_rows, nullptr);
  sqlite3_close(db);
  EXPECT_EQ(mine_rows, 1);
  fs::remove_all(dir);
}

TEST(GenCli, UsageErrors) {
  const fs::path dir = scratch_dir("gen_cli_usage");
  const std::string target = "sqlite:" + (dir / "x.db").string();
  auto sample = run_dbvet({"gen", "--sample", "petstore", target});
  EXPECT_EQ(sample.exit_code, 2);
  EXPECT_NE(sample.err.find("unknown sample 'petstore'"), std::string::npos) << sample.err;
  auto service = run_dbvet({"gen", "--service", "payment-service", target});
  EXPECT_EQ(service.exit_code, 2);
  EXPECT_NE(service.err.find("payment-service has no sqlite schema; sqlite has: pet-service"), std::string::npos)
      << service.err;
  auto scale = run_dbvet({"gen", "--scale", "0", target});
  EXPECT_EQ(scale.exit_code, 2);
  auto redis = run_dbvet({"gen", "redis://127.0.0.1:1/0"});
  EXPECT_EQ(redis.exit_code, 2);
  fs::remove_all(dir);
}

TEST(GenCli, DemoScriptRuns) {
  const fs::path dir = scratch_dir("gen_cli_demo");
  const fs::path bin = fs::path(std::getenv("DBVET_BIN"));
  // scripts/demo takes the build directory; give it one holding a link to the binary.
  fs::create_symlink(bin, dir / "dbvet");
  auto result =
      run_program({"bash", "-c", "cd '" + source_dir().string() + "' && scripts/demo '" + dir.string() + "'"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("== dbvet gen"), std::string::npos);
  EXPECT_NE(result.out.find("leaderboard_scores"), std::string::npos) << result.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dbvet::testing
