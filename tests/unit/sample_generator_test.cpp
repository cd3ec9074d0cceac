#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <set>

#include "analyzer/sample/generator.hpp"
#include "analyzer/sample/text_data.hpp"
#include "tests/support/test_env.hpp"
#include "tests/unit/sample_sqlite_loader.hpp"

namespace dbvet::sample {
namespace {

using Batch = std::vector<std::vector<std::optional<std::string>>>;

struct TableResult {
  int64_t rows = 0;
  uint64_t checksum = 0;
};

std::map<std::string, TableResult> generate_all(double scale, uint64_t seed,
                                                core::Engine engine = core::Engine::sqlite) {
  std::map<std::string, TableResult> results;
  const SampleSize size = SampleSize::for_scale(scale);
  for (const auto& table : virtualpet_tables()) {
    TableRows rows(table, size, seed, engine);
    Batch batch;
    while (rows.next_batch(batch, 1000)) {
      for (const auto& row : batch) EXPECT_EQ(row.size(), table.columns.size()) << table.name;
      batch.clear();
    }
    EXPECT_EQ(rows.rows_produced(), rows.total_rows());
    results[table.name] = {rows.rows_produced(), rows.checksum()};
  }
  return results;
}

TEST(SampleGenerator, SameSeedSameData) {
  auto a = generate_all(0.01, 42);
  auto b = generate_all(0.01, 42);
  auto c = generate_all(0.01, 43);
  ASSERT_EQ(a.size(), virtualpet_tables().size());
  int differing = 0;
  for (const auto& [name, result] : a) {
    EXPECT_EQ(result.checksum, b[name].checksum) << name;
    EXPECT_EQ(result.rows, b[name].rows) << name;
    differing += result.checksum != c[name].checksum ? 1 : 0;
  }
  EXPECT_GT(differing, 20);  // fixed lookup tables (species, items, ...) do not depend on the seed
}

TEST(SampleGenerator, ChecksumIsTheSameForEveryEngine) {
  auto sqlite = generate_all(0.005, 7, core::Engine::sqlite);
  auto postgres = generate_all(0.005, 7, core::Engine::postgres);
  for (const auto& [name, result] : sqlite) EXPECT_EQ(result.checksum, postgres[name].checksum) << name;
}

TEST(SampleGenerator, KnownValuesArePortable) {
  // Pinned outputs: a change here means data differs from earlier builds (and other machines).
  core::Random random(1);
  EXPECT_EQ(random.next(), 0xb3f2af6d0fc710c5ULL);
  EXPECT_EQ(format_timestamp(kSampleEnd), "2026-01-01 00:00:00");
  EXPECT_EQ(format_timestamp(951782400 + 86399), "2000-02-29 23:59:59");
  EXPECT_EQ(format_date(0), "1970-01-01");
}

TEST(SampleGenerator, ScaleOneIsAboutAMillionRowsAndLinear) {
  int64_t total_1 = 0;
  int64_t total_2 = 0;
  for (const auto& table : virtualpet_tables()) {
    total_1 += table.row_count(SampleSize::for_scale(1));
    total_2 += table.row_count(SampleSize::for_scale(2));
  }
  EXPECT_GT(total_1, 900000);
  EXPECT_LT(total_1, 1200000);
  EXPECT_NEAR(static_cast<double>(total_2) / total_1, 2.0, 0.01);
}

TEST(SampleGenerator, ActivityIsSkewedAndStatusesFollowTheirShares) {
  const SampleSize size = SampleSize::for_scale(0.05);
  std::map<std::string, const TableSpec*> by_name;
  for (const auto& table : virtualpet_tables()) by_name[table.name] = &table;

  std::map<std::string, int64_t> pet_counts;
  TableRows feeding(*by_name["feeding_events"], size, 1, core::Engine::sqlite);
  Batch batch;
  int64_t nulls = 0;
  while (feeding.next_batch(batch, 5000)) {
    for (const auto& row : batch) {
      ++pet_counts[*row[1]];
      nulls += row[2] ? 0 : 1;
    }
    batch.clear();
  }
  std::vector<int64_t> counts;
  for (const auto& [pet, count] : pet_counts) counts.push_back(count);
  std::sort(counts.rbegin(), counts.rend());
  int64_t top = 0;
  for (size_t i = 0; i < counts.size() / 100 + 1; ++i) top += counts[i];
  EXPECT_GT(static_cast<double>(top) / feeding.total_rows(), 0.3);  // top 1% of pets: >30% of feedings
  EXPECT_NEAR(static_cast<double>(nulls) / feeding.total_rows(), 0.2, 0.02);

  std::map<std::string, int64_t> statuses;
  TableRows payments(*by_name["payments"], size, 1, core::Engine::sqlite);
  while (payments.next_batch(batch, 5000)) {
    for (const auto& row : batch) ++statuses[*row[4]];
    batch.clear();
  }
  const double n = static_cast<double>(payments.total_rows());
  EXPECT_NEAR(statuses["completed"] / n, 0.90, 0.02);
  EXPECT_NEAR(statuses["pending"] / n, 0.02, 0.01);
}

TEST(SampleGenerator, PostgresTimestampsCarryUtc) {
  const SampleSize size = SampleSize::for_scale(0.001);
  const TableSpec& users = virtualpet_tables().front();
  TableRows rows(users, size, 1, core::Engine::postgres);
  Batch batch;
  ASSERT_TRUE(rows.next_batch(batch, 1));
  EXPECT_EQ(batch[0][5]->size(), 22u);
  EXPECT_EQ(batch[0][5]->substr(19), "+00");
}

// Loads the whole game into an in-memory SQLite with the raw API: the schema files and the
// generator agree on tables and columns, foreign keys hold, and the indexes build.
TEST(SampleGenerator, WholeGameLoadsIntoSqliteWithConsistentKeys) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  ASSERT_EQ(testing::load_sample_sqlite(db, 0.01, 42), "");
  const SampleSize size = SampleSize::for_scale(0.01);
  auto scalar = [&](const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    int64_t value = -1;
    if (sqlite3_step(statement) == SQLITE_ROW) value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    return value;
  };
  EXPECT_EQ(scalar("SELECT count(*) FROM pragma_foreign_key_check"), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM pets p LEFT JOIN users u ON u.user_id = p.owner_id WHERE u.user_id IS NULL"),
            0);
  EXPECT_EQ(scalar("SELECT count(*) FROM payments p JOIN orders o USING (order_id) "
                   "WHERE p.user_id <> o.user_id OR p.amount_cents <> o.total_cents"),
            0);
  EXPECT_EQ(scalar("SELECT count(*) FROM orders o WHERE total_cents <> "
                   "(SELECT sum(quantity * unit_price_cents) FROM order_lines l WHERE l.order_id = o.order_id)"),
            0);
  EXPECT_EQ(scalar("SELECT count(*) FROM refunds r JOIN payments p USING (payment_id) WHERE p.status <> 'refunded'"),
            0);
  EXPECT_EQ(scalar("SELECT count(*) FROM credential c LEFT JOIN user_entity u ON u.id = c.user_id WHERE u.id IS NULL"),
            0);
  EXPECT_EQ(scalar("SELECT count(*) FROM users WHERE email NOT LIKE '%_@_%.%'"), 0);
  EXPECT_GT(scalar("SELECT count(*) FROM users WHERE last_login_at IS NULL"), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL"), 3);  // 1% of 300
  EXPECT_EQ(scalar("SELECT count(*) FROM users"), size.users);
  sqlite3_close(db);
}

TEST(SampleGenerator, PlanLoadPicksServicesPerEngine) {
  const auto dir = dbvet::testing::source_dir() / "samples/virtualpet";
  auto postgres = plan_load(core::Engine::postgres, std::nullopt, dir);
  ASSERT_TRUE(postgres) << postgres.error().message;
  EXPECT_EQ(postgres->services, (std::vector<std::string>{"user-service", "pet-service", "events"}));
  auto mysql = plan_load(core::Engine::mysql, std::nullopt, dir);
  ASSERT_TRUE(mysql) << mysql.error().message;
  EXPECT_EQ(mysql->tables.size(), 7u);
  auto pet = plan_load(core::Engine::sqlite, std::string("pet-service"), dir);
  ASSERT_TRUE(pet) << pet.error().message;
  EXPECT_EQ(pet->tables.size(), 10u);
  auto wrong = plan_load(core::Engine::mysql, std::string("pet-service"), dir);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, core::ErrorKind::usage);
  EXPECT_EQ(wrong.error().message, "pet-service has no mysql schema; mysql has: payment-service");
  EXPECT_FALSE(plan_load(core::Engine::postgres, std::string("nope"), dir));
}

}  // namespace
}  // namespace dbvet::sample

