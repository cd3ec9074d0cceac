#pragma once
// A check on an SQL engine: the read-only statements that gather its data and a pure evaluation.
// SqlSource remembers answers within one run, so checks that share a statement (SHOW GLOBAL STATUS)
// ask the server once.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/health/check.hpp"

namespace dbvet::health {

// Prefixed to the statements of the checks; the top-queries checks skip statements that carry it.
inline constexpr const char* kHealthMarker = "/* dbvet health */ ";

class SqlSource {
 public:
  explicit SqlSource(engines::Connection& connection) : connection_(connection) {}
  core::Expected<engines::ResultSummary> query(const std::string& sql);
  // Set once a statement lost the connection (the server went away or stopped answering): every
  // later check fails at once with the same error instead of waiting for its own timeout, and the
  // target is reported down.
  const std::optional<core::Error>& lost() const { return lost_; }

 private:
  engines::Connection& connection_;
  std::optional<core::Error> lost_;
  std::map<std::string, core::Expected<engines::ResultSummary>> cache_;
};

struct SqlCheck {
  std::string id;
  std::string description;
  std::function<core::Expected<CheckResult>(SqlSource&, const Thresholds&)> run;
};

// Adapts the common case: one statement, one pure evaluation.
using Evaluation = std::function<CheckResult(const engines::ResultSummary&, const Thresholds&)>;
SqlCheck single_query_check(std::string id, std::string description, std::string sql, Evaluation evaluate);

// Two statements (foreign keys and indexes, status and variables), one evaluation.
using TwoQueryEvaluation =
    std::function<CheckResult(const engines::ResultSummary&, const engines::ResultSummary&, const Thresholds&)>;
SqlCheck two_query_check(std::string id, std::string description, std::string first_sql, std::string second_sql,
                         TwoQueryEvaluation evaluate);

// dbvet_table_size_bytes and dbvet_table_rows{table} from rows with "schema" (optional), "table",
// "bytes" and "rows" (either optional): the same for every SQL engine, for the report's trends.
CheckResult evaluate_table_sizes(const engines::ResultSummary& rows, const Thresholds& thresholds);

std::vector<SqlCheck> postgres_checks();
std::vector<SqlCheck> mysql_checks();
std::vector<SqlCheck> sqlite_checks();

// Runs every check, recording each outcome; a failing check never stops the others.
void run_sql_checks(SqlSource& source, const std::vector<SqlCheck>& checks, const Thresholds& thresholds,
                    struct TargetHealth& target);

}  // namespace dbvet::health
