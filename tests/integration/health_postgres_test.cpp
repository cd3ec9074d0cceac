// dbvet health on the real PostgreSQL server: planted problems are each reported, a clean database
// reports none of them.
#include <chrono>
#include <pqxx/pqxx>
#include <thread>

#include "analyzer/health/health.hpp"
#include "tests/integration/health_test_helpers.hpp"
#include "tests/integration/postgres_test_database.hpp"

namespace dbvet {
namespace {

using testing::describe;
using testing::reported;

health::TargetHealth check(const std::string& url, health::Thresholds thresholds = {}) {
  health::HealthOptions options;
  options.thresholds = thresholds;
  auto parsed = core::parse_target_url(url);
  EXPECT_TRUE(parsed.has_value());
  return health::check_target({"planted", *parsed}, options);
}

constexpr const char* kSchema = R"(
  CREATE TABLE owners (id serial PRIMARY KEY, email text NOT NULL);
  CREATE TABLE pets (id serial PRIMARY KEY, owner_id int NOT NULL REFERENCES owners(id), name text,
                     created_at timestamptz DEFAULT now());
  INSERT INTO owners (email) SELECT 'owner' || g || '@example.com' FROM generate_series(1, 200) g;
  INSERT INTO pets (owner_id, name) SELECT 1 + g % 200, 'pet ' || g FROM generate_series(1, 2000) g;
)";

TEST(HealthPostgres, PlantedProblemsAreReported) {
  testing::PostgresTestDatabase db;
  db.run(kSchema);
  // A duplicate index (two identical ones), an unused index, an unindexed foreign key (pets.owner_id).
  db.run("CREATE INDEX pets_name_a ON pets(name); CREATE INDEX pets_name_b ON pets(name);");
  db.run("CREATE INDEX pets_created_idx ON pets(created_at)");
  // An invalid index: CREATE UNIQUE INDEX CONCURRENTLY over duplicates fails and leaves it behind.
  db.run("CREATE TABLE tags (v int); INSERT INTO tags VALUES (1), (1)");
  EXPECT_THROW(db.run("CREATE UNIQUE INDEX CONCURRENTLY tags_v_key ON tags(v)"), std::exception);
  // A sequence at 95% of the range of its integer column.
  db.run("CREATE TABLE tickets (id serial PRIMARY KEY); SELECT setval('tickets_id_seq', 2040109465)");
  // A session idle in a transaction, held open by the test.
  pqxx::connection idle(engines::postgres::build_conninfo(*core::parse_target_url(db.url()), {}));
  pqxx::work idle_tx(idle);
  idle_tx.exec("SELECT count(*) FROM pets");
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));

  health::Thresholds thresholds;
  thresholds.set("pg.idle_in_transaction_seconds", 1);
  auto result = check(db.url(), thresholds);
  ASSERT_TRUE(result.up) << result.error;
  EXPECT_TRUE(reported(result, "pg-duplicate-index", "pets_name_b")) << describe(result);
  EXPECT_FALSE(reported(result, "pg-duplicate-index", "pets_name_a")) << describe(result);
  EXPECT_TRUE(reported(result, "pg-unused-index", "pets_created_idx")) << describe(result);
  EXPECT_TRUE(reported(result, "pg-invalid-index", "tags_v_key")) << describe(result);
  EXPECT_TRUE(reported(result, "pg-unindexed-foreign-key", "pets(owner_id)")) << describe(result);
  EXPECT_TRUE(reported(result, "pg-sequence-overflow", "tickets_id_seq")) << describe(result);
  EXPECT_TRUE(reported(result, "pg-idle-in-transaction", "pid")) << describe(result);
  // Every check ran: none failed on the real server.
  for (const auto& outcome : result.checks) {
    EXPECT_NE(outcome.status, health::CheckStatus::failed) << outcome.id << ": " << outcome.note;
  }
  EXPECT_LT(result.seconds, 5.0);
  idle_tx.abort();
}

TEST(HealthPostgres, CleanDatabaseReportsNoneOfThem) {
  testing::PostgresTestDatabase db;
  db.run(kSchema);
  db.run("CREATE INDEX pets_owner_idx ON pets(owner_id)");
  // Scanned once, so not unused with a threshold of 0 scans (the session's exit flushes its statistics).
  db.run("SET enable_seqscan = off; SELECT count(*) FROM pets WHERE owner_id = 7");
  health::Thresholds thresholds;
  thresholds.set("pg.unused_index_max_scans", 0);
  thresholds.set("pg.idle_in_transaction_seconds", 1);
  auto result = check(db.url(), thresholds);
  ASSERT_TRUE(result.up) << result.error;
  for (const char* id : {"pg-duplicate-index", "pg-unused-index", "pg-invalid-index", "pg-unindexed-foreign-key",
                         "pg-sequence-overflow", "pg-idle-in-transaction"}) {
    EXPECT_FALSE(reported(result, id, "")) << id << "\n" << describe(result);
  }
}

TEST(HealthPostgres, DownTargetIsReportedAndOthersStillChecked) {
  testing::PostgresTestDatabase db;
  auto up = core::parse_target_url(db.url());
  auto down = core::parse_target_url("postgresql://nobody@127.0.0.1:1/none");
  ASSERT_TRUE(up && down);
  health::HealthOptions options;
  options.connect_timeout = std::chrono::seconds(2);
  auto results = health::check_targets({{"down", *down}, {"up", *up}}, options);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_FALSE(results[0].up);
  EXPECT_TRUE(reported(results[0], "target-down", "down"));
  EXPECT_TRUE(results[1].up) << results[1].error;
  EXPECT_FALSE(results[1].checks.empty());
  bool up_metric_zero = false;
  for (const auto& metric : results[0].metrics) up_metric_zero |= metric.name == "dbvet_target_up" && metric.value == 0;
  EXPECT_TRUE(up_metric_zero);
}

}  // namespace
}  // namespace dbvet
