#include "analyzer/report/ci_issues.hpp"

#include <cstdint>

#include "fmt/format.h"

namespace dbvet::report {
namespace {

using nlohmann::json;

std::string text_of(const json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// FNV-1a: report/ may include only the model, so sql::hash64 is out of reach; any stable 64-bit
// hash serves a fingerprint that never leaves the output.
std::string stable_hash(const std::vector<std::string>& parts) {
  uint64_t hash = 14695981039346656037ull;
  for (const auto& part : parts) {
    for (unsigned char c : part) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
    hash ^= 0x1f;  // a separator, so that ("ab", "c") and ("a", "bc") differ
    hash *= 1099511628211ull;
  }
  return fmt::format("{:016x}", hash);
}

std::vector<std::string> fingerprint_parts(const CiIssue& issue) {
  std::vector<std::string> parts{issue.rule};
  for (const auto& [kind, name] : issue.objects) parts.push_back(kind + "=" + name);
  return parts;
}

void add_audit_findings(const json& doc, std::vector<CiIssue>& issues) {
  const json& input = doc.contains("input") ? doc["input"] : json::object();
  // A log names its file; a finding on a query was found in it (line numbers are not kept).
  std::string log_file = text_of(input, "kind") == "log" ? text_of(input, "file") : std::string();
  for (const auto& finding : doc.value("findings", json::array())) {
    CiIssue issue;
    issue.rule = text_of(finding, "rule");
    issue.severity = text_of(finding, "severity");
    issue.message = text_of(finding, "message");
    issue.help_path = "docs/rules/" + issue.rule + ".md";
    std::string query = text_of(finding, "query_id");
    issue.file = text_of(finding, "file");
    if (issue.file.empty() && !query.empty()) issue.file = log_file;
    issue.line = finding.value("line", 0);
    const json& evidence = finding.contains("evidence") ? finding["evidence"] : json::object();
    if (auto table = text_of(finding, "table"); !table.empty()) issue.objects.emplace_back("table", table);
    if (auto index = text_of(evidence, "index"); !index.empty()) issue.objects.emplace_back("index", index);
    if (auto column = text_of(evidence, "column"); !column.empty()) issue.objects.emplace_back("column", column);
    if (!query.empty()) issue.objects.emplace_back("query", query);
    issue.properties["evidence"] = evidence;
    // lint's findings carry their own identity (rule, file, normalized statement): two findings of
    // one rule on one table in different statements stay two.
    issue.fingerprint = text_of(finding, "fingerprint");
    if (issue.fingerprint.empty()) issue.fingerprint = stable_hash(fingerprint_parts(issue));
    issues.push_back(std::move(issue));
  }
}

void add_recommendations(const json& doc, std::vector<CiIssue>& issues) {
  for (const auto& recommendation : doc.value("recommendations", json::array())) {
    CiIssue issue;
    std::string type = text_of(recommendation, "type");
    for (auto& c : type) c = c == '_' ? '-' : c;
    issue.rule = "advice-" + type;
    issue.severity = "info";
    std::string ddl = text_of(recommendation, "ddl");
    std::string rationale = text_of(recommendation, "rationale");
    issue.message = ddl.empty() ? rationale : rationale.empty() ? ddl : ddl + ": " + rationale;
    if (issue.message.empty()) issue.message = issue.rule;
    issue.help_path = "docs/commands/advise.md";
    std::string table = text_of(recommendation, "table");
    if (!table.empty()) issue.objects.emplace_back("table", table);
    const json& details = recommendation.contains("details") ? recommendation["details"] : json::object();
    std::string columns;
    for (const auto& column : recommendation.value("columns", json::array())) {
      if (column.is_string()) columns += (columns.empty() ? "" : ",") + column.get<std::string>();
    }
    if (auto index = text_of(details, "index"); !index.empty()) {
      issue.objects.emplace_back("index", index);
    } else if (!columns.empty()) {
      issue.objects.emplace_back("columns", columns);
    }
    for (const auto& query : recommendation.value("queries", json::array())) {
      if (query.is_string()) issue.objects.emplace_back("query", query.get<std::string>());
    }
    issue.properties["recommendation"] = recommendation;
    issue.fingerprint = stable_hash(fingerprint_parts(issue));
    issues.push_back(std::move(issue));
  }
}

void add_health_findings(const json& doc, std::vector<CiIssue>& issues) {
  const json targets = doc.value("targets", json::array());
  for (const auto& target : targets) {
    std::string name = text_of(target, "name");
    if (name.empty()) name = text_of(target, "url");
    for (const auto& finding : target.value("findings", json::array())) {
      CiIssue issue;
      issue.rule = text_of(finding, "check");
      issue.severity = text_of(finding, "severity");
      issue.message = text_of(finding, "message");
      issue.help_path = "docs/commands/health.md";
      issue.objects.emplace_back("target", name);
      if (auto object = text_of(finding, "object"); !object.empty()) issue.objects.emplace_back("object", object);
      for (const char* key : {"value", "threshold"}) {
        if (finding.contains(key) && !finding[key].is_null()) issue.properties[key] = finding[key];
      }
      // The target is part of the identity only among several: one target's name is often its
      // URL, whose path differs between machines.
      auto parts = fingerprint_parts(issue);
      if (targets.size() < 2) parts.erase(parts.begin() + 1);
      issue.fingerprint = stable_hash(parts);
      issues.push_back(std::move(issue));
    }
  }
}

// A broken assertion of a plan contract, at its line of the contracts file; a contract whose
// statement failed, at the contract's line.
void add_check_failures(const json& doc, std::vector<CiIssue>& issues) {
  const std::string file = text_of(doc, "contracts_file");
  const std::string engine = doc.contains("target") ? text_of(doc["target"], "engine") : std::string();
  for (const auto& contract : doc.value("contracts", json::array())) {
    const std::string name = text_of(contract, "name");
    auto add = [&](const std::string& assertion, int line, const std::string& message, json properties) {
      CiIssue issue;
      issue.rule = "contract-" + assertion;
      for (auto& c : issue.rule) c = c == '_' ? '-' : c;
      issue.severity = "error";
      issue.message = message;  // the contract and the engine are its objects (ci_where)
      issue.help_path = "docs/commands/check.md";
      issue.file = file;
      issue.line = line;
      issue.objects.emplace_back("contract", name);
      issue.objects.emplace_back("engine", engine);
      issue.properties = std::move(properties);
      issue.fingerprint = stable_hash(fingerprint_parts(issue));
      issues.push_back(std::move(issue));
    };
    if (text_of(contract, "status") == "error") {
      add("query", contract.value("line", 0), "the statement failed: " + text_of(contract, "error"),
          {{"sql", contract.contains("query") ? text_of(contract["query"], "sql") : std::string()}});
      continue;
    }
    for (const auto& assertion : contract.value("assertions", json::array())) {
      if (text_of(assertion, "status") != "fail") continue;
      json properties = {{"expected", text_of(assertion, "expected")}, {"actual", text_of(assertion, "actual")}};
      if (text_of(assertion, "assertion") == "plan_unchanged" && contract.contains("plan_diff")) {
        properties["plan_diff"] = contract["plan_diff"];
      }
      add(text_of(assertion, "assertion"), assertion.value("line", 0), text_of(assertion, "message"), properties);
    }
  }
}

}  // namespace

std::vector<CiIssue> ci_issues(const json& doc) {
  std::vector<CiIssue> issues;
  if (!doc.is_object()) return issues;
  std::string kind = text_of(doc, "kind");
  if (kind == "audit" || kind == "advise") {
    add_audit_findings(doc, issues);
    add_recommendations(doc, issues);
  } else if (kind == "lint") {
    add_audit_findings(doc, issues);
  } else if (kind == "health") {
    add_health_findings(doc, issues);
  } else if (kind == "check") {
    add_check_failures(doc, issues);
  }
  return issues;
}

std::string ci_where(const CiIssue& issue) {
  std::string where;
  for (const auto& [kind, name] : issue.objects) where += (where.empty() ? "" : ", ") + kind + " " + name;
  return where;
}

}  // namespace dbvet::report
