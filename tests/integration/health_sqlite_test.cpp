// dbvet health on real SQLite files: an unindexed foreign key, missing ANALYZE and free pages are
// reported; a tidy file reports none of them.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "analyzer/health/health.hpp"
#include "tests/integration/health_test_helpers.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

using testing::describe;
using testing::reported;

health::TargetHealth check(const std::string& path) {
  auto url = core::parse_target_url("sqlite:" + path);
  EXPECT_TRUE(url.has_value());
  return health::check_target({"embedded", *url}, {});
}

constexpr const char* kSchema = R"(
  CREATE TABLE owners (id INTEGER PRIMARY KEY, email TEXT);
  CREATE TABLE pets (id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES owners(id), name TEXT, blob BLOB);
  CREATE INDEX pets_name ON pets(name);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
  INSERT INTO pets (owner_id, name, blob) SELECT i % 50, 'pet ' || i, zeroblob(1000) FROM n;
)";

TEST(HealthSqlite, PlantedProblemsAreReported) {
  auto path = (testing::scratch_dir("health_sqlite_planted") / "pets.db").string();
  std::filesystem::remove(path);
  testing::exec_sqlite(path, kSchema);
  testing::exec_sqlite(path, "DELETE FROM pets WHERE id > 100");  // about 3 MB of free pages
  auto result = check(path);
  ASSERT_TRUE(result.up) << result.error;
  EXPECT_TRUE(reported(result, "sqlite-unindexed-foreign-key", "pets(owner_id)"));
  EXPECT_TRUE(reported(result, "sqlite-missing-analyze"));
  EXPECT_TRUE(reported(result, "sqlite-free-pages"));
  EXPECT_TRUE(reported(result, "sqlite-journal-mode"));
  EXPECT_FALSE(reported(result, "sqlite-quick-check"));
  for (const auto& outcome : result.checks) {
    EXPECT_NE(outcome.status, health::CheckStatus::failed) << outcome.id << ": " << outcome.note;
  }
}

TEST(HealthSqlite, TidyFileReportsNoneOfThem) {
  auto path = (testing::scratch_dir("health_sqlite_tidy") / "pets.db").string();
  std::filesystem::remove(path);
  testing::exec_sqlite(path, kSchema);
  testing::exec_sqlite(path, "CREATE INDEX pets_owner ON pets(owner_id); ANALYZE; PRAGMA journal_mode = WAL;");
  auto result = check(path);
  ASSERT_TRUE(result.up) << result.error;
  for (const char* id : {"sqlite-unindexed-foreign-key", "sqlite-missing-analyze", "sqlite-free-pages",
                         "sqlite-journal-mode", "sqlite-quick-check"}) {
    EXPECT_FALSE(reported(result, id)) << id;
  }
}

}  // namespace
}  // namespace dbvet
