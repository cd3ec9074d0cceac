#pragma once
// Debian's headless Chromium as the tests' browser: loads a dbvet HTML page and reports whether its
// charts drew and whether any script error or blocked fetch showed.
#include <filesystem>
#include <string>
#include <vector>

namespace dbvet::testing {

struct BrowserPage {
  int charts_expected = -1;
  int charts_rendered = -1;
  bool script_errors = false;
  std::string dom;      // the page's DOM after the scripts ran
  std::string console;  // Chromium's log: script errors, CSP refusals
};

bool have_chromium();

// The flags every run needs (headless, no sandbox, no network chatter) with a fresh profile.
std::vector<std::string> chromium_args(const std::filesystem::path& profile);

BrowserPage load_in_chromium(const std::filesystem::path& html, const std::filesystem::path& profile);

// Every chart drew, at least `min_charts` of them, and nothing failed or reached for the network.
void expect_clean_render(const BrowserPage& page, int min_charts);

// Writes a PNG of the page to `png` and checks that it is one.
void screenshot(const std::filesystem::path& html, const std::filesystem::path& profile,
                const std::filesystem::path& png);

}  // namespace dbvet::testing
