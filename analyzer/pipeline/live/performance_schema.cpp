// performance_schema.events_statements_summary_by_digest: one row per (schema, digest). Timers in
// picoseconds. MariaDB 10.11 keeps count, sum/min/max of time, lock time, rows and first/last seen;
// MySQL 8 adds QUANTILE_95/99 (read when the columns exist). No stddev in either.
#include <string>

#include "analyzer/pipeline/live/server_capture.hpp"
#include "fmt/format.h"

namespace dbvet::pipeline::live {
namespace {

std::optional<double> number(const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::nullopt;
  try {
    return std::stod(*text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

constexpr double kPicosecond = 1e-12;

// The session set-up every dbvet connection sends (engines/mysql), as DIGEST_TEXT reads once
// unquoted and upper-cased. The digest text drops comments, so these cannot carry the capture
// marker: they are left out by their text (the same statements sent by others go with them).
constexpr const char* kSessionSetup =
    "'SET SESSION MAX_STATEMENT_TIME = ?', 'SET SESSION MAX_EXECUTION_TIME = ?', "
    "'SET SESSION TRANSACTION READ ONLY'";

}  // namespace

core::Expected<std::vector<ServerStatement>> read_performance_schema(engines::Connection& connection,
                                                                     bool all_databases) {
  // The digest text drops comments, so dbvet's own statements are known by the schema they read.
  auto setup = connection.execute(fmt::format(
      "{} SELECT @@performance_schema, DATABASE(), (SELECT count(*) FROM information_schema.COLUMNS WHERE "
      "TABLE_SCHEMA = 'performance_schema' AND TABLE_NAME = 'events_statements_summary_by_digest' AND COLUMN_NAME = "
      "'QUANTILE_95')",
      kCaptureMarker));
  if (!setup) return setup.error();
  if (setup->rows.empty() || setup->rows[0][0].value_or("0") != "1") {
    return core::make_error(core::ErrorKind::unsupported,
                            fmt::format("{}: performance_schema is off (start the server with performance_schema=ON)",
                                        connection.describe()));
  }
  const bool quantiles = setup->rows[0][2].value_or("0") != "0";
  const std::string sql = fmt::format(
      "{} SELECT coalesce(SCHEMA_NAME, ''), coalesce(DIGEST, ''), DIGEST_TEXT, COUNT_STAR, SUM_TIMER_WAIT, "
      "MIN_TIMER_WAIT, MAX_TIMER_WAIT, SUM_LOCK_TIME, SUM_ROWS_SENT, SUM_ROWS_EXAMINED, SUM_ROWS_AFFECTED, "
      "UNIX_TIMESTAMP(FIRST_SEEN), UNIX_TIMESTAMP(LAST_SEEN), {} "
      "FROM performance_schema.events_statements_summary_by_digest "
      "WHERE DIGEST_TEXT IS NOT NULL AND DIGEST_TEXT NOT LIKE '%performance_schema%' "
      "AND UPPER(REPLACE(TRIM(DIGEST_TEXT), '`', '')) NOT IN ({}) {}",
      kCaptureMarker, quantiles ? "QUANTILE_95, QUANTILE_99" : "NULL, NULL", kSessionSetup,
      all_databases ? "" : "AND SCHEMA_NAME = DATABASE()");
  engines::ExecuteOptions execute_options;
  execute_options.keep_rows = 1000000;
  auto result = connection.execute(sql, execute_options);
  if (!result) return result.error();
  std::vector<ServerStatement> rows;
  rows.reserve(result->rows.size());
  for (const auto& r : result->rows) {
    if (r.size() < 15) continue;
    ServerStatement s;
    s.database = r[0].value_or("");
    s.server_id = r[1].value_or("");
    s.key = s.database + "/" + s.server_id;
    s.text = r[2].value_or("");
    s.calls = static_cast<uint64_t>(number(r[3]).value_or(0));
    s.total_s = number(r[4]).value_or(0) * kPicosecond;
    if (auto v = number(r[5])) s.min_s = *v * kPicosecond;
    if (auto v = number(r[6])) s.max_s = *v * kPicosecond;
    if (auto v = number(r[7])) s.lock_s = *v * kPicosecond;
    s.rows_sent = number(r[8]);
    s.rows_examined = number(r[9]);
    s.rows_affected = number(r[10]);
    if (auto v = number(r[11])) s.first_seen = static_cast<int64_t>(*v);
    if (auto v = number(r[12])) s.last_seen = static_cast<int64_t>(*v);
    if (auto v = number(r[13])) s.p95_s = *v * kPicosecond;
    if (auto v = number(r[14])) s.p99_s = *v * kPicosecond;
    rows.push_back(std::move(s));
  }
  return rows;
}

}  // namespace dbvet::pipeline::live
