#include "analyzer/report/lint_render.hpp"

#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

// A statement's text comes from the linted file: control characters would reach the terminal.
std::string printable(const std::string& text) {
  std::string out;
  for (unsigned char c : text) out += c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
  return out;
}

std::string summary_line(const json& doc) {
  const json& s = doc.contains("summary") ? doc["summary"] : json::object();
  const json& by = s.contains("by_severity") ? s["by_severity"] : json::object();
  std::string line = fmt::format("{} files, {} statements: {} findings ({} errors, {} warnings, {} info)",
                                 s.value("files", 0), s.value("statements", 0), s.value("findings", 0),
                                 by.value("error", 0), by.value("warning", 0), by.value("info", 0));
  int inline_count = s.value("suppressed_inline", 0), baseline = s.value("hidden_by_baseline", 0);
  if (inline_count > 0) line += fmt::format("; {} suppressed inline", inline_count);
  if (baseline > 0) line += fmt::format("; {} hidden by the baseline", baseline);
  return line;
}

std::string version_of(const json& doc) {
  if (doc.contains("pg_version")) return fmt::format("PostgreSQL {}", doc["pg_version"].dump());
  return fmt::format("{} {}", doc.value("engine", std::string()), doc.value("mysql_version", std::string()));
}

}  // namespace

std::string render_lint_text(const json& doc, const RenderOptions& options) {
  std::string out;
  for (const auto& f : doc.value("findings", json::array())) {
    std::string severity = f.value("severity", std::string());
    std::string shown = severity;
    if (options.color)
      shown = (severity == "error"     ? "\x1b[31m"
               : severity == "warning" ? "\x1b[33m"
                                       : "\x1b[36m") +
              severity + "\x1b[0m";
    out += fmt::format("{}:{}: {}: {} [{}]\n", printable(f.value("file", std::string())), f.value("line", 0), shown,
                       printable(f.value("message", std::string())), f.value("rule", std::string()));
    out += fmt::format("    {}\n", printable(f.value("statement", std::string())));
  }
  out += fmt::format("dbvet lint ({}): {}\n", version_of(doc), summary_line(doc));
  return out;
}

std::string render_lint_md(const json& doc, const RenderOptions&) {
  std::string out = fmt::format("## dbvet lint ({})\n\n{}\n\n", version_of(doc), summary_line(doc));
  for (const auto& f : doc.value("findings", json::array())) {
    std::string rule = f.value("rule", std::string());
    out += fmt::format("- **{}** `{}:{}` [{}](docs/rules/{}.md): {}\n", f.value("severity", std::string()),
                       printable(f.value("file", std::string())), f.value("line", 0), rule, rule,
                       printable(f.value("message", std::string())));
  }
  return out;
}

}  // namespace dbvet::report
