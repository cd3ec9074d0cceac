// The HTML pages in a real browser: the dashboard of two successive runs on the Virtual Pet sample
// (health, capture and audit, with the data grown between them), and the audit and bench HTML
// outputs, which go through the same renderer. Debian's headless Chromium loads each page; the
// charts must have drawn and no script error or blocked fetch may show.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "nlohmann/json.hpp"
#include "tests/support/audit_expectations.hpp"
#include "tests/support/browser.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;
using testing::expect_clean_render;
using testing::have_chromium;
using testing::load_in_chromium;

std::vector<std::string> sample_workloads() { return testing::sample_workload_args({"sqlite"}); }

std::vector<std::string> concat(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

void gen_sample(const std::string& db, const std::string& scale) {
  auto gen = testing::run_dbvet({"gen", "--sample", "virtualpet", "--scale", scale, "--seed", "42", "--replace",
                                 "--no-progress", "sqlite:" + db});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
}

// One scheduled run on the sample: health, a capture of the game's workload mix, and the audit.
void record_run(const std::string& db, const std::string& history, const std::string& scale) {
  auto config = (testing::source_dir() / "samples" / "virtualpet" / "dbvet.toml").string();
  // The product's targets by name, as a scheduled check names them: the game's data and its cache.
  auto targets = fs::path(history).parent_path() / "targets.toml";
  std::ofstream(targets) << "[targets]\nvirtualpet = \"sqlite:" << db << "\"\ncache = \""
                         << testing::server_url("REDIS") << "\"\n";
  auto health = testing::run_dbvet({"health", "--config", targets.string(), "--history", history, "-o", "/dev/null"});
  ASSERT_NE(health.exit_code, 3) << health.err;
  auto capture = testing::run_dbvet(concat({"capture", "sqlite:" + db, "--history", history, "--scale", scale,
                                            "--transactions", "200", "--allow-writes", "-o", "/dev/null"},
                                           sample_workloads()));
  ASSERT_EQ(capture.exit_code, 0) << capture.err;
  auto audit = testing::run_dbvet(
      concat({"audit", "sqlite:" + db, "--history", history, "--scale", scale, "--config", config, "-o", "/dev/null"},
             sample_workloads()));
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
}

TEST(ReportHtml, DashboardOfTwoRunsOnTheVirtualPetSampleShowsTheTrend) {
  auto dir = testing::scratch_dir("report_virtualpet");
  auto db = (dir / "virtualpet.db").string();
  auto history = (dir / "history.db").string();
  ASSERT_NO_FATAL_FAILURE(gen_sample(db, "0.01"));
  ASSERT_NO_FATAL_FAILURE(record_run(db, history, "0.01"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // distinct started_at
  ASSERT_NO_FATAL_FAILURE(gen_sample(db, "0.02"));               // the game doubled between the runs
  ASSERT_NO_FATAL_FAILURE(record_run(db, history, "0.02"));

  auto html = dir / "dashboard.html";
  auto report =
      testing::run_dbvet({"report", "--history", history, "-o", html.string(), "--title", "Virtual Pet dashboard"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  auto text = testing::read_file(html);
  EXPECT_NE(text.find("Virtual Pet dashboard"), std::string::npos);
  // The history holds both runs of each kind, so the page has two points per trend.
  EXPECT_NE(text.find("\"kind\":\"audit\""), std::string::npos);
  EXPECT_NE(text.find("\"kind\":\"digest\""), std::string::npos);  // a capture is a digest of the live server

  if (!have_chromium()) GTEST_SKIP() << "chromium is not installed (scripts/bootstrap)";
  auto page = load_in_chromium(html, dir / "profile");
  // findings per run, table growth, p95 of the top queries, audit findings per run, plan costs
  expect_clean_render(page, 4);
  EXPECT_NE(page.dom.find("Table growth"), std::string::npos);
  EXPECT_NE(page.dom.find("p95 of the top queries"), std::string::npos);
  EXPECT_NE(page.dom.find("Audit findings per run"), std::string::npos);
  EXPECT_EQ(page.dom.find("<p class=\"muted\">One run so far"), std::string::npos);

  auto shot = dir / "dashboard.png";
  ASSERT_NO_FATAL_FAILURE(testing::screenshot(html, dir / "profile-shot", shot));
  if (const char* update = std::getenv("DBVET_UPDATE_SCREENSHOT"); update && *update) {
    fs::copy_file(shot, testing::source_dir() / "docs" / "dashboard.png", fs::copy_options::overwrite_existing);
  }
}

TEST(ReportHtml, AuditAndBenchHtmlGoThroughTheSharedRenderer) {
  auto dir = testing::scratch_dir("report_audit_bench_html");
  auto db = (dir / "virtualpet.db").string();
  ASSERT_NO_FATAL_FAILURE(gen_sample(db, "0.01"));
  auto config = (testing::source_dir() / "samples" / "virtualpet" / "dbvet.toml").string();
  auto workloads = testing::source_dir() / "samples" / "virtualpet" / "workloads" / "sqlite";

  auto audit_html = dir / "audit.html";
  auto audit = testing::run_dbvet(concat(
      {"audit", "sqlite:" + db, "--scale", "0.01", "--config", config, "--format", "html", "-o", audit_html.string()},
      sample_workloads()));
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  auto audit_text = testing::read_file(audit_html);
  EXPECT_EQ(audit_text.rfind("<!doctype html>", 0), 0u);
  EXPECT_NE(audit_text.find("\"kind\":\"audit\""), std::string::npos);

  auto bench_html = dir / "bench.html";
  auto bench = testing::run_dbvet({"bench", "sqlite:" + db, "--workload", (workloads / "pet_history.sql").string(),
                                   "--variant", "baseline", "--variant",
                                   "idx=index:CREATE INDEX bench_idx ON feeding_events (pet_id, fed_at)", "--sandbox",
                                   "--transactions", "50", "--scale", "0.01", "--history",
                                   (dir / "history.db").string(), "--format", "html", "-o", bench_html.string()});
  ASSERT_NE(bench.exit_code, 3) << bench.err;
  auto bench_text = testing::read_file(bench_html);
  EXPECT_NE(bench_text.find("\"kind\":\"bench\""), std::string::npos);

  // The bench run went into the history too, whole: the report of the history shows its variants.
  auto from_history = dir / "from_history.html";
  auto report = testing::run_dbvet(
      {"report", "--history", (dir / "history.db").string(), "--kind", "bench", "-o", from_history.string()});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(testing::read_file(from_history).find("\"dbvet_variant\":\"idx\""), std::string::npos);

  auto bad = testing::run_dbvet({"audit", "sqlite:" + db, "--format", "svg"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("html"), std::string::npos) << bad.err;  // the message lists what is available

  if (!have_chromium()) GTEST_SKIP() << "chromium is not installed (scripts/bootstrap)";
  auto audit_page = load_in_chromium(audit_html, dir / "profile-audit");
  expect_clean_render(audit_page, 1);  // plan cost before and after each recommendation
  EXPECT_NE(audit_page.dom.find("Recommendations"), std::string::npos);
  EXPECT_NE(audit_page.dom.find("CREATE INDEX"), std::string::npos);

  auto bench_page = load_in_chromium(bench_html, dir / "profile-bench");
  expect_clean_render(bench_page, 1);  // p95 per query and variant
  EXPECT_NE(bench_page.dom.find("Bench p95 latency"), std::string::npos);
  EXPECT_NE(bench_page.dom.find(">idx<"), std::string::npos) << "the variant's row is missing";
}

}  // namespace
}  // namespace dbvet
