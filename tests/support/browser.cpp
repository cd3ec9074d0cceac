#include "tests/support/browser.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>

#include "tests/support/test_env.hpp"

namespace dbvet::testing {

bool have_chromium() { return access("/usr/bin/chromium", X_OK) == 0; }

std::vector<std::string> chromium_args(const std::filesystem::path& profile) {
  return {"chromium",
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--no-first-run",
          "--user-data-dir=" + profile.string(),
          "--enable-logging=stderr",
          "--v=0",
          "--virtual-time-budget=10000",
          "--window-size=1400,2400"};
}

BrowserPage load_in_chromium(const std::filesystem::path& html, const std::filesystem::path& profile) {
  auto args = chromium_args(profile);
  args.push_back("--dump-dom");
  args.push_back("file://" + html.string());
  auto run = run_program(args);
  EXPECT_EQ(run.exit_code, 0) << run.err.substr(0, 2000);
  BrowserPage page;
  page.dom = run.out;
  page.console = run.err;
  std::smatch match;
  if (std::regex_search(run.out, match, std::regex("data-charts-rendered=\"(\\d+)\"")))
    page.charts_rendered = std::stoi(match[1]);
  if (std::regex_search(run.out, match, std::regex("data-charts-expected=\"(\\d+)\"")))
    page.charts_expected = std::stoi(match[1]);
  // The attribute on <body>, not the words in the embedded script.
  page.script_errors = std::regex_search(run.out, std::regex("<body[^>]*data-js-errors"));
  return page;
}

void expect_clean_render(const BrowserPage& page, int min_charts) {
  EXPECT_GE(page.charts_expected, min_charts) << page.dom.substr(0, 800);
  EXPECT_EQ(page.charts_rendered, page.charts_expected);
  EXPECT_FALSE(page.script_errors) << page.dom.substr(0, 800);
  EXPECT_EQ(page.console.find("Uncaught"), std::string::npos) << page.console.substr(0, 2000);
  EXPECT_EQ(page.console.find("Refused to"), std::string::npos) << page.console.substr(0, 2000);  // CSP: no fetch
  EXPECT_NE(page.dom.find("<canvas"), std::string::npos);
}

void screenshot(const std::filesystem::path& html, const std::filesystem::path& profile,
                const std::filesystem::path& png) {
  auto args = chromium_args(profile);
  args.push_back("--screenshot=" + png.string());
  args.push_back("file://" + html.string());
  auto run = run_program(args);
  ASSERT_EQ(run.exit_code, 0) << run.err.substr(0, 2000);
  auto bytes = read_file(png);
  ASSERT_GT(bytes.size(), 10000u);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
}

}  // namespace dbvet::testing
