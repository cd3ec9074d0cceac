#pragma once
// What the CI formats (SARIF, JUnit, GitHub annotations) report, read once from a result document:
// audit and advise findings and recommendations, health findings, broken plan contracts. Each issue names its rule, the
// objects it is about and, where the result knows it, the input file and line, so that every CI
// format says the same what and where.

#include <string>
#include <utility>
#include <vector>

#include "nlohmann/json.hpp"

namespace dbvet::report {

struct CiIssue {
  std::string rule;      // a rule id (docs/rules/<id>.md), a health check id, or "advice-<type>"
  std::string severity;  // error, warning or info
  std::string message;
  std::string help_path;  // the page that explains the rule, relative to the repository root
  std::string file;       // the input file it was found in ("" when none: schema findings, health)
  int line = 0;           // 1-based line in `file`; 0 when unknown
  // What it is about, most specific last: ("table", "pets"), ("index", "idx_pets_owner"),
  // ("query", "e0e5a58ea8448dec"), ("target", "user-service"), ("object", "journal_mode").
  std::vector<std::pair<std::string, std::string>> objects;
  // Identity across runs: the rule, the objects and the query fingerprint, never timings or costs,
  // so that code scanning recognises the same issue in the next run.
  std::string fingerprint;
  nlohmann::json properties = nlohmann::json::object();  // the evidence, for readers of the SARIF
};

// The issues of an audit, advise or health document, in the document's order (an empty list for
// other kinds).
std::vector<CiIssue> ci_issues(const nlohmann::json& doc);

// "table pets, query e0e5a58ea8448dec": where an issue is, for one-line messages.
std::string ci_where(const CiIssue& issue);

}  // namespace dbvet::report
