// Pure evaluations of the PostgreSQL health checks: a bad and a clean case each.
#include <gtest/gtest.h>

#include "analyzer/health/index_logic.hpp"
#include "analyzer/health/postgres/checks.hpp"
#include "analyzer/health/rows.hpp"

namespace dbvet::health {
namespace {

using Row = std::vector<std::optional<std::string>>;

bool has_finding(const CheckResult& result, const std::string& check, const std::string& object) {
  for (const auto& finding : result.findings) {
    if (finding.check == check && finding.object == object) return true;
  }
  return false;
}

double metric(const CheckResult& result, const std::string& name) {
  for (const auto& m : result.metrics) {
    if (m.name == name) return m.value;
  }
  return -1;
}

const Thresholds kDefaults;

TEST(HealthPostgres, CacheHitRatioBelowPgHeroThreshold) {
  auto bad = make_result({"table_hit", "table_read", "index_hit", "index_read"}, {{"9000", "1000", "100000", "10"}});
  auto result = postgres::evaluate_cache_hit_ratio(bad, kDefaults);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].object, "table");
  EXPECT_NEAR(*result.findings[0].value, 0.9, 1e-9);
  EXPECT_EQ(*result.findings[0].threshold, 0.99);
  auto clean = make_result({"table_hit", "table_read", "index_hit", "index_read"}, {{"99990", "10", "0", "0"}});
  EXPECT_TRUE(postgres::evaluate_cache_hit_ratio(clean, kDefaults).findings.empty());
  // Too few block accesses to judge (a fresh server) and no division by zero.
  auto idle =
      make_result({"table_hit", "table_read", "index_hit", "index_read"}, {{"5", "5", std::nullopt, std::nullopt}});
  auto quiet = postgres::evaluate_cache_hit_ratio(idle, kDefaults);
  EXPECT_TRUE(quiet.findings.empty());
  EXPECT_EQ(quiet.metrics.size(), 2u);
}

TEST(HealthPostgres, UnusedIndexesSkipUniqueAndConstraintIndexes) {
  auto rows = make_result(
      {"schema", "table", "index", "idx_scan", "bytes", "is_unique", "is_primary", "is_valid", "backs_constraint"},
      {
          {"public", "pets", "pets_name_idx", "0", "8192", "f", "f", "t", "f"},
          {"public", "pets", "pets_pkey", "0", "8192", "t", "t", "t", "t"},
          {"public", "pets", "pets_owner_idx", "5000", "8192", "f", "f", "t", "f"},
          {"public", "pets", "pets_email_key", "0", "8192", "t", "f", "t", "t"},
      });
  auto result = postgres::evaluate_unused_indexes(rows, kDefaults);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].object, "pets_name_idx");
  EXPECT_EQ(metric(result, "dbvet_unused_indexes"), 1);
}

engines::ResultSummary index_rows(std::vector<Row> rows) {
  return make_result(
      {"schema", "table", "index", "method", "is_unique", "is_primary", "is_valid", "predicate", "columns", "bytes"},
      std::move(rows));
}

TEST(HealthPostgres, DuplicateAndPrefixIndexes) {
  auto rows = index_rows({
      {"public", "pets", "pets_pkey", "btree", "t", "t", "t", "", "id", "8192"},
      {"public", "pets", "pets_owner_idx", "btree", "f", "f", "t", "", "owner_id", "8192"},
      {"public", "pets", "pets_owner_created_idx", "btree", "f", "f", "t", "",
       "owner_id\x1f"
       "created_at",
       "8192"},
      {"public", "pets", "pets_id_idx", "btree", "f", "f", "t", "", "id", "8192"},
      {"public", "pets", "pets_lower_name", "btree", "f", "f", "t", "", "lower(name)", "8192"},
      {"public", "pets", "pets_name_hash", "hash", "f", "f", "t", "", "lower(name)", "8192"},
      {"public", "pets", "pets_active_owner", "btree", "f", "f", "t", "active", "owner_id", "8192"},
  });
  auto result = postgres::evaluate_duplicate_indexes(rows, kDefaults);
  EXPECT_TRUE(has_finding(result, "pg-duplicate-index", "pets_owner_idx"));
  EXPECT_TRUE(has_finding(result, "pg-duplicate-index", "pets_id_idx"));
  EXPECT_FALSE(has_finding(result, "pg-duplicate-index", "pets_pkey"));
  EXPECT_FALSE(has_finding(result, "pg-duplicate-index", "pets_name_hash"));     // another method
  EXPECT_FALSE(has_finding(result, "pg-duplicate-index", "pets_active_owner"));  // partial
  EXPECT_EQ(result.findings.size(), 2u);
}

