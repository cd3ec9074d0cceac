#pragma once
// Live capture from the server's own log file: the slow query log a MariaDB/MySQL server names in
// slow_query_log_file, or the log PostgreSQL's logging collector writes (pg_current_logfile()),
// read where dbvet runs (the server on this machine, or its log directory mounted here). The
// events are digested exactly as `dbvet digest` digests the file, with the server's own
// log_line_prefix. Without a duration the whole file; with one, only what the server appends to
// it during the interval.

#include <chrono>
#include <cstdint>
#include <string>

#include "analyzer/capture/log_formats.hpp"
#include "analyzer/core/clock.hpp"
#include "analyzer/core/expected.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/pipeline/live/server_statements.hpp"

namespace dbvet::pipeline::live {

struct ServerLogOptions {
  std::chrono::milliseconds duration{0};  // 0: the whole file
  bool all_databases = false;             // else only events of the target's database (and those naming none)
  sql::FingerprintMode mode = sql::FingerprintMode::canonical;
  // The log file, when the server cannot name it (PostgreSQL without the logging collector, whose
  // stderr goes where the server was started) or names it as seen from elsewhere. Empty: asked.
  std::string log_file;
  core::Wait wait = core::sleep_wait;  // waits out `duration` between the two sizes of the log
};

// Where the server writes its log, as the server tells it.
struct ServerLogLocation {
  std::string path;             // absolute
  std::string log_line_prefix;  // PostgreSQL's setting; empty for MariaDB/MySQL
  std::string database;         // the target's current database
  std::string setting;          // what named the path, for messages ("slow_query_log_file", ...)
};

core::Expected<ServerLogLocation> locate_server_log(engines::Connection& connection, const std::string& log_file);

// Opens `path` for reading, or says why it cannot be read here (one line naming the path).
core::Status check_log_readable(const std::string& path, const std::string& setting);

core::Expected<LiveCapture> capture_server_log(engines::Connection& connection, const ServerLogOptions& options);

}  // namespace dbvet::pipeline::live
