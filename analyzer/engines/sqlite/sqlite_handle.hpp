#pragma once
// Thin RAII over the sqlite3 C API: a database handle with a statement deadline (checked by a
// progress handler), prepared statements, and errors worded as one line naming the target.

#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/core/expected.hpp"

namespace dbvet::engines::sqlite {

struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

enum class OpenMode {
  read_only,         // SQLITE_OPEN_READONLY; the file must exist
  read_write,        // the file must exist (used to analyze a writing statement, always rolled back)
  read_write_create  // sessions that allow writes (gen into a new file)
};

class SqliteDb {
 public:
  // `target` is the redacted target used in messages ("sqlite:PATH").
  static core::Expected<SqliteDb> open(const std::string& path, OpenMode mode, const std::string& target,
                                       std::chrono::milliseconds busy_timeout);

  sqlite3* get() const { return state_->db; }
  const std::string& target() const { return state_->target; }

  core::Expected<Statement> prepare(std::string_view sql) const;
  // Runs statements that return no rows worth keeping (PRAGMA, SAVEPOINT, a script).
  core::Status exec(const std::string& sql) const;
  // One step; SQLITE_ROW or SQLITE_DONE, else an error naming the target (or the timeout).
  core::Expected<int> step(sqlite3_stmt* stmt) const;
  // The error for the handle's last failure, as "TARGET: message".
  core::Error last_error(core::ErrorKind kind, int rc) const;

  // Statements are interrupted once the deadline passes; nullopt = no deadline.
  void set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) { state_->deadline = deadline; }

 private:
  struct State {
    sqlite3* db = nullptr;
    std::string target;
    std::optional<std::chrono::steady_clock::time_point> deadline;
    bool timed_out = false;
    ~State() { sqlite3_close_v2(db); }
  };
  static int progress(void* state);
  std::unique_ptr<State> state_;
};

// Sets a deadline for the lifetime of a scope.
class DeadlineScope {
 public:
  DeadlineScope(SqliteDb& db, std::chrono::milliseconds timeout) : db_(db) {
    db_.set_deadline(std::chrono::steady_clock::now() + timeout);
  }
  ~DeadlineScope() { db_.set_deadline(std::nullopt); }
  DeadlineScope(const DeadlineScope&) = delete;
  DeadlineScope& operator=(const DeadlineScope&) = delete;

 private:
  SqliteDb& db_;
};

std::string column_string(sqlite3_stmt* stmt, int column);

}  // namespace dbvet::engines::sqlite
