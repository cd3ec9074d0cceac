// The whiteboard of DESIGN.md, enforced: every `#include "..."` of the project's own headers must
// follow an allowed arrow between layers. A forbidden edge fails with the file, the line and the arrow.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/support/test_env.hpp"

namespace dbvet::testing {
namespace {

namespace fs = std::filesystem;

// Layer -> the layers it may include (besides itself). Everything may include core and util.
// DESIGN.md's "Allowed arrows" list is the source; where this table goes beyond it, the row says why.
const std::map<std::string, std::set<std::string>>& allowed() {
  static const std::map<std::string, std::set<std::string>> arrows = {
      {"core", {}},
      {"util", {}},
      // The forwarders of libpq/libmariadb/libcurl (opened on first use): below everything but core.
      {"client_libraries", {}},
      {"model", {}},
      {"sql", {"model"}},
      // DESIGN.md: engines -> model, sql, core; plus the lazily opened client libraries they call.
      {"engines", {"model", "sql", "client_libraries"}},
      {"capture", {"engines", "sql", "model"}},
      // Fingerprints are computed where events are grouped: digest reads sql (which reads only model).
      {"digest", {"model", "sql"}},
      // workload, sample, history: in DESIGN.md's layout, no arrow of their own; each reads the model
      // (sample also loads through an engine and splits DDL with sql).
      {"workload", {"model"}},
      {"sample", {"engines", "sql", "model"}},
      {"history", {"model"}},
      {"report", {"model"}},
      {"rules", {"model", "sql"}},
      // Health gathers per engine and judges with rules: a pipeline of its own.
      {"health", {"engines", "rules", "sql", "model"}},
      // DESIGN.md's pipeline row, plus the layers whose results it strings together (health checks,
      // the sample's generator, history) so that cli needs one call per command.
      {"pipeline",
       {"rules", "engines", "capture", "digest", "workload", "sql", "model", "health", "sample", "history"}},
      // The Pushgateway client (health --push): the coordinator's row, push -> model, client_libraries, core.
      {"push", {"model", "client_libraries"}},
      // DESIGN.md's benchmarks row, plus pipeline: the live workload capture that bench runs moved
      // there from capture/live. (micro/ and peers/ are exempt below, so sql needs no arrow.)
      {"benchmarks", {"engines", "workload", "capture", "digest", "model", "pipeline"}},
  };
  return arrows;
}

// The layer of a path relative to the source root: analyzer/<layer>/..., rules/..., benchmarks/..., cli/...
std::string layer_of(const std::string& path) {
  auto slash = path.find('/');
  if (slash == std::string::npos) return {};
  std::string top = path.substr(0, slash);
  if (top != "analyzer") return top;
  auto next = path.find('/', slash + 1);
  return next == std::string::npos ? std::string() : path.substr(slash + 1, next - slash - 1);
}

struct Edge {
  std::string file;
  int line = 0;
  std::string included;
};

std::vector<Edge> project_includes() {
  static const std::regex include_line(R"re(^\s*#\s*include\s+"((analyzer|rules|benchmarks|cli)/[^"]+)")re");
  std::vector<Edge> edges;
  const fs::path root = source_dir();
  for (const char* top : {"analyzer", "rules", "benchmarks", "cli"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      if (!entry.is_regular_file()) continue;
      auto extension = entry.path().extension().string();
      if (extension != ".cpp" && extension != ".hpp" && extension != ".inc" && extension != ".in") continue;
      std::ifstream in(entry.path());
      std::string text;
      int number = 0;
      auto relative = fs::relative(entry.path(), root).generic_string();
      while (std::getline(in, text)) {
        ++number;
        std::smatch match;
        if (std::regex_search(text, match, include_line)) edges.push_back({relative, number, match[1]});
      }
    }
  }
  return edges;
}

bool permitted(const std::string& from, const std::string& to) {
  if (from == to || to == "core" || to == "util") return true;
  if (from == "cli") return true;
  // The micro benchmarks and peers measure anything below the CLI.
  auto row = allowed().find(from);
  return row != allowed().end() && row->second.count(to) > 0;
}

TEST(Layering, EveryIncludeFollowsAnAllowedArrow) {
  auto edges = project_includes();
  ASSERT_GT(edges.size(), 500u) << "the source tree was not found under " << source_dir();
  std::vector<std::string> forbidden;
  for (const auto& edge : edges) {
    auto from = layer_of(edge.file), to = layer_of(edge.included);
    if (edge.file.starts_with("benchmarks/micro/") || edge.file.starts_with("benchmarks/peers/")) continue;
    if (!permitted(from, to)) {
      forbidden.push_back(edge.file + ":" + std::to_string(edge.line) + ": " + from + " -> " + to + " (" +
                          edge.included + ")");
    }
  }
  std::string report;
  for (const auto& line : forbidden) report += "  " + line + "\n";
  EXPECT_TRUE(forbidden.empty()) << forbidden.size() << " includes against DESIGN.md's arrows:\n" << report;
}

TEST(Layering, EveryLayerIsKnown) {
  std::set<std::string> unknown;
  for (const auto& edge : project_includes()) {
    for (const auto& layer : {layer_of(edge.file), layer_of(edge.included)}) {
      if (layer != "cli" && layer != "core" && layer != "util" && !allowed().count(layer)) unknown.insert(layer);
    }
  }
  std::string names;
  for (const auto& layer : unknown) names += " " + layer;
  EXPECT_TRUE(unknown.empty()) << "folders with no row in the whiteboard:" << names;
}

// The checker itself: a forbidden arrow is caught.
TEST(Layering, ForbiddenArrowsAreRecognised) {
  EXPECT_FALSE(permitted("rules", "engines"));
  EXPECT_FALSE(permitted("model", "sql"));
  EXPECT_FALSE(permitted("report", "engines"));
  EXPECT_FALSE(permitted("engines", "cli"));
  EXPECT_TRUE(permitted("pipeline", "rules"));
  EXPECT_EQ(layer_of("analyzer/report/renderers.cpp"), "report");
  EXPECT_EQ(layer_of("rules/plan/full_scan.cpp"), "rules");
}

}  // namespace
}  // namespace dbvet::testing
