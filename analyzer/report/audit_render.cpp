#include "analyzer/report/audit_render.hpp"

#include <cmath>

#include "analyzer/core/json_envelope.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string str(const json& value) { return value.is_string() ? value.get<std::string>() : ""; }

std::string gain(const json& r) {
  const auto &before = r.at("cost_before"), &after = r.at("cost_after"), &improvement = r.at("improvement");
  if (!before.is_number() || !after.is_number() || !improvement.is_number()) return "";
  const std::string verified = str(r.at("verified"));
  // As a person writes them: "cost 0.42 -> 0.18", "12% more" rather than "-12% less".
  auto cost = [](double value) {
    return std::fabs(value) >= 100 ? fmt::format("{:.0f}", value)
           : std::fabs(value) >= 1 ? fmt::format("{:.1f}", value)
                                   : fmt::format("{:.2g}", value);
  };
  const double change = improvement.get<double>() * 100;
  const std::string how = std::lround(change) == 0 ? "no change"
                          : change > 0             ? fmt::format("{:.0f}% less", change)
                                                   : fmt::format("{:.0f}% more", -change);
  return fmt::format("cost {} -> {} ({}, {})", cost(before.get<double>()), cost(after.get<double>()), how,
                     verified == "estimate" ? "estimate" : "verified: " + verified);
}

std::string action(const json& r) {
  if (!str(r.at("ddl")).empty()) return str(r.at("ddl"));
  const auto& details = r.at("details");
  if (details.contains("suggestion")) return str(details.at("suggestion"));
  return str(r.at("rationale"));
}

// "log slow.log (mysql-slowlog): 5 events, 0 skipped", "workload (200 transactions)".
std::string input_line(const json& doc) {
  if (!doc.contains("input")) return "";
  const auto& input = doc.at("input");
  const std::string kind = str(input.value("kind", json()));
  std::string out;
  if (kind == "log") {
    out = fmt::format("log {} ({}): {} events, {} skipped", str(input.at("file")), str(input.at("format")),
                      input.at("events").get<uint64_t>(), input.at("skipped").get<uint64_t>());
  } else if (kind == "source") {
    out = fmt::format("{}: {} executions", str(input.at("source")), input.at("events").get<uint64_t>());
  } else {
    out = fmt::format("workload ({} transactions)", doc.at("workload").at("transactions").get<int>());
  }
  for (const auto& [key, what] : {std::pair{"skipped_placeholder_classes", "with placeholders"},
                                  std::pair{"skipped_other_database_classes", "of other databases"}}) {
    if (input.contains(key) && !input.at(key).empty())
      out += fmt::format("; {} classes {} left out", input.at(key).size(), what);
  }
  return out;
}

// "base_plans 0.012 s, capture 0.200 s, ..., total 0.512 s": the phases in name order, total last.
std::string timing_line(const json& doc) {
  if (!doc.contains("timing_s") || doc.at("timing_s").empty()) return "";
  std::string out;
  for (const auto& [name, seconds] : doc.at("timing_s").items()) {
    if (name == "total" || !seconds.is_number()) continue;
    out += fmt::format("{}{} {:.3f} s", out.empty() ? "" : ", ", name, seconds.get<double>());
  }
  const auto& total = doc.at("timing_s").value("total", json());
  if (total.is_number()) out += fmt::format("{}total {:.3f} s", out.empty() ? "" : ", ", total.get<double>());
  return out;
}

// --apply's outcome, one line per index.
std::string applied_section(const json& doc, bool markdown) {
  if (!doc.contains("applied")) return "";
  const auto& applied = doc.at("applied");
  size_t ok = 0;
  for (const auto& a : applied) ok += str(a.at("status")) == "applied" ? 1 : 0;
  std::string out =
      fmt::format("{}Applied ({} of {} index recommendations)\n", markdown ? "\n## " : "\n", ok, applied.size());
  if (markdown) out += "\n";
  for (const auto& a : applied) {
    const bool done = str(a.at("status")) == "applied";
    out += fmt::format("{}{}: {}{}\n", markdown ? "- " : "  ", done ? "applied" : "FAILED", str(a.at("ddl")),
                       done ? "" : " -- " + str(a.at("error")));
  }
  if (applied.empty()) out += markdown ? "- nothing to apply\n" : "  nothing to apply\n";
  return out;
}

}  // namespace

