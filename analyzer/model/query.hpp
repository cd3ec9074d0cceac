#pragma once
// One executed statement as a capture source saw it. Digest turns streams of these into classes.

#include <cstdint>
#include <optional>
#include <string>

namespace dbvet::model {

struct QueryEvent {
  std::string sql;                    // the statement with its literals
  double query_time_s = 0;            // seconds
  std::optional<double> lock_time_s;
  std::optional<double> rows_sent;
  std::optional<double> rows_examined;
  std::optional<double> rows_affected;
  std::optional<double> bytes_sent;
  std::optional<int64_t> timestamp;   // Unix seconds, when the source gives one
  std::string database;
  std::string user;
  std::string host;
  uint64_t byte_offset = 0;           // where the record starts in its input, for error messages
  std::string plan_text;              // the plan logged with the statement (auto_explain), if any
  std::string prepared_sql;           // the statement as prepared ($1...) when sql has its parameters
};

}  // namespace dbvet::model
