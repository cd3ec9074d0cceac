#pragma once
// Workload capture: runs pgbench-style scripts in one client on any engine, times every statement
// on the client (steady_clock around Connection::execute) and digests the executions, so each
// class has its count, percentiles and slowest example with its literals. `dbvet capture
// --workload` and `dbvet audit --workload` both use it.
// SQLite's statement profile hook (sqlite3_trace_v2 SQLITE_TRACE_PROFILE) is not used for the time:
// the unix VFS clock behind it counts whole milliseconds, so the sample's sub-millisecond statements
// would all read 0 ns (tried and measured 2026-12-03).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/pipeline/live/server_statements.hpp"
#include "analyzer/workload/script.hpp"

namespace dbvet::pipeline::live {

// A parsed script with its weight, as workload::load_script("file.sql@3") returns it.
using WorkloadFile = workload::Script;

struct WorkloadCaptureOptions {
  // Script runs (pgbench's transactions), and/or a time limit: the first reached ends the capture.
  // Neither set: 10 runs, pgbench's default.
  uint64_t transactions = 0;
  std::chrono::milliseconds duration{0};
  uint64_t seed = 1;
  double scale = 1;                            // :scale
  std::map<std::string, std::string> defines;  // -D name=value
  bool allow_writes = false;                   // else a script with a writing statement is refused before it starts
  bool sleep = true;                           // honour \sleep
  sql::FingerprintMode mode = sql::FingerprintMode::canonical;
  std::string database;  // recorded with each execution
  std::function<void(uint64_t runs_done)> progress;
};

// A usage error naming the first writing statement ("file:line: ... writes") unless writes are allowed.
core::Status check_workload_writes(const std::vector<WorkloadFile>& scripts, bool allow_writes);

// Checks every SQL command of the scripts before any runs: text that is not SQL is an input error
// (exit 3, "file:line: the statement does not parse: ..."), and in a read-only run a statement
// with a side effect a read-only session does not stop (INTO OUTFILE, COPY ... PROGRAM,
// pg_read_file, ATTACH, ...) is a usage error (exit 2, like the refusal of writes above: the run
// asked for something its mode forbids). `read_only` is false only when a write flag was given.
core::Status check_workload_statements(const std::vector<WorkloadFile>& scripts, core::Engine engine, bool read_only);

core::Expected<LiveCapture> capture_workload(engines::Connection& connection, const std::vector<WorkloadFile>& scripts,
                                             const WorkloadCaptureOptions& options);

}  // namespace dbvet::pipeline::live
