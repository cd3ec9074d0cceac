#include "analyzer/pipeline/lint.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "analyzer/core/json_envelope.hpp"
#include "analyzer/sql/fingerprint.hpp"
#include "analyzer/sql/lexer.hpp"
#include "analyzer/sql/migration.hpp"
#include "fmt/format.h"
#include "rules/registry.hpp"

namespace dbvet::pipeline {
namespace {

using nlohmann::json;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

// The line of the statement's first token: a statement's text starts with the comments above it.
int first_token_line(const sql::MigrationStatement& statement, sql::Dialect dialect) {
  sql::Lexer lexer(statement.text, dialect);
  sql::Token token = lexer.next_significant();
  if (token.kind == sql::TokenKind::end) return statement.line;
  return statement.line +
         static_cast<int>(std::count(statement.text.begin(), statement.text.begin() + token.offset, '\n'));
}

bool is_rule_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; }

// The rule ids after "dbvet:ignore" in `line` when it is in a comment; "*" when none is named.
std::vector<std::string> ignored_in(const std::string& line) {
  static constexpr std::string_view kMarker = "dbvet:ignore";
  size_t at = line.find(kMarker);
  if (at == std::string::npos) return {};
  size_t comment = line.rfind("--", at);
  if (comment == std::string::npos) comment = line.rfind('#', at);
  if (comment == std::string::npos) comment = line.rfind("/*", at);
  if (comment == std::string::npos) return {};
  std::vector<std::string> ids;
  size_t i = at + kMarker.size();
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == ',' || line[i] == '\t')) ++i;
    size_t begin = i;
    while (i < line.size() && is_rule_char(line[i])) ++i;
    if (i == begin) break;
    ids.push_back(line.substr(begin, i - begin));
  }
  if (ids.empty()) ids.push_back("*");
  return ids;
}

bool comment_only(const std::string& line) {
  size_t first = line.find_first_not_of(" \t");
  if (first == std::string::npos) return false;
  return line.compare(first, 2, "--") == 0 || line[first] == '#' || line.compare(first, 2, "/*") == 0;
}

// Rules suppressed for the statement whose first token is on `line` (1-based).
std::set<std::string> suppressed_at(const std::vector<std::string>& lines, int line) {
  std::set<std::string> out;
  if (line >= 1 && line <= static_cast<int>(lines.size())) {
    for (auto& id : ignored_in(lines[line - 1])) out.insert(id);
  }
  if (line >= 2 && line - 1 <= static_cast<int>(lines.size()) && comment_only(lines[line - 2])) {
    for (auto& id : ignored_in(lines[line - 2])) out.insert(id);
  }
  return out;
}

std::string excerpt(const std::string& text) {
  static constexpr size_t kMax = 200;
  std::string one_line;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !one_line.empty();
      continue;
    }
    if (space) one_line += ' ';
    space = false;
    one_line += c;
  }
  if (one_line.size() > kMax) one_line = one_line.substr(0, kMax) + "...";
  return one_line;
}

// The statement without the comments above it: the suppression comment is not part of its identity.
std::string statement_body(const sql::MigrationStatement& statement, sql::Dialect dialect) {
  sql::Lexer lexer(statement.text, dialect);
  sql::Token token = lexer.next_significant();
  return token.kind == sql::TokenKind::end ? statement.text : statement.text.substr(token.offset);
}

json finding_json(const model::Finding& f, const std::string& statement, const std::string& fingerprint) {
  json out = {{"rule", f.rule},
              {"severity", model::severity_name(f.severity)},
              {"file", f.file},
              {"line", f.line},
              {"message", f.message},
              {"table", f.table},
              {"evidence", f.evidence},
              {"statement", statement},
              {"fingerprint", fingerprint}};
  if (!f.query_id.empty()) out["query_id"] = f.query_id;
  return out;
}

}  // namespace

