#pragma once
// Capture for an audit without changing the target: the workload scripts run against the target's
// read-only session; reading statements are executed and timed, writing statements are only
// recorded (their plans are still examined).
//
// Kept apart from pipeline::live::capture_workload (`dbvet capture --workload`), which cannot serve
// the audit with the same behaviour without most of this file moving into it:
// - it executes writes (or refuses the script without --allow-writes); the audit records writes and
//   locking reads (FOR UPDATE/SHARE) unexecuted and skips BEGIN/COMMIT, which a read-only session
//   refuses;
// - it times a class's first, cold execution; the audit runs it once untimed first (server_s);
// - the audit needs the most executions per class within one script run (query-n-plus-one) and
//   the distinct statements with their literals (the median example): LiveCapture
//   (capture/live/server_statements.hpp, not this module's) has neither;
// - it cannot be cancelled between script runs;
// - its scripts' random streams differ (client id 1, an integer :scale, no choice for a single
//   script; the audit runs every script once first): the same seed would audit other statements.

#include <atomic>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/digest/digest.hpp"
#include "analyzer/engines/connection.hpp"

namespace dbvet::pipeline {

struct DryRunOptions {
  int transactions = 200;  // script runs, picked by weight
  uint64_t seed = 42;
  double scale = 1;
  // When set and true, the run stops before the next script run (an interrupt is unwinding).
  const std::atomic<bool>* cancelled = nullptr;
};

struct DryRun {
  digest::Digest digest;
  // Per class id: the most executions of that class within one script run (N+1 evidence).
  std::map<std::string, int> max_repeats_per_transaction;
  // Per class id: the distinct statements executed (literals included) with their time, the first
  // kMaxSamples of them, so that advice can look past the slowest one.
  static constexpr size_t kMaxSamples = 16;
  std::map<std::string, std::vector<std::pair<double, std::string>>> samples;
  // Per class id: the script and line of its first statement, where reports place its findings.
  std::map<std::string, std::pair<std::string, int>> first_statement;
  int transactions = 0;
  double elapsed_s = 0;  // wall time of the reads executed (timed runs)
  double server_s = 0;   // wall time of every execution, warm-ups included: the server's share
};

core::Expected<DryRun> dry_run_workloads(engines::Connection& connection, const std::vector<std::string>& specs,
                                         const DryRunOptions& options);

}  // namespace dbvet::pipeline
