#include "analyzer/report/listing_render.hpp"

#include <algorithm>
#include <cstdint>

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

std::string with_commas(int64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count && count % 3 == 0 && *it != '-') out.insert(out.begin(), ',');
    out.insert(out.begin(), *it);
    ++count;
  }
  return out;
}

std::string text_of(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

}  // namespace

std::string render_gen_text(const json& doc, const RenderOptions&) {
  const json& totals = doc.at("totals");
  const double mb = totals.at("bytes").get<double>() / 1e6;
  std::string text =
      fmt::format("Loaded the Virtual Pet sample (scale {}, seed {}) into {}\n", doc.at("scale").get<double>(),
                  doc.at("seed").get<uint64_t>(), doc.at("target").at("url").get<std::string>());
  text += fmt::format("  {:<20} {:>12} {:>10} {:>9}\n", "table", "rows", "MB", "seconds");
  for (const auto& table : doc.at("tables")) {
    text += fmt::format("  {:<20} {:>12} {:>10.2f} {:>9.3f}\n", table.at("name").get<std::string>(),
                        with_commas(table.at("rows").get<int64_t>()), table.at("bytes").get<double>() / 1e6,
                        table.at("seconds").get<double>());
  }
  text += fmt::format("  {:<20} {:>12} {:>10.2f} {:>9.3f}\n", "total", with_commas(totals.at("rows").get<int64_t>()),
                      mb, totals.at("load_seconds").get<double>());
  text += fmt::format("Load: {} rows/s, {:.1f} MB/s. Indexes and keys {:.3f} s, ANALYZE {:.3f} s, total {:.3f} s.\n",
                      with_commas(static_cast<int64_t>(totals.at("rows_per_second").get<double>())),
                      totals.at("mb_per_second").get<double>(), totals.at("index_seconds").get<double>(),
                      totals.at("analyze_seconds").get<double>(), totals.at("seconds").get<double>());
  text += fmt::format("Data checksum {}\n", doc.at("checksum").get<std::string>());
  return text;
}

std::string render_rules_text(const json& doc, const RenderOptions&) {
  size_t width = 4;
  for (const auto& rule : doc.at("rules")) width = std::max(width, rule.at("id").get<std::string>().size());
  std::string out = fmt::format("{:<{}}  {:<8}  {:<8}  {}\n", "RULE", width, "CATEGORY", "SEVERITY", "SUMMARY");
  for (const auto& rule : doc.at("rules")) {
    out += fmt::format("{:<{}}  {:<8}  {:<8}  {}\n", rule.at("id").get<std::string>(), width,
                       rule.at("category").get<std::string>(), rule.at("severity").get<std::string>(),
                       rule.at("summary").get<std::string>());
  }
  return out;
}

std::string render_rules_md(const json& doc, const RenderOptions&) {
  std::string out = "| Rule | Category | Severity | Summary |\n|---|---|---|---|\n";
  for (const auto& rule : doc.at("rules")) {
    out += fmt::format("| `{}` | {} | {} | {} |\n", rule.at("id").get<std::string>(),
                       rule.at("category").get<std::string>(), rule.at("severity").get<std::string>(),
                       rule.at("summary").get<std::string>());
  }
  return out;
}

// The page is Markdown already, and the text form prints it as it is.
std::string render_rule_page(const json& doc, const RenderOptions&) { return doc.at("doc").get<std::string>(); }

std::string render_sandbox_text(const json& doc, const RenderOptions&) {
  const auto& sandboxes = doc.at("sandboxes");
  if (sandboxes.empty()) return fmt::format("no dbvet sandboxes on {}\n", doc.at("target").get<std::string>());
  std::string out;
  for (const auto& entry : sandboxes) {
    std::string state = !entry.at("this_host").get<bool>() ? "made on another host"
                        : entry.at("owner_alive").get<bool>()
                            ? fmt::format("in use by pid {}", text_of(entry.at("pid")))
                            : "orphaned";
    out += fmt::format("{}  created {}  {}{}\n", entry.at("name").get<std::string>(),
                       entry.at("created").get<std::string>(), state,
                       entry.contains("outcome") ? "  " + entry.at("outcome").get<std::string>() : "");
  }
  return out;
}

}  // namespace dbvet::report
