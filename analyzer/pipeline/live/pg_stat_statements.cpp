// pg_stat_statements: one row per (user, database, top-level or not, queryid). Times in
// milliseconds; from version 1.8 (PostgreSQL 13) the execution times are *_exec_time, before that
// *_time. The view lives in the database where the extension was created.
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

// "1.10" -> 110, "1.8" -> 108.
int version_number(const std::string& version) {
  auto dot = version.find('.');
  try {
    return std::stoi(version.substr(0, dot)) * 100 +
           (dot == std::string::npos ? 0 : std::stoi(version.substr(dot + 1)));
  } catch (const std::exception&) {
    return 0;
  }
}

// What a dbvet session sends around its marked reads (libpqxx's read-only transactions, the
// version check at connect time). pg_stat_statements aggregates them with identical statements of
// the same role, so they are left out for the capturing role only.
constexpr const char* kSessionStatements =
    "'begin', 'begin read only', 'set transaction read only', 'commit', 'rollback', 'show server_version'";

}  // namespace

core::Expected<std::vector<ServerStatement>> read_pg_stat_statements(engines::Connection& connection,
                                                                     bool all_databases) {
  auto installed = connection.execute(
      fmt::format("{} SELECT extversion, current_database() FROM pg_extension WHERE extname = 'pg_stat_statements'",
                  kCaptureMarker));
  if (!installed) return installed.error();
  if (installed->rows.empty() || !installed->rows[0][0]) {
    return core::make_error(core::ErrorKind::unsupported,
                            fmt::format("{}: pg_stat_statements is not installed in this database (run CREATE "
                                        "EXTENSION pg_stat_statements; the server also needs "
                                        "shared_preload_libraries = 'pg_stat_statements')",
                                        connection.describe()));
  }
  const int version = version_number(*installed->rows[0][0]);
  const char* suffix = version >= 108 ? "_exec_time" : "_time";
  const std::string toplevel = version >= 109 ? "s.toplevel::text" : "'t'";
  const std::string sql = fmt::format(
      "{0} SELECT s.userid::text || '/' || s.dbid::text || '/' || {2} || '/' || coalesce(s.queryid::text, ''), "
      "coalesce(s.queryid::text, ''), s.query, coalesce(d.datname, ''), coalesce(r.rolname, ''), s.calls, "
      "s.total{1}, s.min{1}, s.max{1}, s.mean{1}, s.stddev{1}, s.rows "
      "FROM pg_stat_statements s LEFT JOIN pg_database d ON d.oid = s.dbid LEFT JOIN pg_roles r ON r.oid = s.userid "
      "WHERE s.query IS NOT NULL AND s.query NOT LIKE '/* dbvet capture */%' "
      "AND NOT (r.rolname = current_user AND lower(trim(trailing ';' from s.query)) IN ({4})) {3}",
      kCaptureMarker, suffix, toplevel, all_databases ? "" : "AND d.datname = current_database()", kSessionStatements);
  engines::ExecuteOptions execute_options;
  execute_options.keep_rows = 1000000;
  auto result = connection.execute(sql, execute_options);
  if (!result) return result.error();
  std::vector<ServerStatement> rows;
  rows.reserve(result->rows.size());
  for (const auto& r : result->rows) {
    if (r.size() < 12) continue;
    ServerStatement s;
    s.key = r[0].value_or("");
    s.server_id = r[1].value_or("");
    s.text = r[2].value_or("");
    s.database = r[3].value_or("");
    s.user = r[4].value_or("");
    s.calls = static_cast<uint64_t>(number(r[5]).value_or(0));
    s.total_s = number(r[6]).value_or(0) / 1e3;
    if (auto v = number(r[7])) s.min_s = *v / 1e3;
    if (auto v = number(r[8])) s.max_s = *v / 1e3;
    auto mean = number(r[9]), stddev = number(r[10]);
    if (mean && stddev) {  // population variance: sum of squares = n (sd^2 + mean^2)
      const double m = *mean / 1e3, sd = *stddev / 1e3;
      s.sum_squares_s2 = double(s.calls) * (sd * sd + m * m);
    }
    s.rows_sent = number(r[11]);  // rows returned or affected
    rows.push_back(std::move(s));
  }
  return rows;
}

}  // namespace dbvet::pipeline::live
