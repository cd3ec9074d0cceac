#include "benchmarks/bench_config.hpp"

#include <gtest/gtest.h>

#include "benchmarks/cache_aside.hpp"

namespace dbvet::bench {
namespace {

TEST(BenchConfig, ParsesSlas) {
  auto p95 = parse_sla("p95<20ms");
  ASSERT_TRUE(p95);
  EXPECT_EQ(p95->metric, "p95");
  EXPECT_TRUE(p95->less);
  EXPECT_DOUBLE_EQ(p95->value, 20);
  auto errors = parse_sla("errors<0.1%");
  ASSERT_TRUE(errors);
  EXPECT_DOUBLE_EQ(errors->value, 0.001);
  auto tps = parse_sla("throughput>500/s");
  ASSERT_TRUE(tps);
  EXPECT_FALSE(tps->less);
  auto named = parse_sla("feed_pet:p99.9<1.5s");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->query, "feed_pet");
  EXPECT_EQ(named->metric, "p99.9");
  EXPECT_DOUBLE_EQ(named->value, 1500);
  EXPECT_FALSE(parse_sla("p95=20ms"));
  EXPECT_FALSE(parse_sla("latency<20ms"));
  EXPECT_FALSE(parse_sla("p95<20parsecs"));
}

TEST(BenchConfig, ParsesVariants) {
  auto index = parse_variant("idx=index:CREATE INDEX a ON t(x=1)");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->name, "idx");
  EXPECT_EQ(index->kind, Variant::Kind::index);
  EXPECT_EQ(index->spec, "CREATE INDEX a ON t(x=1)");
  auto cache = parse_variant("cache:redis://127.0.0.1:6379?ttl=5");
  ASSERT_TRUE(cache) << cache.error().message;
  EXPECT_EQ(cache->name, "cache");
  EXPECT_EQ(cache->cache_ttl_s, 5);
  EXPECT_TRUE(parse_variant("baseline"));
  EXPECT_FALSE(parse_variant("x=cache:postgresql://h/db"));
  EXPECT_FALSE(parse_variant("x=teleport:now"));
}

TEST(BenchCacheAside, FindsTablesReadAndWritten) {
  EXPECT_EQ(tables_read("SELECT p.name FROM pets p JOIN pet_stats s ON s.pet_id = p.pet_id WHERE p.owner_id = 3"),
            (std::vector<std::string>{"pets", "pet_stats"}));
  EXPECT_EQ(tables_read("select * from public.\"Users\" u, orders o where u.id = o.uid"),
            (std::vector<std::string>{"users", "orders"}));
  EXPECT_EQ(tables_written("UPDATE pets SET name = 'from x' WHERE pet_id = 1"), (std::vector<std::string>{"pets"}));
  EXPECT_EQ(tables_written("INSERT INTO feeding_events (pet_id) VALUES (1)"),
            (std::vector<std::string>{"feeding_events"}));
  EXPECT_EQ(tables_written("DELETE FROM outbox WHERE id = 3"), (std::vector<std::string>{"outbox"}));
  EXPECT_TRUE(is_cacheable_read("SELECT 1 FROM pets"));
  EXPECT_FALSE(is_cacheable_read("SELECT id FROM outbox FOR UPDATE SKIP LOCKED"));
  EXPECT_FALSE(is_cacheable_read("UPDATE pets SET x = 1"));
  EXPECT_TRUE(is_cacheable_read("-- the profile\n  select name FROM pets WHERE note = 'update me'"));
  EXPECT_FALSE(is_cacheable_read("WITH gone AS (DELETE FROM outbox RETURNING id) SELECT count(*) FROM gone"));
  EXPECT_FALSE(is_cacheable_read("SELECT nextval('pets_id_seq')"));
  EXPECT_FALSE(is_cacheable_read("(SELECT 1)"));
  EXPECT_FALSE(is_cacheable_read("'SELECT'"));
  EXPECT_FALSE(is_cacheable_read("-- only a comment"));
}

TEST(BenchCacheAside, EncodesAndDecodesAnswers) {
  engines::ResultSummary result;
  result.columns = {"id", "name"};
  result.rows = {{"1", std::string("a:b")}, {"2", std::nullopt}};
  result.row_count = 2;
  result.result_hash = 0xfeedfacecafebeefULL;
  auto decoded = decode_result(encode_result(result));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->columns, result.columns);
  EXPECT_EQ(decoded->rows, result.rows);
  EXPECT_EQ(decoded->row_count, 2);
  EXPECT_EQ(decoded->result_hash, result.result_hash);
  EXPECT_FALSE(decode_result("garbage"));
  auto header = decode_result(encode_result(result), false);  // a hit whose rows nobody reads
  ASSERT_TRUE(header);
  EXPECT_EQ(header->row_count, 2);
  EXPECT_EQ(header->result_hash, result.result_hash);
  EXPECT_TRUE(header->rows.empty());
  EXPECT_FALSE(decode_result("2 5 1"));          // a header cut short
  EXPECT_FALSE(decode_result("2 5 1 1\n3:id"));  // a row missing
  auto empty = decode_result(encode_result(engines::ResultSummary{}));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->row_count, 0);
  EXPECT_TRUE(empty->columns.empty());
}

}  // namespace
}  // namespace dbvet::bench
