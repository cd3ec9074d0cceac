// Pure evaluations of the MariaDB/MySQL, SQLite and Redis health checks: a bad and a clean case each.
#include <gtest/gtest.h>

#include "analyzer/engines/redis/redis_reply.hpp"
#include "analyzer/health/mysql/checks.hpp"
#include "analyzer/health/redis/checks.hpp"
#include "analyzer/health/rows.hpp"
#include "analyzer/health/sqlite/checks.hpp"

namespace dbvet::health {
namespace {

const Thresholds kDefaults;

bool has(const CheckResult& result, const std::string& check, const std::string& object = "") {
  for (const auto& finding : result.findings) {
    if (finding.check == check && (object.empty() || finding.object == object)) return true;
  }
  return false;
}

double metric(const CheckResult& result, const std::string& name, const std::string& label_value = "") {
  for (const auto& m : result.metrics) {
    if (m.name != name) continue;
    if (label_value.empty()) return m.value;
    for (const auto& [k, v] : m.labels) {
      if (v == label_value) return m.value;
    }
  }
  return -1;
}

engines::ResultSummary variables(std::vector<std::pair<std::string, std::string>> pairs) {
  std::vector<std::vector<std::optional<std::string>>> rows;
  for (auto& [k, v] : pairs) rows.push_back({k, v});
  return make_result({"Variable_name", "Value"}, std::move(rows));
}

TEST(HealthMysql, UnusedAndRedundantIndexes) {
  auto usage =
      make_result({"schema", "table", "index", "uses", "non_unique"}, {{"shop", "orders", "orders_status", "0", "1"},
                                                                       {"shop", "orders", "orders_user", "1200", "1"},
                                                                       {"shop", "orders", "orders_ref", "0", "0"}});
  auto unused = mysql::evaluate_unused_indexes(usage, kDefaults);
  ASSERT_EQ(unused.findings.size(), 1u);
  EXPECT_EQ(unused.findings[0].object, "shop.orders.orders_status");

  auto indexes = make_result({"schema", "table", "index", "method", "non_unique", "columns"},
                             {{"shop", "orders", "PRIMARY", "BTREE", "0", "id"},
                              {"shop", "orders", "orders_user", "BTREE", "1", "user_id"},
                              {"shop", "orders", "orders_user_status", "BTREE", "1", "user_id,status"},
                              {"shop", "orders", "orders_name", "BTREE", "1", "name(10)"},
                              {"shop", "orders", "orders_name_full", "BTREE", "1", "name"}});
  auto redundant = mysql::evaluate_redundant_indexes(indexes, kDefaults);
  ASSERT_EQ(redundant.findings.size(), 1u);
  EXPECT_EQ(redundant.findings[0].object, "shop.orders.orders_user");
}

TEST(HealthMysql, FullScansTmpDiskAndBufferPool) {
  auto digests =
      make_result({"digest", "query", "calls", "no_index", "total_seconds", "rows_examined", "rows_sent"},
                  {{"abc", "SELECT * FROM `orders` WHERE `status` = ?", "500", "500", "12.5", "5000000", "50"},
                   {"def", "SELECT * FROM `orders` WHERE `id` = ?", "500", "0", "0.1", "500", "500"}});
  auto scans = mysql::evaluate_full_scans(digests, kDefaults);
  ASSERT_EQ(scans.findings.size(), 1u);
  EXPECT_EQ(scans.findings[0].object, "abc");
  auto top = mysql::evaluate_top_queries(digests, kDefaults);
  ASSERT_EQ(top.top_queries.size(), 2u);
  EXPECT_DOUBLE_EQ(top.top_queries[0].mean_seconds, 12.5 / 500);

  auto bad = variables({{"Created_tmp_disk_tables", "400"},
                        {"Created_tmp_tables", "1000"},
                        {"Innodb_buffer_pool_read_requests", "100000"},
                        {"Innodb_buffer_pool_reads", "5000"}});
  EXPECT_TRUE(has(mysql::evaluate_tmp_disk_tables(bad, kDefaults), "mysql-tmp-disk-tables"));
  auto pool = mysql::evaluate_buffer_pool(bad, kDefaults);
  EXPECT_TRUE(has(pool, "mysql-buffer-pool-hit-ratio"));
  EXPECT_NEAR(metric(pool, "dbvet_cache_hit_ratio", "buffer_pool"), 0.95, 1e-9);
  auto good = variables({{"Created_tmp_disk_tables", "1"},
                         {"Created_tmp_tables", "1000"},
                         {"Innodb_buffer_pool_read_requests", "100000"},
                         {"Innodb_buffer_pool_reads", "10"}});
  EXPECT_TRUE(mysql::evaluate_tmp_disk_tables(good, kDefaults).findings.empty());
  EXPECT_TRUE(mysql::evaluate_buffer_pool(good, kDefaults).findings.empty());
}

TEST(HealthMysql, ConnectionsAutoIncrementPrimaryKeysInstrumentation) {
  auto status = variables({{"Threads_connected", "140"}, {"Max_used_connections", "150"}});
  auto settings = variables({{"max_connections", "151"}, {"slow_query_log", "OFF"}, {"performance_schema", "ON"}});
  EXPECT_TRUE(has(mysql::evaluate_connections(status, settings, kDefaults), "mysql-connections"));
  EXPECT_TRUE(
      mysql::evaluate_connections(variables({{"Threads_connected", "3"}}), settings, kDefaults).findings.empty());

  auto ai = make_result({"schema", "table", "column", "column_type", "auto_increment"},
                        {{"shop", "ledger", "id", "int(11)", "2040109466"},
                         {"shop", "orders", "id", "bigint(20) unsigned", "2040109466"},
                         {"shop", "tiny", "id", "tinyint(3) unsigned", "255"}});
  auto overflow = mysql::evaluate_auto_increment(ai, kDefaults);
  EXPECT_TRUE(has(overflow, "mysql-auto-increment-overflow", "shop.ledger.id"));
  EXPECT_TRUE(has(overflow, "mysql-auto-increment-overflow", "shop.tiny.id"));
  EXPECT_EQ(overflow.findings.size(), 2u);
  EXPECT_EQ(mysql::integer_type_max("mediumint(8) unsigned"), 16777215);

  auto no_pk = mysql::evaluate_missing_primary_keys(
      make_result({"schema", "table", "rows"}, {{"shop", "audit_log", "100"}}), kDefaults);
  EXPECT_TRUE(has(no_pk, "mysql-no-primary-key", "shop.audit_log"));

  auto instrumentation = mysql::evaluate_instrumentation(settings, kDefaults);
  EXPECT_TRUE(has(instrumentation, "mysql-slow-log-off"));
  EXPECT_FALSE(has(instrumentation, "mysql-performance-schema-off"));
  EXPECT_TRUE(
      mysql::evaluate_instrumentation(variables({{"slow_query_log", "ON"}, {"performance_schema", "ON"}}), kDefaults)
          .findings.empty());
}

TEST(HealthSqlite, QuickCheckFreePagesAnalyzeJournal) {
  EXPECT_TRUE(sqlite::evaluate_quick_check(make_result({"quick_check"}, {{"ok"}}), kDefaults).findings.empty());
  auto corrupt = sqlite::evaluate_quick_check(
      make_result({"quick_check"}, {{"*** in database main ***"}, {"Page 5: btreeInitPage() returns error code 11"}}),
      kDefaults);
  ASSERT_EQ(corrupt.findings.size(), 1u);
  EXPECT_EQ(corrupt.findings[0].severity, model::Severity::error);

  auto holey = make_result({"free_pages", "pages", "page_size"}, {{"5000", "10000", "4096"}});
  EXPECT_TRUE(has(sqlite::evaluate_free_pages(holey, kDefaults), "sqlite-free-pages"));
  auto compact = make_result({"free_pages", "pages", "page_size"}, {{"3", "10000", "4096"}});
  EXPECT_TRUE(sqlite::evaluate_free_pages(compact, kDefaults).findings.empty());

  EXPECT_TRUE(has(sqlite::evaluate_analyze(make_result({"has_stat1", "indexes"}, {{"0", "4"}}), kDefaults),
                  "sqlite-missing-analyze"));
  EXPECT_TRUE(
      sqlite::evaluate_analyze(make_result({"has_stat1", "indexes"}, {{"1", "4"}}), kDefaults).findings.empty());

  EXPECT_TRUE(has(sqlite::evaluate_journal_mode(make_result({"journal_mode"}, {{"delete"}}), kDefaults),
                  "sqlite-journal-mode"));
  EXPECT_TRUE(sqlite::evaluate_journal_mode(make_result({"journal_mode"}, {{"wal"}}), kDefaults).findings.empty());
  EXPECT_TRUE(
      has(sqlite::evaluate_foreign_keys_enforced(make_result({"enforced", "foreign_keys"}, {{"0", "3"}}), kDefaults),
          "sqlite-foreign-keys-off"));
  EXPECT_TRUE(sqlite::evaluate_foreign_keys_enforced(make_result({"enforced", "foreign_keys"}, {{"0", "0"}}), kDefaults)
                  .findings.empty());
}

TEST(HealthSqlite, UnindexedForeignKeys) {
  auto keys = make_result({"table", "id", "referenced", "columns"},
                          {{"feedings", "0", "pets", "pet_id"}, {"plays", "0", "pets", "pet_id"}});
  auto indexes = make_result({"table", "index", "is_unique", "partial", "columns"},
                             {{"plays", "plays_pet", "0", "0",
                               "pet_id\x1f"
                               "at"},
                              {"feedings", "feedings_partial", "0", "1", "pet_id"}});
  auto result = sqlite::evaluate_unindexed_foreign_keys(keys, indexes, kDefaults);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].object, "feedings(pet_id)");
}

