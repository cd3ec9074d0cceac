// Pure evaluations of the MariaDB/MySQL checks.
#include <algorithm>
#include <cctype>
#include <map>

#include "analyzer/health/index_logic.hpp"
#include "analyzer/health/mysql/checks.hpp"
#include "analyzer/health/rows.hpp"
#include "fmt/format.h"

namespace dbvet::health::mysql {
namespace {

using model::Severity;

std::map<std::string, std::string> lowered_map(const ResultSummary& result) {
  std::map<std::string, std::string> out;
  for (auto& [key, value] : key_values(result)) {
    std::string name = key;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    out[name] = value;
  }
  return out;
}

double value_of(const std::map<std::string, std::string>& values, const std::string& name) {
  auto it = values.find(name);
  return it == values.end() ? 0 : to_number(it->second).value_or(0);
}

std::string text_of(const std::map<std::string, std::string>& values, const std::string& name) {
  auto it = values.find(name);
  std::string text = it == values.end() ? "" : it->second;
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string qualified(const Rows& rows, size_t i, const char* column) {
  return rows.str(i, "schema").empty() ? rows.str(i, column) : rows.str(i, "schema") + "." + rows.str(i, column);
}

}  // namespace

double integer_type_max(const std::string& column_type) {
  std::string type = column_type;
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  bool is_unsigned = type.find("unsigned") != std::string::npos;
  auto starts = [&](const char* prefix) { return type.rfind(prefix, 0) == 0; };
  if (starts("tinyint")) return is_unsigned ? 255 : 127;
  if (starts("smallint")) return is_unsigned ? 65535 : 32767;
  if (starts("mediumint")) return is_unsigned ? 16777215 : 8388607;
  if (starts("int") || starts("integer")) return is_unsigned ? 4294967295.0 : 2147483647.0;
  if (starts("bigint")) return is_unsigned ? 18446744073709551615.0 : 9223372036854775807.0;
  return 0;
}

CheckResult evaluate_unused_indexes(const ResultSummary& result, const Thresholds&) {
  CheckResult out;
  Rows rows(result);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows.num(i, "non_unique", 1) == 0 || rows.num(i, "uses") > 0) continue;
    std::string index = rows.str(i, "index");
    out.findings.push_back({"mysql-unused-index", Severity::warning, qualified(rows, i, "table") + "." + index,
                            fmt::format("index {} on {} has not been used since the server started: drop it if no "
                                        "rare job needs it",
                                        index, qualified(rows, i, "table")),
                            0.0, std::nullopt});
  }
  out.metrics.push_back(
      gauge("dbvet_unused_indexes", "Indexes with (almost) no scans", static_cast<double>(out.findings.size())));
  return out;
}

CheckResult evaluate_redundant_indexes(const ResultSummary& result, const Thresholds&) {
  CheckResult out;
  Rows rows(result);
  std::vector<IndexDef> defs;
  for (size_t i = 0; i < rows.size(); ++i) {
    IndexDef def;
    def.table = qualified(rows, i, "table");
    def.name = rows.str(i, "index");
    def.method = rows.str(i, "method");
    def.columns = split_list(rows.str(i, "columns"), ',');
    def.unique = rows.num(i, "non_unique", 1) == 0;
    def.primary = def.name == "PRIMARY";
    defs.push_back(std::move(def));
  }
  for (const auto& redundant : find_redundant_indexes(defs)) {
    out.findings.push_back(
        {"mysql-redundant-index", Severity::warning, redundant.redundant.table + "." + redundant.redundant.name,
         fmt::format("index {} on {} is {} {}: drop it", redundant.redundant.name, redundant.redundant.table,
                     redundant.identical ? "a duplicate of" : "covered by", redundant.covering.name),
         std::nullopt, std::nullopt});
  }
  out.metrics.push_back(gauge("dbvet_duplicate_indexes", "Indexes made redundant by another index",
                              static_cast<double>(out.findings.size())));
  return out;
}

