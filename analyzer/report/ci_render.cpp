#include "analyzer/report/ci_render.hpp"

#include <map>
#include <set>

#include "analyzer/core/json_envelope.hpp"
#include "analyzer/report/ci_issues.hpp"
#include "analyzer/util/escape.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

std::string sarif_level(const std::string& severity) {
  if (severity == "error") return "error";
  if (severity == "warning") return "warning";
  return "note";
}

// A file path as a URI reference: absolute paths become file:// URIs, relative ones stay relative
// (code scanning resolves them against the repository root). RFC 3986 unreserved characters and
// '/' pass, the rest is percent-encoded.
std::string file_uri(const std::string& path) {
  std::string out = !path.empty() && path.front() == '/' ? "file://" : "";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string rule_summary(const CiIssue& issue, const RenderOptions& options) {
  if (auto found = options.rule_summaries.find(issue.rule); found != options.rule_summaries.end()) {
    return found->second;
  }
  if (issue.rule.rfind("advice-", 0) == 0) return "dbvet recommends: " + issue.rule.substr(7);
  return "dbvet check " + issue.rule;
}

json logical_locations(const CiIssue& issue) {
  json locations = json::array();
  std::string qualified;
  for (const auto& [kind, name] : issue.objects) {
    qualified += (qualified.empty() ? "" : "/") + name;
    locations.push_back({{"name", name}, {"fullyQualifiedName", qualified}, {"kind", kind}});
  }
  return locations;
}

}  // namespace

std::string render_sarif(const json& doc, const RenderOptions& options) {
  auto issues = ci_issues(doc);
  json rules = json::array();
  std::map<std::string, size_t> rule_index;
  json results = json::array();
  for (const auto& issue : issues) {
    auto [found, added] = rule_index.emplace(issue.rule, rules.size());
    if (added) {
      rules.push_back({{"id", issue.rule},
                       {"shortDescription", {{"text", rule_summary(issue, options)}}},
                       {"helpUri", std::string(kRepositoryBlobUrl) + issue.help_path}});
    }
    json location = json::object();
    // A physical location needs a region (the Multitool's SARIF2017): without a line the file
    // is named in the properties and the objects carry the location.
    json properties = issue.properties;
    if (!issue.file.empty() && issue.line > 0) {
      location["physicalLocation"] = {{"artifactLocation", {{"uri", file_uri(issue.file)}}},
                                      {"region", {{"startLine", issue.line}, {"endLine", issue.line}}}};
    } else if (!issue.file.empty()) {
      properties["input_file"] = issue.file;
    }
    if (!issue.objects.empty()) location["logicalLocations"] = logical_locations(issue);
    json result = {{"ruleId", issue.rule},
                   {"ruleIndex", found->second},
                   {"level", sarif_level(issue.severity)},
                   {"message", {{"text", issue.message}}},
                   {"partialFingerprints", {{"dbvetIssue/v1", issue.fingerprint}}}};
    if (!location.empty()) result["locations"] = json::array({location});
    if (!properties.empty()) result["properties"] = properties;
    results.push_back(std::move(result));
  }
  json driver = {
      {"name", "dbvet"}, {"informationUri", std::string(kRepositoryBlobUrl) + "README.md"}, {"rules", rules}};
  if (auto version = doc.find("dbvet_version"); version != doc.end() && version->is_string()) {
    driver["semanticVersion"] = *version;
  }
  json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::array({{{"tool", {{"driver", driver}}}, {"results", results}}})}};
  return core::json_text(sarif, 2) + "\n";
}

std::string render_audit_junit(const json& doc, const RenderOptions&) {
  // lint shares this renderer: its test cases are grouped under its own name, not audit's.
  const std::string command = doc.value("kind", std::string()) == "lint" ? "lint" : "audit";
  // Findings by rule, in the order of their first finding (most severe and costly first).
  std::vector<std::string> order;
  std::map<std::string, std::vector<CiIssue>> by_rule;
  for (auto& issue : ci_issues(doc)) {
    if (issue.rule.rfind("advice-", 0) == 0) continue;  // advice is not a failure
    if (by_rule[issue.rule].empty()) order.push_back(issue.rule);
    by_rule[issue.rule].push_back(std::move(issue));
  }
  std::string cases;
  size_t failures = 0;
  for (const auto& rule : order) {
    const auto& issues = by_rule[rule];
    std::string body;
    bool failed = false;
    for (const auto& issue : issues) {
      failed = failed || issue.severity == "warning" || issue.severity == "error";
      std::string where = ci_where(issue);
      if (!issue.file.empty()) where += (where.empty() ? "" : ", ") + std::string("in ") + issue.file;
      body += fmt::format("{} ({}): {}\n", issue.severity, where, issue.message);
    }
    std::string classname = rule.substr(0, rule.find('-'));  // the rule's category
    cases += fmt::format("    <testcase classname=\"{}.{}\" name=\"{}\"", command, util::escape_markup(classname),
                         util::escape_markup(rule));
    if (failed) {
      ++failures;
      std::string summary = issues.size() == 1
                                ? issues.front().message
                                : fmt::format("{} findings; the first: {}", issues.size(), issues.front().message);
      cases += fmt::format("><failure message=\"{}\" type=\"{}\">{}</failure></testcase>\n",
                           util::escape_markup(summary), util::escape_markup(rule), util::escape_markup(body));
    } else {
      cases += fmt::format("><system-out>{}</system-out></testcase>\n", util::escape_markup(body));
    }
  }
  size_t tests = order.size();
  if (order.empty()) {
    cases = fmt::format("    <testcase classname=\"{}\" name=\"findings\"/>\n", command);
    tests = 1;
  }
  std::string suite = "dbvet " + doc.value("kind", std::string("audit"));
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"{}\" tests=\"{}\" "
      "failures=\"{}\">\n{}  </testsuite>\n</testsuites>\n",
      util::escape_markup(suite), tests, failures, cases);
}