namespace dbvet::sample {
namespace {

TEST(SampleGenerator, PrefetchingGivesTheSameRowsAndStopsWhenAbandoned) {
  const SampleSize size = SampleSize::for_scale(0.01);
  const TableSpec& table = virtualpet_tables().front();
  TableRows direct(table, size, 5, core::Engine::sqlite);
  Batch all_direct;
  Batch batch;
  while (direct.next_batch(batch, 7)) {
    for (auto& row : batch) all_direct.push_back(std::move(row));
    batch.clear();
  }
  TableRows inner(table, size, 5, core::Engine::sqlite);
  Batch all_prefetched;
  {
    PrefetchingRows prefetched(inner, 2);
    for (;;) {
      const bool more = prefetched.next_batch(batch, 7);
      EXPECT_LE(batch.size(), 7u);
      for (auto& row : batch) all_prefetched.push_back(std::move(row));
      batch.clear();
      if (!more) break;
    }
    prefetched.finish();
  }
  EXPECT_EQ(all_prefetched, all_direct);
  EXPECT_EQ(inner.checksum(), direct.checksum());

  TableRows abandoned(table, size, 5, core::Engine::sqlite);
  {
    PrefetchingRows prefetched(abandoned, 1);
    ASSERT_TRUE(prefetched.next_batch(batch, 3));
  }  // destroyed with batches still to come: must not hang
  EXPECT_LT(abandoned.rows_produced(), abandoned.total_rows());
}

}  // namespace
}  // namespace dbvet::sample
