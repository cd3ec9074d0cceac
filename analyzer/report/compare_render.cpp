#include "analyzer/report/compare_render.hpp"

#include <algorithm>
#include <cmath>

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

std::string format_value(double value, const std::string& unit) {
  if (unit == "/s") return fmt::format("{:.1f}/s", value);
  if (value != 0 && std::fabs(value) < 0.01) return fmt::format("{:.3g} {}", value, unit);
  return fmt::format("{:.3f} {}", value, unit);
}

std::string format_change(const json& row) {
  auto pct = [](double ratio) { return fmt::format("{:+.1f}%", (ratio - 1) * 100); };
  const auto& ci = row.at("ratio_ci95");
  return fmt::format("{} ({} … {})", pct(row.at("ratio").get<double>()), pct(ci.at(0).get<double>()),
                     pct(ci.at(1).get<double>()));
}

std::string format_p(double p) { return p < 0.001 ? fmt::format("{:.1e}", p) : fmt::format("{:.3f}", p); }

struct Row {
  std::string name, metric, base, head, change, p, verdict, note;
};

Row row_of(const json& item) {
  const std::string unit = item.at("unit").get<std::string>();
  return {item.at("name").get<std::string>(),
          item.at("metric").get<std::string>(),
          format_value(item.at("base").at("median").get<double>(), unit),
          format_value(item.at("head").at("median").get<double>(), unit),
          format_change(item),
          format_p(item.at("p_adjusted").get<double>()),
          item.at("verdict").get<std::string>(),
          item.value("note", "")};
}

std::vector<std::string> names(const json& doc, const char* key) {
  return doc.contains(key) ? doc.at(key).get<std::vector<std::string>>() : std::vector<std::string>{};
}

// What "inconclusive" asks of the reader, once, when a row says it: "within noise" would be a
// claim the run cannot back.
std::string inconclusive_footnote(const json& doc, const char* open, const char* close) {
  const auto& summary = doc.at("summary");
  if (!summary.contains("inconclusive") || summary.at("inconclusive").get<size_t>() == 0) return "";
  return fmt::format(
      "{}inconclusive: this run could neither show a change nor rule out one of {:.1f}%; the note gives the "
      "smallest change it could have detected. More repetitions (--repetitions) or a quieter machine narrow "
      "it.{}",
      open, doc.at("threshold").get<double>() * 100, close);
}

}  // namespace

std::string render_compare_md(const json& doc, const RenderOptions&) {
  const bool regressed = doc.at("summary").at("regressed").get<size_t>() > 0;
  std::string out =
      fmt::format("{} **{}** (threshold {:.1f}%, alpha {}, Mann-Whitney U with Holm correction per benchmark)\n\n",
                  regressed ? "❌" : "✅", doc.at("summary").at("line").get<std::string>(),
                  doc.at("threshold").get<double>() * 100, doc.at("alpha").get<double>());
  out += "| Query | Metric | Base | Head | Change (95% CI) | p | Verdict |\n";
  out += "|---|---|---:|---:|---|---:|---|\n";
  for (const auto& item : doc.at("comparisons")) {
    Row row = row_of(item);
    std::string verdict = row.verdict == "regressed" ? "**regressed**" : row.verdict;
    if (!row.note.empty()) verdict += " (" + row.note + ")";
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", row.name, row.metric, row.base, row.head, row.change,
                       row.p, verdict);
  }
  auto only_base = names(doc, "only_in_base"), only_head = names(doc, "only_in_head");
  for (const auto& name : only_base) out += fmt::format("\nOnly in base: `{}`", name);
  for (const auto& name : only_head) out += fmt::format("\nOnly in head: `{}`", name);
  if (!only_base.empty() || !only_head.empty()) out += "\n";
  out += inconclusive_footnote(doc, "\n_", "_\n");
  return out;
}

std::string render_compare_text(const json& doc, const RenderOptions&) {
  std::string out = doc.at("summary").at("line").get<std::string>() + "\n\n";
  std::vector<Row> rows;
  for (const auto& item : doc.at("comparisons")) rows.push_back(row_of(item));
  size_t width = 5;
  for (const auto& row : rows) width = std::max(width, row.name.size());
  out += fmt::format("{:<{}}  {:<10}  {:>14}  {:>14}  {:<28}  {:>8}  {}\n", "Query", width, "Metric", "Base", "Head",
                     "Change (95% CI)", "p", "Verdict");
  for (const auto& row : rows) {
    std::string verdict = row.verdict;
    if (!row.note.empty()) verdict += " (" + row.note + ")";
    out += fmt::format("{:<{}}  {:<10}  {:>14}  {:>14}  {:<28}  {:>8}  {}\n", row.name, width, row.metric, row.base,
                       row.head, row.change, row.p, verdict);
  }
  for (const auto& name : names(doc, "only_in_base")) out += fmt::format("only in base: {}\n", name);
  for (const auto& name : names(doc, "only_in_head")) out += fmt::format("only in head: {}\n", name);
  out += inconclusive_footnote(doc, "\n", "\n");
  return out;
}

}  // namespace dbvet::report