TEST(HealthRedis, InfoParsingAndInfoChecks) {
  auto info = engines::redis::parse_redis_info(
      "# Stats\r\nkeyspace_hits:100\r\nkeyspace_misses:900\r\nevicted_keys:42\r\nrejected_connections:3\r\n"
      "# Memory\r\nused_memory:950\r\nmaxmemory:1000\r\nmaxmemory_policy:allkeys-lru\r\n"
      "mem_fragmentation_ratio:3.5\r\n# Clients\r\nconnected_clients:9000\r\nmaxclients:10000\r\n");
  EXPECT_EQ(info["maxmemory_policy"], "allkeys-lru");
  EXPECT_TRUE(has(redis::evaluate_hit_ratio(info, kDefaults), "redis-hit-ratio"));
  EXPECT_TRUE(has(redis::evaluate_evictions(info, kDefaults), "redis-evictions"));
  EXPECT_TRUE(has(redis::evaluate_memory(info, kDefaults), "redis-memory"));
  EXPECT_TRUE(has(redis::evaluate_clients(info, kDefaults), "redis-clients"));
  EXPECT_TRUE(has(redis::evaluate_rejected_connections(info, kDefaults), "redis-rejected-connections"));
  // Fragmentation of a tiny instance means nothing.
  EXPECT_TRUE(redis::evaluate_fragmentation(info, kDefaults).findings.empty());
  info["used_memory"] = "500000000";
  info["maxmemory"] = "0";
  EXPECT_TRUE(has(redis::evaluate_fragmentation(info, kDefaults), "redis-fragmentation"));
  EXPECT_TRUE(redis::evaluate_memory(info, kDefaults).findings.empty());  // no maxmemory

  auto calm = engines::redis::parse_redis_info(
      "keyspace_hits:9900\nkeyspace_misses:100\nevicted_keys:0\nrejected_connections:0\n"
      "connected_clients:5\nmaxclients:10000\nused_memory:1000\nmaxmemory:100000\n");
  EXPECT_TRUE(redis::evaluate_hit_ratio(calm, kDefaults).findings.empty());
  EXPECT_TRUE(redis::evaluate_evictions(calm, kDefaults).findings.empty());
  EXPECT_TRUE(redis::evaluate_memory(calm, kDefaults).findings.empty());
  EXPECT_TRUE(redis::evaluate_clients(calm, kDefaults).findings.empty());
  EXPECT_TRUE(redis::evaluate_rejected_connections(calm, kDefaults).findings.empty());
}

