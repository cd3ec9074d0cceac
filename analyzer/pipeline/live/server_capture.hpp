#pragma once
// Live captures from the statistics a server keeps per normalized statement:
//   pg_stat_statements (PostgreSQL)  and  performance_schema.events_statements_summary_by_digest
//   (MariaDB/MySQL).
// Without a duration: one snapshot, everything since the statistics were last reset. With one: two
// snapshots `duration` apart, subtracted, so only the statements run in between count.

#include <chrono>

#include "analyzer/core/clock.hpp"
#include "analyzer/core/expected.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/pipeline/live/server_statements.hpp"

namespace dbvet::pipeline::live {

struct ServerCaptureOptions {
  std::chrono::milliseconds duration{0};  // 0: one snapshot
  bool all_databases = false;             // else only the database the target names
  sql::FingerprintMode mode = sql::FingerprintMode::canonical;
  core::Wait wait = core::sleep_wait;  // waits out `duration` between the two snapshots
};

// The rows of one snapshot (dbvet's own statements left out).
core::Expected<std::vector<ServerStatement>> read_pg_stat_statements(engines::Connection& connection,
                                                                     bool all_databases);
core::Expected<std::vector<ServerStatement>> read_performance_schema(engines::Connection& connection,
                                                                     bool all_databases);

core::Expected<LiveCapture> capture_pg_stat_statements(engines::Connection& connection,
                                                       const ServerCaptureOptions& options);
core::Expected<LiveCapture> capture_performance_schema(engines::Connection& connection,
                                                       const ServerCaptureOptions& options);

}  // namespace dbvet::pipeline::live
