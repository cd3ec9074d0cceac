// auto_explain's plans in a PostgreSQL log reach the digest (issue 18): each class keeps the plan
// of its slowest execution that auto_explain logged, as logged, through a state and its merge,
// and the HTML page's Plan column shows it. Classes without one are unchanged.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/pipeline/digest_report.hpp"
#include "analyzer/pipeline/digest_runner.hpp"
#include "analyzer/pipeline/digest_state.hpp"
#include "analyzer/report/renderers.hpp"
#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kPrefix = "%t [%p]: [%l-1] user=%u,db=%d ";

// Two sessions: items by price with a plan of 12.3 ms and one of 30.1 ms (the slower one is kept),
// a slower execution of it without a plan (41 ms: the example, not the planned one), and a
// statement auto_explain never logged.
std::string log_text() {
  auto plan = [](const char* pid, const char* line, const char* ms, const char* rows, const char* price) {
    return std::string("2024-03-01 10:00:00 UTC [") + pid + "]: [" + line +
           "-1] user=app,db=shop LOG:  duration: " + ms +
           " ms  plan:\n"
           "\tQuery Text: SELECT * FROM items WHERE price > " +
           std::string(price) +
           "\n"
           "\tSeq Scan on items  (cost=0.00..1693.00 rows=33333 width=16) (actual time=0.010..10.100 rows=" +
           rows +
           " loops=1)\n"
           "\t  Filter: (price > 10)\n";
  };
  auto statement = [](const char* pid, const char* line, const char* ms, const char* sql) {
    return std::string("2024-03-01 10:00:01 UTC [") + pid + "]: [" + line +
           "-1] user=app,db=shop LOG:  duration: " + ms + " ms  statement: " + sql + "\n";
  };
  return plan("71", "1", "12.300", "33000", "10") +
         statement("71", "2", "12.400", "SELECT * FROM items WHERE price > 10") +
         plan("72", "1", "30.100", "34000", "20") +
         statement("72", "2", "30.200", "SELECT * FROM items WHERE price > 20") +
         statement("73", "1", "41.000", "SELECT * FROM items WHERE price > 30") +
         statement("73", "2", "1.000", "SELECT name FROM users WHERE id = 7");
}

pipeline::DigestResult digest_of(const fs::path& log) {
  pipeline::DigestOptions options;
  options.files = {log.string()};
  options.log_line_prefix = kPrefix;
  auto result = pipeline::run_digest(options);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? std::move(*result) : pipeline::DigestResult();
}

TEST(DigestPlans, EachClassKeepsTheSlowestPlanAutoExplainLogged) {
  const fs::path log = testing::scratch_dir("digest-plans") / "postgresql.log";
  { std::ofstream(log) << log_text(); }
  const pipeline::DigestResult result = digest_of(log);
  pipeline::ReportOptions report;
  report.top = 0;
  const json doc = pipeline::digest_to_json(result, report);
  ASSERT_EQ(doc["input"]["events"], 4) << doc["input"];
  ASSERT_EQ(doc["classes"].size(), 2u);
  const json& items = doc["classes"][0];  // 83.6 ms in all
  ASSERT_EQ(items["count"], 3);
  EXPECT_DOUBLE_EQ(items["example"]["query_time"].get<double>(), 0.041);  // the slowest, logged without a plan
  ASSERT_TRUE(items.contains("plan")) << items;
  EXPECT_NE(items["plan"].get<std::string>().find("rows=34000 loops=1"), std::string::npos) << items["plan"];
  EXPECT_NE(items["plan"].get<std::string>().find("Query Text: SELECT * FROM items WHERE price > 20"),
            std::string::npos);
  EXPECT_EQ(items["plan_example"]["sql"], "SELECT * FROM items WHERE price > 20");
  EXPECT_DOUBLE_EQ(items["plan_example"]["query_time"].get<double>(), 0.0302);
  EXPECT_FALSE(doc["classes"][1].contains("plan"));
  EXPECT_FALSE(doc["classes"][1].contains("plan_example"));

  // Through a state and back, the same JSON.
  const std::string bytes = pipeline::encode_digest_state(result);
  auto decoded = pipeline::decode_digest_state(bytes, "host-a.state");
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(pipeline::digest_to_json(*decoded, report).dump(), doc.dump());

  // The HTML page carries the plan for its Plan column.
  auto html = report::render(doc, "html", {});
  ASSERT_TRUE(html.has_value()) << html.error().message;
  EXPECT_NE(html->find("rows=34000 loops=1"), std::string::npos);
}

}  // namespace
}  // namespace dbvet
