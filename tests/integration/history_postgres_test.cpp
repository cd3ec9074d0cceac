// --history accepts a PostgreSQL URL as well as an SQLite file (issue 18): every scheduled run of a
// fleet appends to one shared history database that `dbvet report` reads. Against the real server.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/history/history.hpp"
#include "nlohmann/json.hpp"
#include "tests/integration/postgres_test_database.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

TEST(HistoryPostgres, AppendsMigratesOnceAndReadsBackInOrder) {
  testing::PostgresTestDatabase db;
  const std::string url = db.url();
  auto migrated = history::migrate(url);
  ASSERT_TRUE(migrated.has_value()) << migrated.error().message;
  EXPECT_GE(*migrated, 1);
  EXPECT_EQ(*history::migrate(url), *migrated);  // idempotent

  auto first = history::append(url, "health",
                               R"({"kind":"health","dbvet_version":"9.9","started_at":"2026-01-01T00:00:00Z",
                                   "target":{"name":"payments"}})");
  ASSERT_TRUE(first.has_value()) << first.error().message;
  auto second = history::append(url, "digest", R"({"kind":"digest","started_at":"2026-01-02T00:00:00Z"})");
  ASSERT_TRUE(second.has_value()) << second.error().message;
  auto third = history::append(url, "digest", R"({"kind":"digest","started_at":"2026-01-03T00:00:00Z"})");
  ASSERT_TRUE(third.has_value());
  EXPECT_LT(*first, *second);

  auto all = history::load(url);
  ASSERT_TRUE(all.has_value()) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].kind, "health");
  EXPECT_EQ((*all)[0].target, "payments");
  EXPECT_EQ((*all)[0].dbvet_version, "9.9");
  EXPECT_EQ(nlohmann::json::parse((*all)[0].result)["target"]["name"], "payments");

  history::Query latest;
  latest.kind = "digest";
  latest.limit = 1;
  auto digests = history::load(url, latest);
  ASSERT_TRUE(digests.has_value());
  ASSERT_EQ(digests->size(), 1u);
  EXPECT_EQ((*digests)[0].started_at, "2026-01-03T00:00:00Z");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM dbvet_schema_version"), "1");
}

TEST(HistoryPostgres, ANewerSchemaIsRefusedAndAnEmptyDatabaseHasNoRuns) {
  testing::PostgresTestDatabase db;
  auto none = history::load(db.url());
  ASSERT_TRUE(none.has_value()) << none.error().message;
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE(history::migrate(db.url()).has_value());
  db.run("INSERT INTO dbvet_schema_version VALUES (99, now())");
  auto refused = history::append(db.url(), "digest", R"({"kind":"digest"})");
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("schema version 99"), std::string::npos) << refused.error().message;
}

TEST(HistoryPostgres, AServerThatIsDownIsAConnectionErrorWithoutThePassword) {
  auto failed = history::append("postgresql://fleet:s3cr3t-pw@127.0.0.1:1/history?connect_timeout=5", "digest",
                                R"({"kind":"digest"})");
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().kind, core::ErrorKind::connection);
  EXPECT_EQ(failed.error().message.find("s3cr3t-pw"), std::string::npos) << failed.error().message;
  EXPECT_NE(failed.error().message.find("127.0.0.1"), std::string::npos) << failed.error().message;
}

// The CLI end to end: two digests append to the shared history, `dbvet report` reads both back.
TEST(HistoryPostgres, DigestAndMergeAppendAndReportReads) {
  testing::PostgresTestDatabase db;
  auto dir = testing::scratch_dir("history-postgres-cli");
  const auto log = dir / "slow.log";
  std::ofstream(log) << "# Time: 2024-03-01T10:00:00.000000Z\n# Query_time: 0.5  Lock_time: 0.0 Rows_sent: 1  "
                        "Rows_examined: 10\nSELECT * FROM pets WHERE id = 7;\n";
  const std::string state = (dir / "host.state").string();
  auto digest = testing::run_dbvet(
      {"digest", "--no-progress", "--format", "json", "--history", db.url(), "--state", state, log.string()});
  ASSERT_EQ(digest.exit_code, 0) << digest.err;
  auto merge = testing::run_dbvet({"merge", "--format", "json", "--history", db.url(), state});
  ASSERT_EQ(merge.exit_code, 0) << merge.err;
  EXPECT_EQ(db.scalar("SELECT count(*) FROM dbvet_runs WHERE kind = 'digest'"), "2");
  auto report = testing::run_dbvet({"report", "--history", db.url(), "--format", "html"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("<html"), std::string::npos);
  EXPECT_NE(report.out.find("select * from pets where id = ?"), std::string::npos);
  // The URL's password is in no output.
  if (!db.password().empty()) {
    EXPECT_EQ(report.out.find(db.password()), std::string::npos);
  }
}

}  // namespace
}  // namespace dbvet
