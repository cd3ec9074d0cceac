#pragma once
// `dbvet lint`: SQL and migration files judged without a database. Each file is split into
// statements (their lines kept), each statement read once (analyzer/sql/migration.hpp), the query
// rules run on each DML statement as audit runs them on workload queries, the migration rules on
// every statement. Inline `-- dbvet:ignore rule-id` comments and a baseline file hide findings.
// The result is one canonical JSON document of kind "lint" (docs/json/lint.md).

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/model/finding.hpp"
#include "nlohmann/json.hpp"
#include "rules/rule_context.hpp"

namespace dbvet::pipeline {

struct LintSource {
  std::string name;  // the path as given, "<stdin>" for standard input
  std::string text;
};

struct LintOptions {
  std::string engine = "postgres";  // postgres, mysql or mariadb
  int pg_version = 15;
  int mysql_major = 10, mysql_minor = 11;
  rules::RuleConfig rule_config;
  std::set<std::string> only_rules;  // --rules: when not empty, only these run
  std::set<std::string> baseline;    // fingerprints of findings known and accepted
  // --assume-in-transaction: every file runs inside a transaction its migration tool opens.
  bool assume_in_transaction = false;
};

// Reads a file (or "-" for standard input, read by the caller) as a source; a runtime error naming
// the file when it cannot be read.
core::Expected<LintSource> read_lint_source(const std::string& path);

// The identity of a finding across runs: its rule, its file and its statement normalized
// (whitespace, case of keywords and literal values folded), never its line number, so that
// editing the lines above a known finding keeps it known. `occurrence` counts identical statements
// in the file (1 for the first): two copies of a statement are two findings, baselined apart.
std::string lint_fingerprint(const std::string& rule, const std::string& file, const std::string& statement,
                             int occurrence = 1);

nlohmann::json run_lint(const std::vector<LintSource>& sources, const LintOptions& options);

// The baseline file: {"kind": "lint-baseline", "findings": [{"fingerprint", "rule", "file", ...}]}.
core::Expected<std::set<std::string>> load_lint_baseline(const std::string& path);
// The baseline that accepts every finding of `doc` (the ones a baseline hid included).
nlohmann::json lint_baseline(const nlohmann::json& doc);

// 1 when a finding (not hidden) has `fail_on` severity or worse, else 0.
int lint_exit_code(const nlohmann::json& doc, std::optional<model::Severity> fail_on);

}  // namespace dbvet::pipeline