core::Expected<LintSource> read_lint_source(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return core::make_error(core::ErrorKind::input, fmt::format("cannot lint {}: it is a directory", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::make_error(core::ErrorKind::input, fmt::format("cannot read {}", path));
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return core::make_error(core::ErrorKind::input, fmt::format("cannot read {}", path));
  return LintSource{path, text.str()};
}

std::string lint_fingerprint(const std::string& rule, const std::string& file, const std::string& statement,
                             int occurrence) {
  std::string key = rule;
  key += '\n';
  key += std::filesystem::path(file).lexically_normal().generic_string();
  key += '\n';
  key += sql::fingerprint_canonical(statement);
  // The first occurrence keeps the key it always had, so baselines written before occurrences were
  // counted still hide it.
  if (occurrence > 1) key += fmt::format("\n#{}", occurrence);
  return sql::canonical_id(key);
}

json run_lint(const std::vector<LintSource>& sources, const LintOptions& options) {
  bool mysql = options.engine == "mysql" || options.engine == "mariadb";
  sql::Dialect dialect = mysql ? sql::Dialect::mysql : sql::Dialect::postgres;
  rules::MigrationInput input;
  input.pg_version = options.pg_version;
  input.mysql_major = options.mysql_major;
  input.mysql_minor = options.mysql_minor;

  json doc = core::json_envelope("lint");
  doc["engine"] = options.engine;
  if (mysql) {
    doc["mysql_version"] = fmt::format("{}.{}", options.mysql_major, options.mysql_minor);
  } else {
    doc["pg_version"] = options.pg_version;
  }
  if (options.assume_in_transaction) doc["assume_in_transaction"] = true;
  json files = json::array();
  json findings = json::array();
  json baselined = json::array();
  int statements = 0, suppressed_inline = 0;
  for (const auto& source : sources) {
    auto file = sql::read_migration(source.text, dialect, options.assume_in_transaction);
    auto lines = lines_of(source.text);
    std::map<std::string, int> seen;  // normalized statement -> how many times it occurred so far
    input.file = &file;
    statements += static_cast<int>(file.size());
    files.push_back({{"file", source.name}, {"statements", file.size()}});
    for (const auto& statement : file) {
      input.statement = &statement;
      rules::RuleContext context;
      context.config = &options.rule_config;
      context.migration = &input;
      context.engine = options.engine;
      std::vector<model::Finding> found = rules::run_rules(context, {rules::Category::migration});
      if (statement.dml) {
        std::string body = statement_body(statement, dialect);
        auto query = rules::make_query_info(body, sql::canonical_id(sql::fingerprint_canonical(body)));
        rules::RuleContext query_context;
        query_context.config = &options.rule_config;
        query_context.query = &query;
        query_context.engine = options.engine;
        auto more = rules::run_rules(query_context, {rules::Category::query});
        found.insert(found.end(), more.begin(), more.end());
      }
      std::string body = statement_body(statement, dialect);
      // Counted over every statement, whatever the rules found, so that the n-th copy of a statement
      // keeps its identity when --rules, the config or the copies above it change their findings.
      const int occurrence = ++seen[sql::fingerprint_canonical(body)];
      if (found.empty()) continue;
      int line = first_token_line(statement, dialect);
      auto ignored = suppressed_at(lines, line);
      for (auto& f : found) {
        if (!options.only_rules.empty() && !options.only_rules.count(f.rule)) continue;
        if (ignored.count(f.rule) || ignored.count("*")) {
          ++suppressed_inline;
          continue;
        }
        f.file = source.name;
        f.line = line;
        std::string fingerprint = lint_fingerprint(f.rule, source.name, body, occurrence);
        json entry = finding_json(f, excerpt(body), fingerprint);
        (options.baseline.count(fingerprint) ? baselined : findings).push_back(std::move(entry));
      }
    }
  }
  // Most severe first, then in file order: what to fix first, where a reader finds it.
  std::stable_sort(findings.begin(), findings.end(), [](const json& a, const json& b) {
    auto rank = [](const json& f) {
      return model::parse_severity(f.value("severity", "info")).value_or(model::Severity::info);
    };
    return static_cast<int>(rank(a)) > static_cast<int>(rank(b));
  });
  json counts = {{"error", 0}, {"warning", 0}, {"info", 0}};
  for (const auto& f : findings)
    counts[f.value("severity", "info")] = counts[f.value("severity", "info")].get<int>() + 1;
  doc["files"] = std::move(files);
  doc["summary"] = {{"files", sources.size()},
                    {"statements", statements},
                    {"findings", findings.size()},
                    {"by_severity", counts},
                    {"suppressed_inline", suppressed_inline},
                    {"hidden_by_baseline", baselined.size()}};
  doc["findings"] = std::move(findings);
  doc["baselined"] = std::move(baselined);
  return doc;
}

core::Expected<std::set<std::string>> load_lint_baseline(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::make_error(core::ErrorKind::input, fmt::format("cannot read baseline {}", path));
  json doc = json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("findings") || !doc["findings"].is_array()) {
    return core::make_error(core::ErrorKind::input,
                            fmt::format("baseline {}: expected a JSON object with a \"findings\" array (written by "
                                        "dbvet lint --update-baseline)",
                                        path));
  }
  std::set<std::string> fingerprints;
  for (const auto& f : doc["findings"]) {
    if (f.is_object() && f.contains("fingerprint") && f["fingerprint"].is_string()) {
      fingerprints.insert(f["fingerprint"].get<std::string>());
    }
  }
  return fingerprints;
}

json lint_baseline(const json& doc) {
  json out = core::json_envelope("lint-baseline");
  json entries = json::array();
  for (const char* key : {"findings", "baselined"}) {
    for (const auto& f : doc.value(key, json::array())) {
      entries.push_back({{"fingerprint", f.value("fingerprint", "")},
                         {"rule", f.value("rule", "")},
                         {"file", f.value("file", "")},
                         {"statement", f.value("statement", "")}});
    }
  }
  std::stable_sort(entries.begin(), entries.end(), [](const json& a, const json& b) {
    return std::tie(a["file"].get_ref<const std::string&>(), a["rule"].get_ref<const std::string&>(),
                    a["fingerprint"].get_ref<const std::string&>()) <
           std::tie(b["file"].get_ref<const std::string&>(), b["rule"].get_ref<const std::string&>(),
                    b["fingerprint"].get_ref<const std::string&>());
  });
  out["findings"] = std::move(entries);
  return out;
}

int lint_exit_code(const json& doc, std::optional<model::Severity> fail_on) {
  if (!fail_on) return 0;
  for (const auto& f : doc.value("findings", json::array())) {
    auto severity = model::parse_severity(f.value("severity", "info"));
    if (severity && static_cast<int>(*severity) >= static_cast<int>(*fail_on)) return 1;
  }
  return 0;
}

}  // namespace dbvet::pipeline
