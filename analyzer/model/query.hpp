#pragma once
// One executed statement as a capture source saw it. Digest turns streams of these into classes.

#include <cstdint>
#include <optional>
#include <string>

namespace dbvet::model {

// The attributes of a slow log record beyond the five every server writes (Percona Server and
// MariaDB's log_slow_verbosity), as pt-query-digest reports them: numbers, and Yes/No flags.
// A fixed set, one slot each: an event carries them without allocating.
enum class ExtraNumber : uint8_t {
  tmp_tables,
  tmp_disk_tables,
  tmp_table_sizes,
  merge_passes,
  innodb_io_r_ops,
  innodb_io_r_bytes,
  innodb_io_r_wait,  // seconds
  innodb_rec_lock_wait,
  innodb_queue_wait,
  innodb_pages_distinct,
  rows_read,  // Percona Server 5.1's (pt lists it after Rows_affected)
  count
};
inline constexpr size_t kExtraNumbers = static_cast<size_t>(ExtraNumber::count);
// The name in the log (and in pt-query-digest's report), and whether the value is a time.
inline constexpr const char* kExtraNumberNames[kExtraNumbers] = {
    "Tmp_tables",        "Tmp_disk_tables",       "Tmp_table_sizes",  "Merge_passes",
    "InnoDB_IO_r_ops",   "InnoDB_IO_r_bytes",     "InnoDB_IO_r_wait", "InnoDB_rec_lock_wait",
    "InnoDB_queue_wait", "InnoDB_pages_distinct", "Rows_read"};
inline constexpr bool kExtraNumberIsTime[kExtraNumbers] = {false, false, false, false, false, false,
                                                           true,  true,  true,  false, false};

enum class ExtraFlag : uint8_t {
  qc_hit,
  full_scan,
  full_join,
  tmp_table,
  tmp_table_on_disk,
  filesort,
  filesort_on_disk,
  priority_queue,
  killed,  // Percona Server's "Killed: N", the code of the kill: any but 0 counts as Yes
  count
};
inline constexpr size_t kExtraFlags = static_cast<size_t>(ExtraFlag::count);
inline constexpr const char* kExtraFlagNames[kExtraFlags] = {"QC_hit",           "Full_scan",         "Full_join",
                                                             "Tmp_table",        "Tmp_table_on_disk", "Filesort",
                                                             "Filesort_on_disk", "Priority_queue",    "Killed"};

struct ExtraAttributes {
  uint16_t numbers = 0;  // bit i: values[i] holds a value
  uint16_t flags = 0;    // bit i: the flag was logged
  uint16_t yes = 0;      // bit i: ... as Yes
  bool has_last_errno = false;
  int64_t last_errno = 0;  // Percona Server's Last_errno: the statement's error, 0 for none
  double values[kExtraNumbers] = {};
  bool any() const { return (numbers | flags) != 0 || has_last_errno; }
  void clear() {
    numbers = flags = yes = 0;
    has_last_errno = false;
  }
};

struct QueryEvent {
  std::string sql;          // the statement with its literals
  double query_time_s = 0;  // seconds
  std::optional<double> lock_time_s;
  std::optional<double> rows_sent;
  std::optional<double> rows_examined;
  std::optional<double> rows_affected;
  std::optional<double> bytes_sent;
  std::optional<int64_t> timestamp;  // Unix seconds, when the source gives one
  std::string database;
  std::string user;
  std::string host;
  uint64_t byte_offset = 0;  // where the record starts in its input, for error messages
  std::string plan_text;     // the plan logged with the statement (auto_explain), if any
  std::string prepared_sql;  // the statement as prepared ($1...) when sql has its parameters
  ExtraAttributes extra;     // MySQL slow logs: Tmp_tables, Full_scan... when logged
  // pg_stat_statements' queryid, when the log gives it (%Q in log_line_prefix, jsonlog's and
  // csvlog's query_id, PostgreSQL 14+ with compute_query_id); 0 when not (the server's own "none").
  int64_t query_id = 0;
};

}  // namespace dbvet::model