std::string render_audit_text(const json& doc, const RenderOptions&) {
  const bool recommendations_only = doc.at("kind") == "advise";
  std::string out = fmt::format("dbvet {} of {} ({}): {} statements from {} workload transactions\n",
                                recommendations_only ? "advise" : "audit", str(doc.at("target").at("url")),
                                str(doc.at("target").at("engine")), doc.at("workload").at("statements").get<uint64_t>(),
                                doc.at("workload").at("transactions").get<int>());
  if (auto input = input_line(doc); !input.empty()) out += "input: " + input + "\n";
  if (!recommendations_only) {
    out += fmt::format("\nFindings ({}), most costly first:\n", doc.at("findings").size());
    for (const auto& f : doc.at("findings")) {
      const std::string table = str(f.at("table"));
      out += fmt::format("  [{}] {} {}: {}\n", str(f.at("severity")), str(f.at("rule")),
                         table.empty() ? "" : "on " + table, str(f.at("message")));
      std::string evidence;
      for (const auto& [name, value] : f.at("evidence").items()) {
        if (name == "query") continue;
        evidence += (evidence.empty() ? "" : ", ") + name + "=" + str(value);
      }
      if (!evidence.empty()) out += "      evidence: " + evidence + "\n";
      if (f.at("evidence").contains("query"))
        out += "      query: " + str(f.at("evidence").at("query")).substr(0, 160) + "\n";
    }
  }
  out += fmt::format("\nRecommendations ({}):\n", doc.at("recommendations").size());
  int n = 0;
  for (const auto& r : doc.at("recommendations")) {
    const auto columns = r.at("columns").get<std::vector<std::string>>();
    const std::string where = str(r.at("where"));
    out += fmt::format("  {}. [{}] {}{}\n", ++n, str(r.at("type")), str(r.at("table")),
                       columns.empty() ? "" : " (" + join(columns) + ")" + (where.empty() ? "" : " WHERE " + where));
    out += "      do: " + action(r) + "\n";
    if (auto g = gain(r); !g.empty()) out += "      gain: " + g + "\n";
    if (!str(r.at("rationale")).empty() && !str(r.at("ddl")).empty())
      out += "      why: " + str(r.at("rationale")) + "\n";
  }
  const auto& notes = doc.at("notes");
  if (!notes.empty()) {
    out += "\nNotes:\n";
    for (const auto& note : notes) out += "  - " + str(note) + "\n";
  }
  if (auto timing = timing_line(doc); !timing.empty()) out += "\ntiming: " + timing + "\n";
  return out + applied_section(doc, false);
}

std::string render_audit_md(const json& doc, const RenderOptions&) {
  const bool recommendations_only = doc.at("kind") == "advise";
  std::string out = fmt::format("# dbvet {}: {} ({})\n\n{} statements from {} workload transactions.\n",
                                recommendations_only ? "advise" : "audit", str(doc.at("target").at("url")),
                                str(doc.at("target").at("engine")), doc.at("workload").at("statements").get<uint64_t>(),
                                doc.at("workload").at("transactions").get<int>());
  if (auto input = input_line(doc); !input.empty()) out += "\nInput: " + input + ".\n";
  if (!recommendations_only) {
    out += "\n## Findings\n\n| severity | rule | table | what is wrong | evidence |\n|---|---|---|---|---|\n";
    for (const auto& f : doc.at("findings")) {
      std::string evidence;
      for (const auto& [name, value] : f.at("evidence").items()) {
        if (name != "query") evidence += (evidence.empty() ? "" : "; ") + name + "=" + str(value);
      }
      out += fmt::format("| {} | `{}` | {} | {} | {} |\n", str(f.at("severity")), str(f.at("rule")), str(f.at("table")),
                         str(f.at("message")), evidence);
    }
  }
  out += "\n## Recommendations\n\n| # | type | table | what to do | gain |\n|---|---|---|---|---|\n";
  int n = 0;
  for (const auto& r : doc.at("recommendations")) {
    out +=
        fmt::format("| {} | {} | {} | `{}` | {} |\n", ++n, str(r.at("type")), str(r.at("table")), action(r), gain(r));
  }
  if (auto timing = timing_line(doc); !timing.empty()) out += "\nTiming: " + timing + ".\n";
  return out + applied_section(doc, true);
}

}  // namespace dbvet::report