std::string render_health_junit(const json& doc, const RenderOptions&) {
  std::string suites;
  for (const auto& target : doc.value("targets", json::array())) {
    std::string name = target.value("name", std::string());
    if (name.empty()) name = target.value("url", std::string());
    // Findings of this target by check.
    std::map<std::string, std::vector<json>> by_check;
    for (const auto& finding : target.value("findings", json::array())) {
      by_check[finding.value("check", std::string())].push_back(finding);
    }
    std::string cases;
    size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    auto add_case = [&](const std::string& check, const std::string& status, const std::string& note) {
      ++tests;
      cases += fmt::format("    <testcase classname=\"health.{}\" name=\"{}\"", util::escape_markup(name),
                           util::escape_markup(check));
      std::string body;
      bool failed = false;
      const auto& findings = by_check[check];
      for (const auto& finding : findings) {
        std::string severity = finding.value("severity", std::string());
        failed = failed || severity == "warning" || severity == "error";
        body += fmt::format("{} ({} {}): {}\n", severity, name, finding.value("object", std::string()),
                            finding.value("message", std::string()));
      }
      if (status == "failed") {
        ++errors;
        cases += fmt::format("><error message=\"{}\"/></testcase>\n", util::escape_markup(check + " failed: " + note));
      } else if (status == "skipped") {
        ++skipped;
        cases += fmt::format("><skipped message=\"{}\"/></testcase>\n", util::escape_markup(note));
      } else if (failed) {
        ++failures;
        std::string first = findings.front().value("message", std::string());
        std::string summary =
            findings.size() == 1 ? first : fmt::format("{} findings; the first: {}", findings.size(), first);
        cases += fmt::format("><failure message=\"{}\" type=\"{}\">{}</failure></testcase>\n",
                             util::escape_markup(summary), util::escape_markup(check), util::escape_markup(body));
      } else if (!body.empty()) {
        cases += fmt::format("><system-out>{}</system-out></testcase>\n", util::escape_markup(body));
      } else {
        cases += "/>\n";
      }
    };
    std::set<std::string> run;
    for (const auto& check : target.value("checks", json::array())) {
      std::string id = check.value("id", std::string());
      run.insert(id);
      add_case(id, check.value("status", std::string()), check.value("note", std::string()));
    }
    // Findings of no listed check: a target that is down ("target-down").
    for (const auto& [check, findings] : by_check) {
      if (!run.count(check)) add_case(check, "findings", "");
    }
    suites += fmt::format(
        "  <testsuite name=\"dbvet health {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
        "skipped=\"{}\">\n{}  </testsuite>\n",
        util::escape_markup(name), tests, failures, errors, skipped, cases);
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n" + suites + "</testsuites>\n";
}

namespace {

// Workflow command escaping: the message ('%', CR, LF) and property values (also ':' and ',').
std::string escape_data(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_property(const std::string& text) {
  std::string out;
  for (char c : escape_data(text)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string render_github_annotations(const json& doc, const RenderOptions&) {
  std::string out;
  for (const auto& issue : ci_issues(doc)) {
    std::string command = issue.severity == "error" ? "error" : issue.severity == "warning" ? "warning" : "notice";
    std::string properties;
    if (!issue.file.empty()) properties += "file=" + escape_property(issue.file) + ",";
    if (issue.line > 0) properties += fmt::format("line={},", issue.line);
    properties += "title=" + escape_property(issue.rule);
    std::string where = ci_where(issue);
    out += fmt::format("::{} {}::{}{}\n", command, properties, where.empty() ? "" : escape_data(where) + ": ",
                       escape_data(issue.message));
  }
  return out;
}

namespace {

// GitLab's scale is info, minor, major, critical, blocker: an error (a broken contract, a target
// that is down) is what the merge request must not ignore, a warning the everyday finding, and
// advice a note. blocker and minor are left to teams that rank by their own rules.
std::string gitlab_severity(const std::string& severity) {
  if (severity == "error") return "critical";
  if (severity == "warning") return "major";
  return "info";
}

}  // namespace

std::string render_gitlab_code_quality(const json& doc, const RenderOptions&) {
  json issues = json::array();
  for (const auto& issue : ci_issues(doc)) {
    std::string where = ci_where(issue);
    // GitLab requires a path and a line: an issue of no file (schema, health) is placed at the
    // repository root, line 1, and its objects say where it is.
    json location = {{"path", issue.file.empty() ? std::string(".") : issue.file},
                     {"lines", {{"begin", issue.line > 0 ? issue.line : 1}}}};
    issues.push_back({{"type", "issue"},
                      {"check_name", issue.rule},
                      {"description", where.empty() ? issue.message : where + ": " + issue.message},
                      {"categories", json::array({"Performance"})},
                      {"severity", gitlab_severity(issue.severity)},
                      {"fingerprint", issue.fingerprint},
                      {"location", location}});
  }
  return core::json_text(issues, 2) + "\n";
}

}  // namespace dbvet::report
