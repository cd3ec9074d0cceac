// The run history: appends, reads back in order, migrates old files forward, refuses newer ones.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "analyzer/history/history.hpp"
#include "tests/integration/health_test_helpers.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::history {
namespace {

TEST(History, AppendsAndLoadsInTimeOrder) {
  auto path = (testing::scratch_dir("history_append") / "runs.db").string();
  std::filesystem::remove(path);
  ASSERT_TRUE(append(path, "health",
                     R"({"kind":"health","started_at":"2026-01-02T00:00:00Z","dbvet_version":"0.1.0",)"
                     R"("targets":[{"name":"user-service"},{"name":"cache"}]})"));
  ASSERT_TRUE(append(path, "health", R"({"kind":"health","started_at":"2026-01-01T00:00:00Z","targets":[]})"));
  ASSERT_TRUE(append(path, "digest", R"({"dbvet_version":"0.1.0","target":{"url":"slow.log"}})"));
  auto all = load(path);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].started_at, "2026-01-01T00:00:00Z");
  EXPECT_EQ((*all)[1].target, "user-service,cache");
  EXPECT_EQ((*all)[1].dbvet_version, "0.1.0");
  EXPECT_EQ((*all)[2].kind, "digest");
  EXPECT_EQ((*all)[2].target, "slow.log");

  Query health_only;
  health_only.kind = "health";
  health_only.limit = 1;
  auto latest = load(path, health_only);
  ASSERT_TRUE(latest);
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ((*latest)[0].started_at, "2026-01-02T00:00:00Z");
  EXPECT_FALSE(append(path, "health", "not json"));
}

TEST(History, MigratesAVersion1File) {
  auto path = (testing::scratch_dir("history_migrate") / "old.db").string();
  std::filesystem::remove(path);
  // A file as the first schema left it.
  testing::exec_sqlite(
      path,
      "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL);"
      "INSERT INTO schema_version VALUES (1, '2025-01-01T00:00:00Z');"
      "CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started_at TEXT NOT NULL,"
      " target TEXT NOT NULL DEFAULT '', result TEXT NOT NULL);"
      "INSERT INTO runs (kind, started_at, target, result) VALUES ('health', '2025-01-01T00:00:00Z', 'pg', '{}');");
  auto old_runs = load(path);  // read-only, as it is
  ASSERT_TRUE(old_runs) << old_runs.error().message;
  ASSERT_EQ(old_runs->size(), 1u);
  EXPECT_EQ((*old_runs)[0].dbvet_version, "");

  auto version = migrate(path);
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, current_schema_version());
  ASSERT_TRUE(append(path, "health", R"({"kind":"health","dbvet_version":"9.9"})"));
  auto runs = load(path);
  ASSERT_TRUE(runs);
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].result, "{}");
  EXPECT_EQ((*runs)[1].dbvet_version, "9.9");
  // Migrating again is a no-op.
  EXPECT_EQ(*migrate(path), current_schema_version());
}

TEST(History, RefusesNewerSchemasAndForeignFiles) {
  auto dir = testing::scratch_dir("history_refuse");
  auto newer = (dir / "newer.db").string();
  std::filesystem::remove(newer);
  ASSERT_TRUE(migrate(newer));
  testing::exec_sqlite(newer, "INSERT INTO schema_version VALUES (99, 'future')");
  auto appended = append(newer, "health", "{}");
  ASSERT_FALSE(appended);
  EXPECT_NE(appended.error().message.find("schema version 99"), std::string::npos);
  EXPECT_FALSE(load(newer));

  auto foreign = (dir / "foreign.db").string();
  std::filesystem::remove(foreign);
  testing::exec_sqlite(foreign, "CREATE TABLE pets (id INTEGER)");
  auto refused = append(foreign, "health", "{}");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("not a dbvet history"), std::string::npos);
  EXPECT_FALSE(load((dir / "missing.db").string()));
}

}  // namespace
}  // namespace dbvet::history
