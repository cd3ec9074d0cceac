#pragma once
// What a PostgreSQL log says besides its statements, aggregated the way pgBadger reports it:
// checkpoints, temporary files, locks, autovacuum and autoanalyze per table, connections,
// sessions and errors. Like the query classes, every aggregate is exact and independent of the
// order of adds and merges (integer sums, ordered maps, top lists under a total order), so -j N
// and merged states give the same result as one sequential read. Memory grows with the number of
// tables, lock types, databases, users, hosts and distinct error messages, never with the log.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/digest/digest.hpp"
#include "analyzer/model/server_event.hpp"

namespace dbvet::digest {

struct Checkpoints {
  uint64_t count = 0;   // "checkpoint complete" / "restartpoint complete"
  int64_t buffers = 0;  // written
  Metric write_us, sync_us, total_us;
  std::map<std::string, uint64_t> by_cause;                  // from "checkpoint starting: CAUSE"
  int64_t wal_added = 0, wal_removed = 0, wal_recycled = 0;  // WAL files, as pgBadger sums them
  Metric warning_distance_us;  // "checkpoints are occurring too frequently (N seconds apart)"
};

struct TempFile {
  int64_t size = 0;
  std::optional<int64_t> timestamp;
  std::string query, database, user;
};

struct TempFiles {
  static constexpr size_t kTop = 10;
  uint64_t count = 0;
  int64_t total = 0, max = 0;
  std::vector<TempFile> top;  // the largest, ordered by size, then time, then text
};

struct LockType {
  uint64_t waits = 0, acquired = 0;
  int64_t acquired_wait_us = 0;             // summed over the acquired ones: the whole wait of each
  std::map<std::string, uint64_t> objects;  // acquired, by what they were on (relation, tuple...)
};

struct Locks {
  uint64_t waits = 0, acquired = 0, deadlocks = 0;
  Metric acquired_wait_us;
  std::map<std::string, LockType> by_type;
};

struct TableMaintenance {
  uint64_t count = 0;
  int64_t pages_removed = 0, tuples_removed = 0;
};

struct Connections {
  uint64_t count = 0;
  std::map<std::string, uint64_t> by_database, by_user, by_host;
};

struct SessionGroup {
  uint64_t count = 0;
  int64_t total_us = 0;
};

struct Sessions {
  Metric time_us;
  std::map<std::string, SessionGroup> by_database, by_user, by_host;
};

struct ErrorMessage {
  uint64_t count = 0;
  std::string severity;  // the first met, by severity name order
  std::string example;   // the smallest message text of the class
};

struct Errors {
  uint64_t count = 0;
  std::map<std::string, uint64_t> by_severity;   // WARNING, ERROR, FATAL, PANIC
  std::map<std::string, uint64_t> by_class;      // SQLSTATE class (two characters), when logged
  std::map<std::string, ErrorMessage> messages;  // by normalized message
};

class ServerActivity {
 public:
  void add(const model::ServerEvent& event);
  void merge(const ServerActivity& other);
  bool empty() const;

  Checkpoints checkpoints;
  TempFiles temp_files;
  Locks locks;
  uint64_t autovacuum_count = 0, autoanalyze_count = 0;
  std::map<std::string, TableMaintenance> autovacuum, autoanalyze;  // by table
  Connections connections;
  Sessions sessions;
  Errors errors;

 private:
  void add_error(const model::ServerEvent& event);
};

// An error message with its values taken out, as pgBadger groups them: quoted names and values
// become "..." and '...', numbers "...", the trailing " at character N" goes.
std::string normalize_error(std::string_view message);

// Whether a ranks before b among the largest temporary files.
bool larger_temp_file(const TempFile& a, const TempFile& b);

}  // namespace dbvet::digest
