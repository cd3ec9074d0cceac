// Server statistics into digest classes: the delta of two snapshots and the JSON of what a source
// does not know.

#include <gtest/gtest.h>

#include "analyzer/pipeline/digest_report.hpp"
#include "analyzer/pipeline/live/server_statements.hpp"
#include "analyzer/report/digest_render.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::pipeline::live {
namespace {

ServerStatement row(const std::string& key, const std::string& text, uint64_t calls, double total_s) {
  ServerStatement s;
  s.key = key;
  s.server_id = "id-" + key;
  s.text = text;
  s.database = "pets";
  s.user = "app";
  s.calls = calls;
  s.total_s = total_s;
  s.min_s = total_s / double(calls) / 2;
  s.max_s = total_s / double(calls) * 2;
  s.rows_sent = double(calls);
  s.sum_squares_s2 = double(calls) * (total_s / double(calls)) * (total_s / double(calls));
  return s;
}

TEST(CaptureLiveUnit, SubtractKeepsOnlyNewCalls) {
  std::vector<ServerStatement> before = {row("a", "SELECT * FROM t WHERE id = $1", 10, 1.0),
                                         row("b", "SELECT 1", 4, 0.4), row("c", "SELECT 2", 9, 0.9)};
  std::vector<ServerStatement> after = {row("a", "SELECT * FROM t WHERE id = $1", 13, 1.6),
                                        row("b", "SELECT 1", 4, 0.4), row("c", "SELECT 2", 2, 0.1),
                                        row("d", "SELECT 3", 5, 0.5)};
  auto delta = subtract(after, before);
  ASSERT_EQ(delta.size(), 3u);  // b did not run in between
  EXPECT_EQ(delta[0].key, "a");
  EXPECT_EQ(delta[0].calls, 3u);
  EXPECT_NEAR(delta[0].total_s, 0.6, 1e-9);
  EXPECT_NEAR(*delta[0].rows_sent, 3, 1e-9);
  EXPECT_FALSE(delta[0].max_s.has_value());  // the interval's extremes are unknown
  EXPECT_EQ(delta[1].key, "c");              // reset in between: counted from zero
  EXPECT_EQ(delta[1].calls, 2u);
  EXPECT_TRUE(delta[1].max_s.has_value());
  EXPECT_EQ(delta[2].key, "d");  // new in the interval: exact
  EXPECT_EQ(delta[2].calls, 5u);
}

// dbvet's own EXPLAINs, PostgreSQL's foreign-key checks and digest texts cut short are counted
// as skipped with their reason and never become classes (the audit would plan them).
TEST(CaptureLiveUnit, StatementsThatAreNotTheWorkloadsAreLeftOutWithWhy) {
  EXPECT_EQ(not_workload("SELECT * FROM t WHERE id = $1"), "");
  EXPECT_EQ(not_workload("SELECT 1 FROM t"), "");
  EXPECT_NE(not_workload("EXPLAIN (FORMAT JSON) SELECT * FROM t WHERE id = $1"), "");
  EXPECT_NE(not_workload("  explain analyze select 1"), "");
  EXPECT_NE(not_workload("SELECT 1 FROM ONLY \"public\".\"users\" x WHERE \"id\" OPERATOR(pg_catalog.=) $1 FOR KEY "
                         "SHARE OF x"),
            "");
  EXPECT_NE(not_workload("SELECT `a` , `b` FROM `t` WHERE `c` IN (...) AND `d` = ? AND ..."), "");
  EXPECT_EQ(not_workload("SELECT * FROM t WHERE c IN (...)"), "");  // a folded IN list is whole

  auto kept = row("1/1/a", "SELECT * FROM t WHERE id = $1", 4, 0.4);
  auto explain = row("1/1/e", "EXPLAIN (FORMAT JSON) SELECT * FROM t WHERE id = $1", 50, 0.5);
  auto check =
      row("1/1/k", "SELECT 1 FROM ONLY \"public\".\"u\" x WHERE \"id\" OPERATOR(pg_catalog.=) $1 FOR KEY SHARE OF x", 7,
          0.01);
  auto capture =
      digest_server_statements({kept, explain, check}, sql::FingerprintMode::canonical, "pg_stat_statements", "pg://x");
  EXPECT_EQ(capture.result.digest.classes().size(), 1u);
  EXPECT_EQ(capture.result.skipped, 57u);
  auto doc = live_capture_to_json(capture, {});
  ASSERT_EQ(doc["left_out"].size(), 2u);
  EXPECT_EQ(doc["left_out"][0]["calls"].get<uint64_t>() + doc["left_out"][1]["calls"].get<uint64_t>(), 57u);
}

TEST(CaptureLiveUnit, ServerRowsBecomeClassesWithUnknownsNull) {
  auto a = row("1/1/a", "SELECT * FROM t WHERE id = $1", 4, 0.4);
  auto b = row("2/1/a", "select * from t where id = $1", 6, 0.6);  // another user, same class
  auto c = row("1/1/c", "UPDATE t SET v = $1 WHERE id = $2", 1, 0.01);
  c.max_s.reset();
  auto capture = digest_server_statements({a, b, c}, sql::FingerprintMode::canonical, "pg_stat_statements", "pg://x");
  ASSERT_EQ(capture.result.digest.classes().size(), 2u);
  EXPECT_EQ(capture.result.events, 11u);
  const auto id = sql::fingerprint("SELECT * FROM t WHERE id = 7", sql::FingerprintMode::canonical).id;
  const auto& merged = capture.result.digest.classes().at(id);
  EXPECT_EQ(merged.count, 10u);
  EXPECT_EQ(merged.query_time.sum, 1000000);
  EXPECT_EQ(merged.query_time.max, 200000);
  EXPECT_NEAR(merged.stddev_s(), 0.0, 1e-6);  // every call took the mean in these rows

  auto doc = live_capture_to_json(capture, {});
  EXPECT_EQ(doc["kind"], "digest");
  EXPECT_EQ(doc["input"]["format"], "pg_stat_statements");
  EXPECT_EQ(doc["input"]["events"], 11);
  ASSERT_EQ(doc["classes"].size(), 2u);
  const auto& first = doc["classes"][0];
  EXPECT_EQ(first["id"], id);
  EXPECT_EQ(first["server_ids"].size(), 2u);
  EXPECT_TRUE(first["query_time"]["p95"].is_null());
  EXPECT_DOUBLE_EQ(first["query_time"]["max"].get<double>(), 0.2);
  EXPECT_TRUE(first["rows_sent"]["max"].is_null());
  EXPECT_EQ(first["rows_sent"]["sum"], 10);
  const auto& second = doc["classes"][1];
  EXPECT_TRUE(second["query_time"]["max"].is_null());
  // The text and Markdown renderers accept the nulls.
  auto text = report::render_digest_text(doc);
  EXPECT_NE(text.find("pg_stat_statements"), std::string::npos);
  EXPECT_NE(text.find("select * from t where id = ?"), std::string::npos) << text;
  EXPECT_NE(report::render_digest_markdown(doc).find("| 1 |"), std::string::npos);
}

}  // namespace
}  // namespace dbvet::pipeline::live