// health said drop idx_pets_owner_created as unused (43 scans) and drop idx_pets_owner because
// idx_pets_owner_created covers it: following both removed both. The narrow one in use stays.
TEST(HealthPostgres, ACoveredIndexInUseIsKeptWhenItsCoveringIndexIsUnused) {
  auto owner_indexes = [](const char* covering_scans) {
    return make_result({"schema", "table", "index", "method", "is_unique", "is_primary", "is_valid", "predicate",
                        "columns", "bytes", "idx_scan"},
                       {
                           {"public", "pets", "idx_pets_owner", "btree", "f", "f", "t", "", "owner_id", "8192", "9000"},
                           {"public", "pets", "idx_pets_owner_created", "btree", "f", "f", "t", "",
                            "owner_id\x1f"
                            "created_at",
                            "8192", covering_scans},
                       });
  };
  auto result = postgres::evaluate_duplicate_indexes(owner_indexes("43"), kDefaults);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].severity, model::Severity::info);  // not a drop
  EXPECT_NE(result.findings[0].message.find("keep idx_pets_owner"), std::string::npos) << result.findings[0].message;

  // The covering index in use: the narrow one is the one to drop, as before.
  auto dropped = postgres::evaluate_duplicate_indexes(owner_indexes("5000"), kDefaults);
  ASSERT_EQ(dropped.findings.size(), 1u);
  EXPECT_EQ(dropped.findings[0].severity, model::Severity::warning);
}

// "Unused" needs statistics that have counted long enough: a day-old reset proves nothing.
TEST(HealthPostgres, UnusedIndexNeedsStatisticsOldEnoughAndSaysHowOld) {
  auto rows_aged = [](const char* age_seconds) {
    return make_result({"schema", "table", "index", "idx_scan", "bytes", "is_unique", "is_primary", "is_valid",
                        "backs_constraint", "stats_age_seconds"},
                       {{"public", "pets", "pets_name_idx", "0", "8192", "f", "f", "t", "f", age_seconds}});
  };
  auto fresh = postgres::evaluate_unused_indexes(rows_aged("3600"), kDefaults);
  ASSERT_EQ(fresh.findings.size(), 1u);
  EXPECT_EQ(fresh.findings[0].severity, model::Severity::info);
  EXPECT_NE(fresh.findings[0].message.find("only 1 hour"), std::string::npos) << fresh.findings[0].message;

  auto old = postgres::evaluate_unused_indexes(rows_aged("2592000"), kDefaults);
  ASSERT_EQ(old.findings.size(), 1u);
  EXPECT_EQ(old.findings[0].severity, model::Severity::warning);
  EXPECT_NE(old.findings[0].message.find("in 30 days of statistics"), std::string::npos) << old.findings[0].message;
}

TEST(HealthPostgres, IdenticalIndexesReportOnlyOne) {
  auto rows = index_rows({
      {"public", "t", "a_idx", "btree", "f", "f", "t", "", "x", "1"},
      {"public", "t", "b_idx", "btree", "f", "f", "t", "", "x", "1"},
  });
  auto result = postgres::evaluate_duplicate_indexes(rows, kDefaults);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].object, "b_idx");
}

TEST(HealthPostgres, UniqueIndexIsNotCoveredByAWiderOne) {
  auto rows = index_rows({
      {"public", "t", "t_email_key", "btree", "t", "f", "t", "", "email", "1"},
      {"public", "t", "t_email_name", "btree", "f", "f", "t", "", "email\x1fname", "1"},
  });
  EXPECT_TRUE(postgres::evaluate_duplicate_indexes(rows, kDefaults).findings.empty());
}

TEST(HealthPostgres, InvalidIndex) {
  auto rows = index_rows({
      {"public", "t", "t_ok", "btree", "f", "f", "t", "", "x", "1"},
      {"app", "t", "t_broken", "btree", "t", "f", "f", "", "y", "1"},
  });
  auto result = postgres::evaluate_invalid_indexes(rows, kDefaults);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].object, "app.t_broken");
  // An invalid index never counts as covering another.
  EXPECT_TRUE(postgres::evaluate_duplicate_indexes(
                  index_rows({{"public", "t", "a", "btree", "f", "f", "t", "", "y", "1"},
                              {"public", "t", "b", "btree", "f", "f", "f", "", "y\x1fz", "1"}}),
                  kDefaults)
                  .findings.empty());
}

