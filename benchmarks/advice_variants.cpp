#include "benchmarks/advice_variants.hpp"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::bench {
namespace {

// "CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ..." or "DROP INDEX [IF EXISTS] name".
std::string index_name(const std::string& ddl) {
  static const std::regex pattern(
      R"(^\s*(?:CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?|DROP\s+INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?)[`"]?([A-Za-z0-9_$.]+))",
      std::regex::icase);
  std::smatch match;
  if (!std::regex_search(ddl, match, pattern)) return "";
  std::string name = match[1].str();
  if (auto dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
  return name;
}

}  // namespace

core::Expected<std::vector<Variant>> variants_from_advice(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::make_error(core::ErrorKind::input, fmt::format("--from-advice {}: cannot read the file", path));
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    return core::make_error(core::ErrorKind::input,
                            fmt::format("--from-advice {}: not JSON at byte {} (expected the output of dbvet advise "
                                        "--format json)",
                                        path, e.byte));
  }
  if (!doc.is_object() || !doc.contains("recommendations") || !doc["recommendations"].is_array()) {
    return core::make_error(core::ErrorKind::input,
                            fmt::format("--from-advice {}: no \"recommendations\" array (expected the output of dbvet "
                                        "advise --format json)",
                                        path));
  }
  std::vector<Variant> variants;
  std::set<std::string> names{"baseline", "advice-all"};
  std::vector<std::string> all;
  size_t position = 0;
  for (const auto& recommendation : doc["recommendations"]) {
    ++position;
    if (!recommendation.is_object()) continue;
    auto ddl = recommendation.value("ddl", std::string());
    if (ddl.empty()) continue;  // cache and rewrite advice: nothing to apply
    Variant variant;
    variant.kind = Variant::Kind::index;
    variant.spec = ddl;
    std::string name = index_name(ddl);
    if (name.empty()) name = fmt::format("advice-{}", position);
    std::string unique = name;
    for (int n = 2; names.count(unique); ++n) unique = fmt::format("{}-{}", name, n);
    names.insert(unique);
    variant.name = unique;
    all.push_back(ddl);
    variants.push_back(std::move(variant));
  }
  if (variants.empty()) {
    return core::make_error(core::ErrorKind::usage,
                            fmt::format("--from-advice {}: no recommendation carries DDL (index or drop_index) to "
                                        "benchmark",
                                        path));
  }
  if (variants.size() > 1) {
    Variant together;
    together.kind = Variant::Kind::index;
    together.name = "advice-all";
    for (size_t i = 0; i < all.size(); ++i) together.spec += (i ? ";\n" : "") + all[i];
    variants.push_back(std::move(together));
  }
  return variants;
}

}  // namespace dbvet::bench
