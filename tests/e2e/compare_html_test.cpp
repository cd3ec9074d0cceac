// `dbvet compare --format html` in a real browser: the page's table reads the compare document as
// docs/json/compare.md describes it (medians, the change with its interval, the p-value adjusted in
// the row's family) and shows an inconclusive row with the change the run could have detected.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/support/browser.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A Google Benchmark run: BM_Lookup at `lookup` ns, BM_Noisy spread +-30% around 200 ns.
void write_run(const fs::path& path, double lookup) {
  json doc = {{"benchmarks", json::array()}};
  for (const std::string name : {"BM_Lookup", "BM_Noisy"}) {
    for (int i = 0; i < 8; ++i) {
      double time = name == "BM_Noisy" ? 200 * (0.7 + 0.6 * ((i * 3) % 8) / 7.0) : lookup + i % 4;
      doc["benchmarks"].push_back({{"name", name},
                                   {"run_name", name},
                                   {"run_type", "iteration"},
                                   {"iterations", 1000},
                                   {"real_time", time},
                                   {"cpu_time", time},
                                   {"time_unit", "ns"}});
    }
  }
  std::ofstream(path) << doc.dump();
}

TEST(CompareHtml, TableShowsMediansChangesAndInconclusiveRows) {
  auto dir = testing::scratch_dir("compare_html");
  write_run(dir / "base.json", 100);
  write_run(dir / "head.json", 130);
  auto html = dir / "compare.html";
  auto run = testing::run_dbvet(
      {"compare", (dir / "base.json").string(), (dir / "head.json").string(), "--format", "html", "-o", html.string()});
  ASSERT_EQ(run.exit_code, 1) << run.err;  // BM_Lookup regressed

  if (!testing::have_chromium()) GTEST_SKIP() << "chromium is not installed (scripts/bootstrap)";
  auto page = testing::load_in_chromium(html, dir / "profile");
  EXPECT_FALSE(page.script_errors) << page.dom.substr(0, 800);
  EXPECT_EQ(page.console.find("Uncaught"), std::string::npos) << page.console.substr(0, 2000);
  EXPECT_NE(page.dom.find("2 regressed, 0 improved, 0 unchanged, 2 inconclusive"), std::string::npos);
  EXPECT_NE(page.dom.find("Change (95% CI)"), std::string::npos);
  EXPECT_NE(page.dom.find("101.5 ns"), std::string::npos);  // the base median of BM_Lookup
  EXPECT_NE(page.dom.find("+29.6%"), std::string::npos);
  EXPECT_NE(page.dom.find("<span class=\"badge error\">regressed</span>"), std::string::npos);
  EXPECT_NE(page.dom.find("<span class=\"badge warning\">inconclusive</span>"), std::string::npos);
  EXPECT_NE(page.dom.find("could detect only ±"), std::string::npos);
  // The rendered page, not the embedded scripts (Chart.js says NaN in its own code).
  auto start = page.dom.find("<main id=\"app\">"), end = page.dom.find("</main>");
  ASSERT_NE(start, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(page.dom.substr(start, end - start).find("NaN"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dbvet