TEST(HealthPostgres, UnindexedForeignKeys) {
  auto keys = make_result({"schema", "table", "constraint", "columns", "referenced"},
                          {{"public", "feedings", "feedings_pet_fk", "pet_id", "pets"},
                           {"public", "play", "play_pet_fk", "pet_id", "pets"},
                           {"public", "lines", "lines_order_fk", "order_id\x1fshop_id", "orders"}});
  auto indexes = index_rows({
      {"public", "play", "play_pet_time", "btree", "f", "f", "t", "",
       "pet_id\x1f"
       "created_at",
       "1"},
      {"public", "lines", "lines_shop_order", "btree", "f", "f", "t", "", "shop_id\x1forder_id", "1"},
      {"public", "feedings", "feedings_time_pet", "btree", "f", "f", "t", "", "created_at\x1fpet_id", "1"},
  });
  auto result = postgres::evaluate_unindexed_foreign_keys(keys, indexes, kDefaults);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].object, "feedings(pet_id)");
}

TEST(HealthPostgres, SequenceNearOverflowUsesTheColumnType) {
  auto rows = make_result(
      {"schema", "sequence", "last_value", "max_value", "min_value", "increment_by", "column_type", "owned_by"},
      {
          // a bigint sequence feeding an integer column: the column's range counts
          {"public", "pets_id_seq", "2040109465", "9223372036854775807", "1", "1", "integer", "pets.id"},
          {"public", "fine_seq", "1000", "9223372036854775807", "1", "1", "bigint", "t.id"},
          {"public", "unused_seq", std::nullopt, "2147483647", "1", "1", std::nullopt, std::nullopt},
          {"public", "small_seq", "32700", "32767", "1", "1", "smallint", "s.id"},
      });
  auto result = postgres::evaluate_sequences(rows, kDefaults);
  ASSERT_EQ(result.findings.size(), 2u);
  EXPECT_TRUE(has_finding(result, "pg-sequence-overflow", "pets_id_seq"));
  EXPECT_EQ(result.findings[0].severity, model::Severity::warning);
  EXPECT_EQ(result.findings[1].object, "small_seq");
  EXPECT_EQ(result.findings[1].severity, model::Severity::error);
  EXPECT_NEAR(metric(result, "dbvet_key_range_used_ratio"), 32700.0 / 32767, 1e-9);
}

TEST(HealthPostgres, XidWraparound) {
  auto rows = make_result({"database", "age"}, {{"ok", "200000000"}, {"old", "1200000000"}, {"doom", "2140000000"}});
  auto result = postgres::evaluate_xid_wraparound(rows, kDefaults);
  ASSERT_EQ(result.findings.size(), 2u);
  EXPECT_EQ(result.findings[0].object, "old");
  EXPECT_EQ(result.findings[0].severity, model::Severity::warning);
  EXPECT_EQ(result.findings[1].object, "doom");
  EXPECT_EQ(result.findings[1].severity, model::Severity::error);
}

TEST(HealthPostgres, LongRunningAndIdleInTransaction) {
  auto rows = make_result({"pid", "usename", "seconds", "query"},
                          {{"11", "app", "120.5", "SELECT 1"}, {"12", "app", "3", "x"}});
  auto long_running = postgres::evaluate_long_running_queries(rows, kDefaults);
  ASSERT_EQ(long_running.findings.size(), 1u);
  EXPECT_EQ(long_running.findings[0].object, "pid 11");
  auto idle = postgres::evaluate_idle_in_transaction(rows, kDefaults);
  ASSERT_EQ(idle.findings.size(), 1u);
  EXPECT_EQ(metric(idle, "dbvet_idle_in_transaction_sessions"), 1);
  EXPECT_TRUE(postgres::evaluate_idle_in_transaction(make_result({"pid", "usename", "seconds", "query"}, {}), kDefaults)
                  .findings.empty());
}

TEST(HealthPostgres, Connections) {
  auto busy = make_result({"connections", "max_connections", "reserved"}, {{"95", "100", "3"}});
  auto result = postgres::evaluate_connections(busy, kDefaults);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].severity, model::Severity::error);
  auto calm = make_result({"connections", "max_connections", "reserved"}, {{"10", "100", "3"}});
  EXPECT_TRUE(postgres::evaluate_connections(calm, kDefaults).findings.empty());
}

