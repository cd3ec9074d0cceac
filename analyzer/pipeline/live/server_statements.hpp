#pragma once
// What pg_stat_statements and performance_schema have in common: the server aggregates executions
// per normalized statement, so a capture reads rows of counters (a snapshot), optionally twice to
// subtract (the delta over an interval), and turns each row into a digest class fingerprinted by
// dbvet, so that the classes line up with those digested from logs.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/pipeline/digest_report.hpp"
#include "analyzer/pipeline/digest_runner.hpp"
#include "analyzer/sql/fingerprint.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::pipeline::live {

// One row of the server's statement statistics. Times in seconds.
struct ServerStatement {
  std::string key;        // identifies the row across snapshots (user, database, server id)
  std::string server_id;  // pg_stat_statements queryid, performance_schema DIGEST
  std::string text;       // the server's normalized text ($1 or ? for literals)
  std::string database, user;
  uint64_t calls = 0;
  double total_s = 0;
  std::optional<double> min_s, max_s;    // unknown for a delta of a row that existed before
  std::optional<double> sum_squares_s2;  // sum of squared times, when the server keeps a stddev
  std::optional<double> p95_s, p99_s;    // MySQL 8's QUANTILE_95/99
  std::optional<double> rows_sent, rows_examined, rows_affected, lock_s;  // sums
  std::optional<int64_t> first_seen, last_seen;                           // Unix seconds
};

// `after` minus `before`, row by row: rows without new calls disappear; a row whose counters went
// down (the statistics were reset in between) counts from zero.
std::vector<ServerStatement> subtract(const std::vector<ServerStatement>& after,
                                      const std::vector<ServerStatement>& before);

// A capture from a live source: the digest classes plus what only the server knows per class.
struct LiveCapture {
  pipeline::DigestResult result;
  struct ClassInfo {
    std::vector<std::string> server_ids;
    bool min_max_known = true, stddev_known = true;
    std::optional<double> p95_s, p99_s;
  };
  std::map<std::string, ClassInfo> server;  // by class id; empty for a workload capture
  // Rows that are not the workload's (see not_workload), counted in result.skipped: reason -> calls.
  std::map<std::string, uint64_t> left_out;
};

// Why a row of the server's statistics is no statement of the workload, to be audited or listed
// among the top queries; empty when it is one. EXPLAINs (dbvet's own and anyone's: planning them
// again fails), the foreign-key checks PostgreSQL runs itself (SELECT 1 FROM ONLY ... FOR KEY SHARE
// OF x), and digest texts the server cut short (performance_schema ends them with "...").
std::string not_workload(const std::string& text);

LiveCapture digest_server_statements(const std::vector<ServerStatement>& rows, sql::FingerprintMode mode,
                                     const std::string& format, const std::string& target);

// The digest JSON (kind "digest", input.format = the source) with what the source does not know set
// to null and each class's server ids under "server_ids".
nlohmann::json live_capture_to_json(const LiveCapture& capture, const pipeline::ReportOptions& options);

// Statements dbvet runs itself to read the statistics start with this comment, so that a capture
// can leave them out.
inline constexpr const char* kCaptureMarker = "/* dbvet capture */";

}  // namespace dbvet::pipeline::live