TEST(HealthRedis, SlowlogKeySampleAndStreams) {
  redis::SlowlogSample slowlog;
  EXPECT_TRUE(redis::evaluate_slowlog(slowlog, kDefaults).findings.empty());
  slowlog.length = 2;
  slowlog.slowest.push_back({1, 1700000000, 25000, "KEYS *"});
  auto slow = redis::evaluate_slowlog(slowlog, kDefaults);
  EXPECT_TRUE(has(slow, "redis-slowlog"));
  ASSERT_EQ(slow.top_queries.size(), 1u);

  redis::KeySample sample;
  sample.scanned = 100;
  sample.without_ttl = 80;
  sample.big_keys.push_back({"leaderboard:global", "zset", 50 * 1024 * 1024});
  auto keys = redis::evaluate_key_sample(sample, kDefaults);
  EXPECT_TRUE(has(keys, "redis-keys-without-ttl"));
  EXPECT_TRUE(has(keys, "redis-big-key", "leaderboard:global"));
  sample.without_ttl = 0;
  sample.big_keys.clear();
  EXPECT_TRUE(redis::evaluate_key_sample(sample, kDefaults).findings.empty());

  std::vector<redis::StreamGroup> groups = {
      {"events:pets", "notifier", 1, 10, 1990, 1000, 2000},
      {"events:pets", "analytics", 2, 1500, 0, std::nullopt, 2000},
      {"events:users", "mailer", 1, 3, 0, 600000, 10},
      {"events:users", "audit", 1, 0, 0, std::nullopt, 10},
  };
  auto streams = redis::evaluate_streams(groups, kDefaults);
  EXPECT_TRUE(has(streams, "redis-stream-lag", "events:pets / notifier"));
  EXPECT_TRUE(has(streams, "redis-stream-pending", "events:pets / analytics"));
  EXPECT_TRUE(has(streams, "redis-stream-pending", "events:users / mailer"));  // oldest waits 600 s
  EXPECT_EQ(streams.findings.size(), 3u);
  EXPECT_EQ(metric(streams, "dbvet_stream_lag", "notifier"), 1990);
}

}  // namespace
}  // namespace dbvet::health