TEST(HealthPostgres, ReplicationLagAndInactiveSlots) {
  auto rows = make_result({"kind", "name", "lag_seconds", "active", "lag_bytes"},
                          {{"replica", "standby1", "120", std::nullopt, "1000"},
                           {"replica", "standby2", "0.5", std::nullopt, "10"},
                           {"slot", "old_slot", std::nullopt, "false", "1073741824"},
                           {"slot", "live_slot", std::nullopt, "true", "0"}});
  auto result = postgres::evaluate_replication(rows, kDefaults);
  EXPECT_TRUE(has_finding(result, "pg-replication-lag", "standby1"));
  EXPECT_TRUE(has_finding(result, "pg-inactive-replication-slot", "old_slot"));
  EXPECT_EQ(result.findings.size(), 2u);
  EXPECT_EQ(metric(result, "dbvet_replication_lag_seconds"), 120);
}

TEST(HealthPostgres, MaintenanceAndSeqScans) {
  auto tables =
      make_result({"schema", "table", "n_live_tup", "n_dead_tup", "n_mod_since_analyze", "vacuumed", "analyzed"},
                  {{"public", "events", "50000", "20000", "50000", "f", "f"},
                   {"public", "pets", "50000", "20000", "50000", "t", "t"}});
  auto maintenance = postgres::evaluate_maintenance(tables, kDefaults);
  EXPECT_TRUE(has_finding(maintenance, "pg-never-analyzed", "events"));
  EXPECT_TRUE(has_finding(maintenance, "pg-never-vacuumed", "events"));
  EXPECT_EQ(maintenance.findings.size(), 2u);

  auto scans = make_result({"schema", "table", "seq_scan", "idx_scan", "n_live_tup"},
                           {{"public", "events", "500", "10", "100000"},
                            {"public", "pets", "5", "100000", "100000"},
                            {"public", "tiny", "500", "0", "10"}});
  auto seq = postgres::evaluate_seq_scans(scans, kDefaults);
  ASSERT_EQ(seq.findings.size(), 1u);
  EXPECT_EQ(seq.findings[0].object, "events");
}

TEST(HealthPostgres, BloatEstimate) {
  // 1000 rows of 100 bytes fit in ~17 pages; 10000 pages is bloat.
  auto rows = make_result({"kind", "schema", "name", "bytes", "rows", "block_size", "row_width"},
                          {{"table", "public", "bloated", "819200000", "1000", "8192", "100"},
                           {"table", "public", "tight", "139264", "1000", "8192", "100"},
                           {"table", "public", "nostats", "819200000", "1000", "8192", std::nullopt}});
  auto result = postgres::evaluate_bloat(rows, kDefaults);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].object, "bloated");
}

TEST(HealthPostgres, StatStatementsAndTopQueries) {
  auto missing = make_result({"installed", "preload"}, {{"0", "pg_stat_statements"}});
  EXPECT_EQ(postgres::evaluate_stat_statements(missing, kDefaults).findings.size(), 1u);
  auto present = make_result({"installed", "preload"}, {{"1", "pg_stat_statements,auto_explain"}});
  EXPECT_TRUE(postgres::evaluate_stat_statements(present, kDefaults).findings.empty());
  auto top = make_result({"query", "calls", "total_seconds", "mean_seconds", "rows"},
                         {{"SELECT * FROM pets WHERE id = $1", "1000", "2.5", "0.0025", "1000"}});
  auto result = postgres::evaluate_top_queries(top, kDefaults);
  ASSERT_EQ(result.top_queries.size(), 1u);
  EXPECT_EQ(result.top_queries[0].calls, 1000);
}

TEST(HealthIndexLogic, ForeignKeyNeedsLeadingColumns) {
  IndexDef index{"t", "i", "btree", {"a", "b", "c"}, "", false, false, true, 0};
  EXPECT_TRUE(fk_has_index({"b", "a"}, {index}));
  EXPECT_FALSE(fk_has_index({"b"}, {index}));
  EXPECT_FALSE(fk_has_index({"c"}, {index}));
  index.valid = false;
  EXPECT_FALSE(fk_has_index({"a"}, {index}));
  EXPECT_EQ(split_list("a\x1f"
                       "b"),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(split_list("").empty());
}

TEST(HealthThresholds, KnownNamesOnly) {
  Thresholds thresholds;
  EXPECT_EQ(thresholds.get("pg.cache_hit_ratio"), 0.99);
  EXPECT_TRUE(thresholds.set("pg.cache_hit_ratio", 0.9));
  EXPECT_EQ(thresholds.get("pg.cache_hit_ratio"), 0.9);
  EXPECT_FALSE(thresholds.set("pg.no_such_threshold", 1));
  EXPECT_EQ(to_number(std::string("1.5e3")), 1500);
  EXPECT_FALSE(to_number(std::string("abc")).has_value());
  EXPECT_FALSE(to_number(std::nullopt).has_value());
}

}  // namespace
}  // namespace dbvet::health
