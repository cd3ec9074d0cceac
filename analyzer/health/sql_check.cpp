#include "analyzer/health/sql_check.hpp"

#include <chrono>

#include "analyzer/health/rows.hpp"

namespace dbvet::health {

core::Expected<engines::ResultSummary> SqlSource::query(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end() && lost_) return *lost_;
  if (it == cache_.end()) {
    engines::ExecuteOptions options;
    options.keep_rows = 100000;
    // Marked so that the top-queries checks leave dbvet's own statements out (PRAGMAs take no comment).
    bool pragma = sql.rfind("PRAGMA", 0) == 0 || sql.rfind("SHOW", 0) == 0;
    it = cache_.emplace(sql, connection_.execute(pragma ? sql : std::string(kHealthMarker) + sql, options)).first;
    if (!it->second && it->second.error().kind == core::ErrorKind::connection) lost_ = it->second.error();
  }
  return it->second;
}

SqlCheck single_query_check(std::string id, std::string description, std::string sql, Evaluation evaluate) {
  SqlCheck check;
  check.id = std::move(id);
  check.description = std::move(description);
  check.run = [sql = std::move(sql), evaluate = std::move(evaluate)](
                  SqlSource& source, const Thresholds& thresholds) -> core::Expected<CheckResult> {
    auto rows = source.query(sql);
    if (!rows) return rows.error();
    return evaluate(*rows, thresholds);
  };
  return check;
}

SqlCheck two_query_check(std::string id, std::string description, std::string first_sql, std::string second_sql,
                         TwoQueryEvaluation evaluate) {
  SqlCheck check;
  check.id = std::move(id);
  check.description = std::move(description);
  check.run = [first_sql = std::move(first_sql), second_sql = std::move(second_sql), evaluate = std::move(evaluate)](
                  SqlSource& source, const Thresholds& thresholds) -> core::Expected<CheckResult> {
    auto first = source.query(first_sql);
    if (!first) return first.error();
    auto second = source.query(second_sql);
    if (!second) return second.error();
    return evaluate(*first, *second, thresholds);
  };
  return check;
}

CheckResult evaluate_table_sizes(const engines::ResultSummary& result, const Thresholds&) {
  CheckResult out;
  Rows rows(result);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string schema = rows.str(i, "schema");
    std::string table =
        schema.empty() || schema == "public" ? rows.str(i, "table") : schema + "." + rows.str(i, "table");
    if (auto bytes = rows.number(i, "bytes")) {
      out.metrics.push_back(gauge("dbvet_table_size_bytes", "Total size of the largest tables (data and indexes)",
                                  *bytes, {{"table", table}}));
    }
    if (auto count = rows.number(i, "rows")) {
      out.metrics.push_back(
          gauge("dbvet_table_rows", "Estimated rows of the largest tables", *count, {{"table", table}}));
    }
  }
  return out;
}

void run_sql_checks(SqlSource& source, const std::vector<SqlCheck>& checks, const Thresholds& thresholds,
                    TargetHealth& target) {
  for (const auto& check : checks) {
    auto start = std::chrono::steady_clock::now();
    auto result = check.run(source, thresholds);
    record_check(target, check.id, std::move(result),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

}  // namespace dbvet::health
