// The whiteboard of DESIGN.md, enforced: every `#include "..."` of the project's own headers must
// follow an allowed arrow between layers. A forbidden edge fails with the file, the line and the arrow.

#include <cxxabi.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
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

// --- the link graph: one static library per layer (CMakeLists.txt, dbvet_layer rows) --------------

// Link arrows beyond the include arrows above. The engines' descriptions (URL schemes, names,
// dialects) are data compiled into a layer of their own, dbvet_engine_catalog, below core: core's URL
// parser and model's dialect lookup declare the lookups that engines/catalog.cpp defines over them.
const std::map<std::string, std::set<std::string>>& link_only_arrows() {
  static const std::map<std::string, std::set<std::string>> arrows = {
      {"core", {"engine_catalog"}},
      {"model", {"engine_catalog"}},
  };
  return arrows;
}

// dbvet_<layer> is the library of analyzer/<layer>/ (of rules/; dbvet_bench: benchmarks/).
std::string layer_of_target(const std::string& target) {
  std::string name = target.substr(std::string("dbvet_").size());
  return name == "bench" ? "benchmarks" : name;
}

bool permitted_link(const std::string& from, const std::string& to) {
  if (from == "engine_catalog") return false;  // data: links nothing
  auto row = link_only_arrows().find(from);
  if (row != link_only_arrows().end() && row->second.count(to)) return true;
  return to != "engine_catalog" && permitted(from, to);
}

std::filesystem::path build_dir() {
  const char* bin = std::getenv("DBVET_BIN");
  return bin ? fs::path(bin).parent_path() : fs::path();
}

// layer_links.txt, written by CMake: "dbvet_x: dbvet_y dbvet_z" per layer library.
std::map<std::string, std::vector<std::string>> layer_links() {
  std::map<std::string, std::vector<std::string>> links;
  std::ifstream in(build_dir() / "layer_links.txt");
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto& row = links[line.substr(0, colon)];
    std::istringstream rest(line.substr(colon + 1));
    std::string target;
    while (rest >> target) row.push_back(target);
  }
  return links;
}

std::set<std::string> closure(const std::map<std::string, std::vector<std::string>>& links, const std::string& from) {
  std::set<std::string> seen;
  std::vector<std::string> todo{from};
  while (!todo.empty()) {
    auto target = todo.back();
    todo.pop_back();
    auto row = links.find(target);
    if (row == links.end()) continue;
    for (const auto& next : row->second) {
      if (seen.insert(next).second) todo.push_back(next);
    }
  }
  return seen;
}

// The global symbols an archive defines (strong ones: T, D, B, R) or needs (U), by `nm -P`.
struct ArchiveSymbols {
  std::set<std::string> defined;
  std::set<std::string> undefined;
};

ArchiveSymbols archive_symbols(const fs::path& archive) {
  ArchiveSymbols symbols;
  std::string command = "nm -g -P '" + archive.string() + "' 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return symbols;
  char buffer[8192];
  while (std::fgets(buffer, sizeof buffer, pipe)) {
    std::istringstream line(buffer);
    std::string name, type;
    if (!(line >> name >> type) || name.ends_with(':') || name.ends_with("]:")) continue;
    if (type == "U") {
      symbols.undefined.insert(name);
    } else if (type == "T" || type == "D" || type == "B" || type == "R") {
      symbols.defined.insert(name);
    }
  }
  pclose(pipe);
  return symbols;
}

std::string demangled(const std::string& name) {
  int status = 0;
  char* text = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
  std::string result = status == 0 && text ? text : name;
  std::free(text);
  return result;
}

TEST(Layering, EveryLayerLinkFollowsAnAllowedArrow) {
  auto links = layer_links();
  ASSERT_GE(links.size(), 15u) << "no layer libraries in " << (build_dir() / "layer_links.txt")
                               << ": CMakeLists.txt builds one static library per layer (dbvet_layer rows)";
  std::string forbidden;
  for (const auto& [target, linked] : links) {
    for (const auto& to : linked) {
      if (!permitted_link(layer_of_target(target), layer_of_target(to)))
        forbidden += "  " + target + " -> " + to + "\n";
    }
  }
  EXPECT_TRUE(forbidden.empty()) << "links against DESIGN.md's arrows:\n" << forbidden;
}

TEST(Layering, LayerLinksHaveNoCycle) {
  auto links = layer_links();
  ASSERT_FALSE(links.empty());
  for (const auto& [target, linked] : links) {
    EXPECT_FALSE(closure(links, target).count(target)) << target << " reaches itself through its links";
  }
}

// The declared links suffice: a symbol a layer's objects need, defined by another layer's library,
// comes from a library it links (directly or through the layers it links). A call through a
// declaration whose definition lives in a layer above (a hidden arrow) fails here, even when the
// executable links because everything ends up in it.
TEST(Layering, EverySymbolALayerNeedsComesFromALayerItLinks) {
  auto links = layer_links();
  ASSERT_FALSE(links.empty());
  std::map<std::string, std::string> definer;
  std::map<std::string, ArchiveSymbols> symbols;
  for (const auto& [target, linked] : links) {
    auto archive = build_dir() / ("lib" + target + ".a");
    ASSERT_TRUE(fs::exists(archive)) << archive;
    symbols[target] = archive_symbols(archive);
    ASSERT_FALSE(symbols[target].defined.empty() && target != "dbvet_engine_catalog")
        << "nm read nothing from " << archive;
    for (const auto& name : symbols[target].defined) definer.emplace(name, target);
  }
  std::map<std::string, std::set<std::string>> missing;  // "from -> to" -> a few symbols
  for (const auto& [target, own] : symbols) {
    auto reachable = closure(links, target);
    for (const auto& name : own.undefined) {
      auto found = definer.find(name);
      if (found == definer.end() || found->second == target || reachable.count(found->second)) continue;
      auto& examples = missing[target + " -> " + found->second];
      if (examples.size() < 3) examples.insert(demangled(name));
    }
  }
  std::string report;
  for (const auto& [arrow, examples] : missing) {
    report += "  " + arrow + ":";
    for (const auto& name : examples) report += " " + name + ";";
    report += "\n";
  }
  EXPECT_TRUE(missing.empty()) << "layers that need symbols of a layer they do not link:\n" << report;
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
  EXPECT_TRUE(permitted_link("core", "engine_catalog"));
  EXPECT_FALSE(permitted_link("core", "engines"));
  EXPECT_FALSE(permitted_link("engine_catalog", "core"));
  EXPECT_FALSE(permitted_link("rules", "pipeline"));
  EXPECT_TRUE(permitted_link("pipeline", "rules"));
  EXPECT_EQ(layer_of_target("dbvet_bench"), "benchmarks");
}

}  // namespace
}  // namespace dbvet::testing
