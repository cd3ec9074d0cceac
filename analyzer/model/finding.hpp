#pragma once
// What rules and advisors produce. The JSON contract of `dbvet audit` mirrors these fields.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dbvet::model {

enum class Severity { info, warning, error };
std::string severity_name(Severity severity);
// Parses "info", "warning", "error"; nullopt otherwise.
std::optional<Severity> parse_severity(const std::string& text);

struct Finding {
  std::string rule;  // stable id, e.g. "plan-full-scan-large-table"
  Severity severity = Severity::warning;
  std::string query_id;  // the class fingerprint id it concerns, empty for schema findings
  std::string table;
  std::string message;   // one sentence, what is wrong
  std::map<std::string, std::string> evidence;  // plan node, numbers, as name -> value
  double cost = 0;  // what it costs, for ranking (database seconds, or plan cost when nothing better)
  // The workload script and 1-based line of the query's first statement, when it ran from one.
  std::string file;
  int line = 0;
};

enum class RecommendationType { index, drop_index, cache, rewrite };
std::string recommendation_type_name(RecommendationType type);

struct Recommendation {
  RecommendationType type = RecommendationType::index;
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::string> include;
  std::string where;     // partial index predicate
  std::string method;    // btree, ...
  std::string ddl;       // engine-specific statement
  std::vector<std::string> queries;  // query ids served
  std::optional<double> cost_before;
  std::optional<double> cost_after;
  std::optional<double> improvement;  // fraction, 0.9 = 90% cheaper
  std::string verified;  // "hypopg", "sqlite-copy", "sandbox", "estimate"
  std::string rationale;
  std::map<std::string, std::string> details;  // cache: ttl, key, invalidate_on; rewrite: suggestion
};

}  // namespace dbvet::model
