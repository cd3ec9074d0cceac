#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "analyzer/workload/runner.hpp"
#include "tests/unit/sample_sqlite_loader.hpp"

namespace dbvet::sample {
namespace {

namespace fs = std::filesystem;

fs::path workloads_dir() { return dbvet::testing::source_dir() / "samples/virtualpet/workloads"; }

std::vector<fs::path> scripts_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(SampleWorkloads, EveryScriptParsesAndEveryWeightNamesOne) {
  int scripts = 0;
  for (const char* service : {"user-service", "pet-service", "payment-service", "events", "sqlite"}) {
    const fs::path dir = workloads_dir() / service;
    std::set<std::string> files;
    for (const auto& path : scripts_in(dir)) {
      auto script = workload::load_script(path.string());
      ASSERT_TRUE(script) << script.error().message;
      EXPECT_GT(script->sql_count(), 0u) << path;
      files.insert(path.filename().string());
      ++scripts;
    }
    std::ifstream weights(dir / "weights.txt");
    ASSERT_TRUE(weights) << dir;
    std::string line;
    std::set<std::string> weighted;
    while (std::getline(weights, line)) {
      if (line.empty() || line[0] == '#') continue;
      auto script = workload::load_script((dir / line).string());
      ASSERT_TRUE(script) << line << ": " << script.error().message;
      EXPECT_GT(script->weight, 0);
      weighted.insert(script->name);
    }
    EXPECT_EQ(weighted, files) << service << ": weights.txt must list every script once";
  }
  EXPECT_GE(scripts, 40);
}

// Runs statements on a raw sqlite3 handle (the SQLite engine is tested on its own).
class SqliteExecutor : public workload::Executor {
 public:
  explicit SqliteExecutor(sqlite3* db) : db_(db) {}
  core::Expected<std::vector<workload::ResultRow>> run(const std::string& sql, bool want_rows) override {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      return core::make_error(core::ErrorKind::query, sqlite3_errmsg(db_));
    }
    std::vector<workload::ResultRow> rows;
    int rc = 0;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      if (!want_rows) continue;
      workload::ResultRow row;
      for (int i = 0; i < sqlite3_column_count(statement); ++i) {
        row.columns.push_back(sqlite3_column_name(statement, i));
        const auto* text = sqlite3_column_text(statement, i);
        row.values.push_back(text ? std::optional<std::string>(reinterpret_cast<const char*>(text)) : std::nullopt);
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    if (rc != SQLITE_DONE) return core::make_error(core::ErrorKind::query, sqlite3_errmsg(db_));
    ++statements;
    return rows;
  }
  void sleep(std::chrono::microseconds) override {}
  int statements = 0;

 private:
  sqlite3* db_;
};

TEST(SampleWorkloads, SqliteWorkloadsRunAgainstTheLoadedSample) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  ASSERT_EQ(testing::load_sample_sqlite(db, 0.01, 42), "");
  SqliteExecutor executor(db);
  for (const auto& path : scripts_in(workloads_dir() / "sqlite")) {
    auto script = workload::load_script(path.string());
    ASSERT_TRUE(script) << script.error().message;
    workload::Session session(42, 1, workload::Value::of_double(0.01));
    for (int i = 0; i < 5; ++i) {
      auto status = session.run(*script, executor);
      ASSERT_TRUE(status) << status.error().message;
    }
  }
  EXPECT_GE(executor.statements, 150);
  sqlite3_close(db);
}

TEST(SampleWorkloads, DemoQueriesRunOnTheSqliteSample) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  ASSERT_EQ(testing::load_sample_sqlite(db, 0.01, 42), "");
  const std::string demo =
      dbvet::testing::read_file(dbvet::testing::source_dir() / "samples/virtualpet/sqlite/demo-queries.sql");
  EXPECT_EQ(testing::exec_sqlite(db, demo), "");
  sqlite3_close(db);
}

}  // namespace
}  // namespace dbvet::sample
