// Prometheus exposition: grouping, escaping, values, Pushgateway paths; and `promtool check
// metrics` on the output when promtool is installed (scripts/bootstrap installs it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>

#include "analyzer/health/render.hpp"
#include "analyzer/push/pushgateway.hpp"
#include "analyzer/report/prometheus.hpp"
#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::report {
namespace {

std::vector<health::TargetHealth> sample_results() {
  health::TargetHealth pg;
  pg.name = "user-service";
  pg.engine = core::Engine::postgres;
  pg.up = true;
  pg.metrics = {
      {"dbvet_target_up", "1 when dbvet reached the target", {}, 1},
      {"dbvet_cache_hit_ratio",
       "Share of lookups served from memory",
       {{"check", "pg-cache-hit-ratio"}, {"cache", "table"}},
       0.97},
      {"dbvet_cache_hit_ratio",
       "Share of lookups served from memory",
       {{"check", "pg-cache-hit-ratio"}, {"cache", "index"}},
       0.999},
      {"dbvet_table_size_bytes", "Total size", {{"table", "we\"ird\\name\nx"}}, 1.5e9},
      {"dbvet_findings", "Findings by severity", {{"severity", "warning"}}, 3},
  };
  health::TargetHealth cache;
  cache.name = "cache \"eu\"";
  cache.engine = core::Engine::redis;
  cache.metrics = {
      {"dbvet_target_up", "1 when dbvet reached the target", {}, 0},
      {"dbvet_findings", "Findings by severity", {{"severity", "warning"}}, 0},
      {"dbvet_redis_fragmentation_ratio", "RSS over used memory\\with a backslash", {}, std::nan("")},
      {"bad name", "skipped: not a valid metric name", {}, 1},
      {"dbvet_stream_lag", "Lag", {{"__reserved", "x"}, {"9bad", "y"}, {"stream", "events:pets"}}, 12},
  };
  return {pg, cache};
}

TEST(Prometheus, GroupsFamiliesWithHelpAndTypeOnce) {
  std::string text = render_prometheus(health::health_to_json(sample_results(), "2026-01-01T00:00:00Z"));
  auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("# TYPE dbvet_target_up gauge\n"), 1u);
  EXPECT_EQ(count("# HELP dbvet_target_up "), 1u);
  EXPECT_EQ(count("dbvet_target_up{"), 2u);
  EXPECT_NE(text.find("dbvet_target_up{target=\"user-service\",engine=\"postgres\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("dbvet_target_up{target=\"cache \\\"eu\\\"\",engine=\"redis\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("table=\"we\\\"ird\\\\name\\nx\"} 1500000000\n"), std::string::npos);
  EXPECT_NE(text.find("# HELP dbvet_redis_fragmentation_ratio RSS over used memory\\\\with a backslash\n"),
            std::string::npos);
  EXPECT_NE(text.find("} NaN\n"), std::string::npos);
  EXPECT_EQ(text.find("bad name"), std::string::npos);
  EXPECT_EQ(text.find("__reserved"), std::string::npos);
  EXPECT_EQ(text.find("9bad"), std::string::npos);
  // All samples of a family are contiguous: the family's TYPE line precedes them and no other TYPE
  // line comes between two of them.
  auto first = text.find("dbvet_findings{");
  auto last = text.rfind("dbvet_findings{");
  EXPECT_EQ(text.substr(first, last - first).find("# TYPE"), std::string::npos);
}

TEST(Prometheus, ValuesAndNames) {
  EXPECT_EQ(prometheus_value(0.5), "0.5");
  EXPECT_EQ(prometheus_value(3), "3");
  EXPECT_EQ(prometheus_value(INFINITY), "+Inf");
  EXPECT_EQ(prometheus_value(-INFINITY), "-Inf");
  EXPECT_TRUE(prometheus_metric_name_ok("dbvet_x:y_1"));
  EXPECT_FALSE(prometheus_metric_name_ok("1dbvet"));
  EXPECT_FALSE(prometheus_label_name_ok("__name__"));
  EXPECT_EQ(prometheus_escape_label("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
}

TEST(Prometheus, PushgatewayPaths) {
  EXPECT_EQ(push::pushgateway_path("dbvet", "user-service"), "/metrics/job/dbvet/instance/user-service");
  // Anything beyond plain path text goes base64url-encoded, as the Pushgateway documents.
  EXPECT_EQ(push::pushgateway_path("dbvet", "sqlite:/var/db/pets.db"),
            "/metrics/job/dbvet/instance@base64/c3FsaXRlOi92YXIvZGIvcGV0cy5kYg==");
  EXPECT_EQ(push::pushgateway_path("dbvet", ""), "/metrics/job/dbvet/instance@base64/=");
}

TEST(Prometheus, PromtoolAcceptsTheOutput) {
  if (access("/usr/bin/promtool", X_OK) != 0) GTEST_SKIP() << "promtool is not installed (scripts/bootstrap)";
  auto dir = testing::scratch_dir("prometheus_promtool");
  auto file = dir / "metrics.prom";
  std::ofstream(file) << render_prometheus(health::health_to_json(sample_results(), "2026-01-01T00:00:00Z"));
  auto result = testing::run_program({"/bin/sh", "-c", "promtool check metrics < '" + file.string() + "'"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

}  // namespace
}  // namespace dbvet::report
