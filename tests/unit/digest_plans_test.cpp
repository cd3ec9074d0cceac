// auto_explain's plans in a PostgreSQL log reach the digest (issue 18): each class keeps the plan
// of its slowest execution that auto_explain logged, as logged, through a state and its merge,
// and the HTML page's Plan column shows it; the plan rules run on it at report time
// ("plan_findings"), and a plan that cannot be read is a note. Classes without one are unchanged.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

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
  EXPECT_FALSE(doc["classes"][1].contains("plan_findings"));
#ifdef DBVET_WITH_POSTGRES
  EXPECT_TRUE(items["plan_findings"].is_array()) << items;
  EXPECT_FALSE(doc.contains("notes"));
#else
  EXPECT_EQ(items["plan_error"], "this dbvet is built without PostgreSQL (DBVET_WITH_POSTGRES=OFF)");
#endif

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

fs::path auto_explain_log() { return testing::source_dir() / "tests/data/logs/auto_explain/postgresql.log"; }
constexpr const char* kAutoExplainPrefix = "%m [%p] ";

pipeline::DigestResult digest_logs(const std::vector<std::string>& files) {
  pipeline::DigestOptions options;
  options.files = files;
  options.log_line_prefix = kAutoExplainPrefix;
  auto result = pipeline::run_digest(options);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? std::move(*result) : pipeline::DigestResult();
}

const json* class_of(const json& doc, const std::string& sql_start) {
  for (const json& c : doc["classes"]) {
    if (c["example"]["sql"].get<std::string>().starts_with(sql_start)) return &c;
  }
  ADD_FAILURE() << "no class whose example starts with " << sql_start;
  return nullptr;
}

#ifdef DBVET_WITH_POSTGRES
std::set<std::string> rules_of(const json& c) {
  std::set<std::string> rules;
  for (const json& f : c["plan_findings"]) rules.insert(f["rule"].get<std::string>());
  return rules;
}

// A real log of PostgreSQL 15 (tests/data/logs/auto_explain/README.md): a text plan whose sort went
// to disk, a JSON plan whose seq scan discards 99% of the rows it reads, and a broken plan.
TEST(DigestPlans, ThePlanRulesRunOnEachKeptPlan) {
  const json doc = pipeline::digest_to_json(digest_logs({auto_explain_log().string()}), pipeline::ReportOptions{});
  ASSERT_EQ(doc["classes"].size(), 3u) << doc;

  const json* sort = class_of(doc, "SELECT * FROM d9_orders ORDER BY");
  ASSERT_TRUE(sort && sort->contains("plan_findings")) << *sort;
  EXPECT_TRUE(rules_of(*sort).count("plan-spilled-to-disk")) << (*sort)["plan_findings"];
  for (const json& f : (*sort)["plan_findings"]) {  // the shape of audit's findings
    for (const char* key : {"rule", "severity", "query_id", "table", "message", "evidence", "cost"}) {
      EXPECT_TRUE(f.contains(key)) << key << " in " << f;
    }
    EXPECT_EQ(f["query_id"], (*sort)["id"]);
  }

  const json* scan = class_of(doc, "SELECT count(*) FROM d9_orders");
  ASSERT_TRUE(scan && scan->contains("plan_findings")) << *scan;
  EXPECT_TRUE((*scan)["plan"].get<std::string>().starts_with("{\n")) << (*scan)["plan"];  // logged as JSON
  EXPECT_EQ(rules_of(*scan), std::set<std::string>{"plan-full-scan-large-table"}) << (*scan)["plan_findings"];
  EXPECT_EQ((*scan)["plan_findings"][0]["evidence"]["removed_fraction"], "99.1%");
  EXPECT_EQ((*scan)["plan_findings"][0]["table"], "d9_orders");

  // The broken plan: a note naming the class and the error; the class is otherwise whole.
  const json* broken = class_of(doc, "SELECT name FROM d9_customers");
  ASSERT_TRUE(broken);
  EXPECT_FALSE(broken->contains("plan_findings"));
  EXPECT_EQ((*broken)["count"], 1);
  EXPECT_TRUE(broken->contains("plan"));
  const std::string error = (*broken)["plan_error"].get<std::string>();
  EXPECT_NE(error.find("line 4: expected \"Buffers: shared hit=N"), std::string::npos) << error;
  ASSERT_EQ(doc["notes"].size(), 1u) << doc["notes"];
  EXPECT_EQ(doc["notes"][0],
            "class " + (*broken)["id"].get<std::string>() + ": auto_explain plan not analyzed: " + error);

  // Text and HTML show them, briefly.
  auto text = report::render(doc, "text", {});
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_NE(text->find("# auto_explain plan of a 396ms execution: 2 plan findings"), std::string::npos) << *text;
  EXPECT_NE(text->find("#   warning plan-spilled-to-disk: Sort spilled 7720 kB to disk"), std::string::npos);
  EXPECT_NE(text->find("# auto_explain plan not analyzed: malformed PostgreSQL EXPLAIN text at line 4"),
            std::string::npos);
  EXPECT_NE(text->find("# Notes\n# class "), std::string::npos);
  auto html = report::render(doc, "html", {});
  ASSERT_TRUE(html.has_value()) << html.error().message;
  EXPECT_NE(html->find("plan-full-scan-large-table"), std::string::npos);
  EXPECT_NE(html->find("planCell(c.plan, c.plan_findings, c.plan_error)"), std::string::npos);
}
#endif

// Two hosts' logs (the real log, and one where the sort ran slower with the same plan): their
// states merged give the JSON of both logs digested at once, findings and notes included.
TEST(DigestPlans, MergedStatesGiveThePlanFindingsOfOneDigest) {
  const fs::path dir = testing::scratch_dir("digest-plans-merge");
  const std::string log = testing::read_file(auto_explain_log());
  const std::string sort_record = log.substr(0, log.find("2026-12-07 19:09:11.309 UTC"));
  std::string slower = sort_record;
  slower.replace(slower.find("393.956 ms"), 10, "512.000 ms");
  slower.replace(slower.find("396.360 ms"), 10, "514.000 ms");
  for (const char* at : {"19:09:11.280", "19:09:11.281"}) slower.replace(slower.find(at), 12, "19:10:00.000");
  { std::ofstream(dir / "host-b.log") << slower; }
  // In the order the merge puts states in (by the files they name).
  std::vector<std::string> files = {auto_explain_log().string(), (dir / "host-b.log").string()};
  std::sort(files.begin(), files.end());
  pipeline::ReportOptions report;
  report.top = 0;
  const pipeline::DigestResult whole = digest_logs(files);
  const std::string expected = pipeline::digest_to_json(whole, report).dump();

  std::vector<pipeline::NamedState> states;
  for (const std::string& file : files) {
    auto decoded = pipeline::decode_digest_state(pipeline::encode_digest_state(digest_logs({file})), file);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    states.push_back({file, std::move(*decoded)});
  }
  auto merged = pipeline::merge_digest_states(states);
  ASSERT_TRUE(merged.has_value()) << merged.error().message;
  const json doc = pipeline::digest_to_json(*merged, report);
  EXPECT_EQ(doc.dump(), expected);
  const json* sort = class_of(doc, "SELECT * FROM d9_orders ORDER BY");
  ASSERT_TRUE(sort);
  EXPECT_DOUBLE_EQ((*sort)["plan_example"]["query_time"].get<double>(), 0.514);  // host b's, the slower
#ifdef DBVET_WITH_POSTGRES
  EXPECT_TRUE(rules_of(*sort).count("plan-spilled-to-disk"));
#endif
}

}  // namespace
}  // namespace dbvet
