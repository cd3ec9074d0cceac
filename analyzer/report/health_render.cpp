#include "analyzer/report/health_render.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

int severity_rank(const std::string& severity) {
  if (severity == "error") return 0;
  if (severity == "warning") return 1;
  return 2;
}

std::vector<json> ranked_findings(const json& target) {
  std::vector<json> findings(target["findings"].begin(), target["findings"].end());
  std::stable_sort(findings.begin(), findings.end(), [](const json& a, const json& b) {
    return severity_rank(a.value("severity", "")) < severity_rank(b.value("severity", ""));
  });
  return findings;
}

std::string escape_md(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string render_health_text(const json& doc, bool color) {
  auto paint = [color](const std::string& severity, const std::string& text) {
    if (!color) return text;
    const char* code = severity == "error" ? "\033[31m" : severity == "warning" ? "\033[33m" : "\033[36m";
    return std::string(code) + text + "\033[0m";
  };
  std::string out;
  for (const auto& target : doc["targets"]) {
    std::string name = target.value("name", "");
    if (!target.value("up", false)) {
      out += fmt::format("{} ({}) {}: {}\n", name, target.value("engine", ""), paint("error", "DOWN"),
                         target.value("error", ""));
      out += '\n';
      continue;
    }
    int ran = 0, skipped = 0;
    for (const auto& check : target["checks"]) {
      std::string status = check.value("status", "");
      if (status == "skipped" || status == "failed")
        ++skipped;
      else
        ++ran;
    }
    out +=
        fmt::format("{} ({} {}) {} checks in {:.2f} s, {} findings\n", name, target.value("engine", ""),
                    target.value("server_version", ""), ran, target.value("seconds", 0.0), target["findings"].size());
    for (const auto& finding : ranked_findings(target)) {
      std::string severity = finding.value("severity", "");
      out += fmt::format("  {:<8} {:<28} {}\n", paint(severity, severity), finding.value("check", ""),
                         finding.value("message", ""));
    }
    for (const auto& check : target["checks"]) {
      std::string status = check.value("status", "");
      if (status == "skipped" || status == "failed") {
        out += fmt::format("  {:<8} {:<28} {}\n", status, check.value("id", ""), check.value("note", ""));
      }
    }
    if (!target["top_queries"].empty()) {
      out += "  top queries by total time:\n";
      for (const auto& query : target["top_queries"]) {
        std::string text = query.value("query", "");
        if (text.size() > 90) text = text.substr(0, 87) + "...";
        out += fmt::format("    {:>10.3f} s {:>8.0f} calls  {}\n", query.value("total_seconds", 0.0),
                           query.value("calls", 0.0), text);
      }
    }
    out += '\n';
  }
  const auto& summary = doc["summary"];
  out += fmt::format("{} targets, {} down; {} errors, {} warnings, {} info\n", summary.value("targets", 0),
                     summary.value("down", 0), summary["findings"].value("error", 0),
                     summary["findings"].value("warning", 0), summary["findings"].value("info", 0));
  return out;
}

std::string render_health_markdown(const json& doc) {
  const auto& summary = doc["summary"];
  std::string out = fmt::format("# dbvet health, {}\n\n{} targets, {} down; {} errors, {} warnings, {} info\n\n",
                                doc.value("started_at", ""), summary.value("targets", 0), summary.value("down", 0),
                                summary["findings"].value("error", 0), summary["findings"].value("warning", 0),
                                summary["findings"].value("info", 0));
  for (const auto& target : doc["targets"]) {
    out += fmt::format("## {} ({})\n\n", target.value("name", ""), target.value("engine", ""));
    if (!target.value("up", false)) {
      out += fmt::format("**Down**: {}\n\n", escape_md(target.value("error", "")));
      continue;
    }
    if (target["findings"].empty()) {
      out += "No findings.\n\n";
    } else {
      out += "| Severity | Check | Object | Finding |\n| --- | --- | --- | --- |\n";
      for (const auto& finding : ranked_findings(target)) {
        out += fmt::format("| {} | {} | {} | {} |\n", finding.value("severity", ""), finding.value("check", ""),
                           escape_md(finding.value("object", "")), escape_md(finding.value("message", "")));
      }
      out += '\n';
    }
    if (!target["top_queries"].empty()) {
      out += "| Total (s) | Calls | Mean (ms) | Query |\n| ---: | ---: | ---: | --- |\n";
      for (const auto& query : target["top_queries"]) {
        out += fmt::format("| {:.3f} | {:.0f} | {:.2f} | `{}` |\n", query.value("total_seconds", 0.0),
                           query.value("calls", 0.0), query.value("mean_seconds", 0.0) * 1000,
                           escape_md(query.value("query", "")));
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace dbvet::report