CheckResult evaluate_full_scans(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  double min_calls = thresholds.get("mysql.full_scan_min_executions");
  double count = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    double calls = rows.num(i, "calls");
    double no_index = rows.num(i, "no_index");
    if (no_index <= 0) continue;
    ++count;
    if (calls < min_calls) continue;
    out.findings.push_back(
        {"mysql-full-scan-statement", Severity::warning, rows.str(i, "digest"),
         fmt::format("statement ran {:.0f} times, {:.0f} of them without an index ({:.1f} s in total, {:.0f} rows "
                     "examined for {:.0f} sent): {}",
                     calls, no_index, rows.num(i, "total_seconds"), rows.num(i, "rows_examined"),
                     rows.num(i, "rows_sent"), rows.str(i, "query")),
         no_index, min_calls});
  }
  out.metrics.push_back(gauge("dbvet_full_scan_statements", "Statement digests that ran without an index", count));
  return out;
}

CheckResult evaluate_tmp_disk_tables(const ResultSummary& status, const Thresholds& thresholds) {
  CheckResult out;
  auto values = lowered_map(status);
  double disk = value_of(values, "created_tmp_disk_tables");
  double all = value_of(values, "created_tmp_tables");
  double ratio = all > 0 ? disk / all : 0;
  out.metrics.push_back(
      gauge("dbvet_tmp_disk_tables_ratio", "Share of internal temporary tables written to disk", ratio));
  double limit = thresholds.get("mysql.tmp_disk_ratio");
  if (disk >= thresholds.get("mysql.tmp_disk_min_tables") && ratio >= limit) {
    out.findings.push_back({"mysql-tmp-disk-tables", Severity::warning, "Created_tmp_disk_tables",
                            fmt::format("{} of internal temporary tables went to disk ({:.0f} of {:.0f}): look for "
                                        "GROUP BY/ORDER BY on unindexed columns, TEXT columns in sorts, or raise "
                                        "tmp_table_size",
                                        format_ratio(ratio), disk, all),
                            ratio, limit});
  }
  return out;
}

CheckResult evaluate_buffer_pool(const ResultSummary& status, const Thresholds& thresholds) {
  CheckResult out;
  auto values = lowered_map(status);
  double requests = value_of(values, "innodb_buffer_pool_read_requests");
  double reads = value_of(values, "innodb_buffer_pool_reads");
  double ratio = requests > 0 ? 1 - reads / requests : 1;
  out.metrics.push_back(gauge("dbvet_cache_hit_ratio", "Share of block or key lookups served from memory", ratio,
                              {{"cache", "buffer_pool"}}));
  double wanted = thresholds.get("mysql.buffer_pool_hit_ratio");
  if (requests >= 1000 && ratio < wanted) {
    out.findings.push_back({"mysql-buffer-pool-hit-ratio", Severity::warning, "innodb_buffer_pool",
                            fmt::format("InnoDB buffer pool hit ratio is {} (below {}): raise "
                                        "innodb_buffer_pool_size or cut what queries read",
                                        format_ratio(ratio), format_ratio(wanted)),
                            ratio, wanted});
  }
  return out;
}

CheckResult evaluate_connections(const ResultSummary& status, const ResultSummary& variables,
                                 const Thresholds& thresholds) {
  CheckResult out;
  auto values = lowered_map(status);
  auto settings = lowered_map(variables);
  double used = value_of(values, "threads_connected");
  double max = value_of(settings, "max_connections");
  out.metrics.push_back(gauge("dbvet_connections", "Client connections open", used));
  out.metrics.push_back(gauge("dbvet_connections_max", "Client connections allowed", max));
  if (max <= 0) return out;
  double ratio = used / max;
  double limit = thresholds.get("mysql.connections_ratio");
  if (ratio >= limit) {
    out.findings.push_back({"mysql-connections", ratio >= 0.95 ? Severity::error : Severity::warning, "max_connections",
                            fmt::format("{:.0f} of {:.0f} connections in use ({}); the peak since start was {:.0f}",
                                        used, max, format_ratio(ratio), value_of(values, "max_used_connections")),
                            ratio, limit});
  }
  double refused = value_of(values, "connection_errors_max_connections");
  if (refused > 0) {
    out.findings.push_back({"mysql-connections-refused", Severity::warning, "max_connections",
                            fmt::format("{:.0f} connections were refused because max_connections was reached", refused),
                            refused, 0.0});
  }
  return out;
}

