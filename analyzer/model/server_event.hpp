#pragma once
// One PostgreSQL log entry that is not a statement but says how the server fared: a checkpoint, a
// temporary file, a lock wait, an autovacuum, a connection, a session's end, an error. Capture
// emits these beside the QueryEvents; digest aggregates them (digest/server_activity.hpp).

#include <cstdint>
#include <optional>
#include <string>

namespace dbvet::model {

struct ServerEvent {
  enum class Kind : uint8_t {
    checkpoint_start,    // name: the cause (time, wal, requested, shutdown...)
    checkpoint,          // count: buffers written; write/sync/total_us; wal_added/removed/recycled
    checkpoint_warning,  // "checkpoints are occurring too frequently": duration_us: how far apart
    temp_file,           // count: bytes; text: the statement that created it (when logged)
    lock_wait,           // name: lock type, object: what it is on; duration_us: waited so far
    lock_acquired,       // as lock_wait; duration_us: the whole wait
    deadlock,            // an ERROR "deadlock detected"
    autovacuum,          // name: the table; pages/tuples removed when logged
    autoanalyze,         // name: the table
    connection,          // database, user, host of the connection authorized
    disconnection,       // duration_us: the session time; database, user, host from the message
    error,               // name: severity; sqlstate when the log gives it; text: the message
  };
  Kind kind = Kind::error;
  std::optional<int64_t> timestamp;  // Unix seconds
  std::string database, user, host;
  std::string name;
  std::string object;
  std::string sqlstate;
  std::string text;
  int64_t count = 0;
  int64_t duration_us = 0;
  int64_t write_us = 0, sync_us = 0, total_us = 0;
  int64_t wal_added = 0, wal_removed = 0, wal_recycled = 0;  // WAL files, of a checkpoint
  std::optional<int64_t> pages_removed, tuples_removed;
};

}  // namespace dbvet::model
