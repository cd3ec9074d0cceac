#pragma once
// Lints SQL text in a test: the findings of one rule, as `dbvet lint` reports them (after the
// file-level reading, suppressions and line numbers).

#include <string>
#include <vector>

#include "analyzer/pipeline/lint.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::testing {

inline std::vector<nlohmann::json> lint_findings(const std::string& sql, const std::string& rule,
                                                 pipeline::LintOptions options = {}) {
  options.only_rules = {rule};
  auto doc = pipeline::run_lint({{"m.sql", sql}}, options);
  return doc["findings"].get<std::vector<nlohmann::json>>();
}

inline pipeline::LintOptions postgres_options(int version) {
  pipeline::LintOptions options;
  options.pg_version = version;
  return options;
}

inline pipeline::LintOptions mysql_options(int major = 10, int minor = 11) {
  pipeline::LintOptions options;
  options.engine = "mariadb";
  options.mysql_major = major;
  options.mysql_minor = minor;
  return options;
}

}  // namespace dbvet::testing