CheckResult evaluate_auto_increment(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  double limit = thresholds.get("mysql.auto_increment_ratio");
  double worst = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    double max = integer_type_max(rows.str(i, "column_type"));
    auto next = rows.number(i, "auto_increment");
    if (max <= 0 || !next) continue;
    double ratio = (*next - 1) / max;
    worst = std::max(worst, ratio);
    if (ratio < limit) continue;
    std::string column = qualified(rows, i, "table") + "." + rows.str(i, "column");
    out.findings.push_back({"mysql-auto-increment-overflow", ratio >= 0.99 ? Severity::error : Severity::warning,
                            column,
                            fmt::format("AUTO_INCREMENT of {} ({}) has used {} of its range: widen the column "
                                        "before inserts fail",
                                        column, rows.str(i, "column_type"), format_ratio(ratio)),
                            ratio, limit});
  }
  out.metrics.push_back(
      gauge("dbvet_key_range_used_ratio", "Largest share of its range that a sequence or AUTO_INCREMENT used", worst));
  return out;
}

CheckResult evaluate_missing_primary_keys(const ResultSummary& result, const Thresholds&) {
  CheckResult out;
  Rows rows(result);
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string table = qualified(rows, i, "table");
    out.findings.push_back({"mysql-no-primary-key", Severity::warning, table,
                            fmt::format("table {} has no primary key: InnoDB clusters it on a hidden row id, row-based "
                                        "replication scans it for every changed row",
                                        table),
                            std::nullopt, std::nullopt});
  }
  out.metrics.push_back(
      gauge("dbvet_tables_without_primary_key", "Tables without a primary key", static_cast<double>(rows.size())));
  return out;
}

CheckResult evaluate_instrumentation(const ResultSummary& variables, const Thresholds&) {
  CheckResult out;
  auto settings = lowered_map(variables);
  bool slow_log = text_of(settings, "slow_query_log") == "on" || text_of(settings, "slow_query_log") == "1";
  bool perf = text_of(settings, "performance_schema") == "on" || text_of(settings, "performance_schema") == "1";
  out.metrics.push_back(gauge("dbvet_slow_log_enabled", "1 when the slow query log is on", slow_log));
  out.metrics.push_back(gauge("dbvet_performance_schema_enabled", "1 when performance_schema is on", perf));
  if (!slow_log) {
    out.findings.push_back({"mysql-slow-log-off", Severity::info, "slow_query_log",
                            "the slow query log is off: SET GLOBAL slow_query_log = ON (and long_query_time) so that "
                            "dbvet digest can rank the costly queries",
                            std::nullopt, std::nullopt});
  }
  if (!perf) {
    out.findings.push_back({"mysql-performance-schema-off", Severity::warning, "performance_schema",
                            "performance_schema is off: statement digests and index usage are unknown; set "
                            "performance_schema = ON in the server configuration",
                            std::nullopt, std::nullopt});
  }
  return out;
}

CheckResult evaluate_top_queries(const ResultSummary& result, const Thresholds& thresholds) {
  CheckResult out;
  Rows rows(result);
  auto limit = static_cast<size_t>(thresholds.get("top_queries"));
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    double calls = rows.num(i, "calls");
    double total = rows.num(i, "total_seconds");
    out.top_queries.push_back(
        {rows.str(i, "query"), calls, total, calls > 0 ? total / calls : 0, rows.num(i, "rows_sent")});
  }
  return out;
}

}  // namespace dbvet::health::mysql
