#include "analyzer/engines/sqlite/sqlite_handle.hpp"

#include <filesystem>

#include "fmt/format.h"

namespace dbvet::engines::sqlite {

int SqliteDb::progress(void* state) {
  auto* s = static_cast<State*>(state);
  if (s->deadline && std::chrono::steady_clock::now() > *s->deadline) {
    s->timed_out = true;
    return 1;  // interrupts the statement with SQLITE_INTERRUPT
  }
  return 0;
}

core::Expected<SqliteDb> SqliteDb::open(const std::string& path, OpenMode mode, const std::string& target,
                                        std::chrono::milliseconds busy_timeout) {
  auto fail = [&](const std::string& why) {
    return core::make_error(core::ErrorKind::connection, fmt::format("cannot open {}: {}", target, why));
  };
  bool memory = path == ":memory:";
  if (!memory && mode != OpenMode::read_write_create) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      return fail(mode == OpenMode::read_only ? "no such file (a read-only session never creates one)"
                                              : "no such file");
    }
  }
  int flags = mode == OpenMode::read_only    ? SQLITE_OPEN_READONLY
              : mode == OpenMode::read_write ? SQLITE_OPEN_READWRITE
                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  SqliteDb db;
  db.state_ = std::make_unique<State>();
  db.state_->target = target;
  int rc = sqlite3_open_v2(path.c_str(), &db.state_->db, flags, nullptr);
  if (rc != SQLITE_OK) {
    return fail(db.state_->db ? sqlite3_errmsg(db.state_->db) : sqlite3_errstr(rc));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), static_cast<int>(busy_timeout.count()));
  sqlite3_progress_handler(db.get(), 1000, &SqliteDb::progress, db.state_.get());
  // Reading the schema proves the file is a database (open_v2 reads nothing).
  if (auto check = db.exec("SELECT count(*) FROM sqlite_master"); !check) {
    return fail(sqlite3_errmsg(db.get()));
  }
  if (mode == OpenMode::read_only) {
    if (auto query_only = db.exec("PRAGMA query_only = 1"); !query_only) return query_only.error();
  }
  if (mode != OpenMode::read_write_create) {
    // The handles of a read-only session (and the one that analyzes a write there, rolled back)
    // can reach no other file: no ATTACH (so no VACUUM INTO a new name either) and no extension
    // loading, whatever statement arrives. The library's default already refuses load_extension();
    // it is said here so that a build that enables it does not change that.
    sqlite3_limit(db.get(), SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  }
  return db;
}

core::Error SqliteDb::last_error(core::ErrorKind kind, int rc) const {
  if ((rc & 0xff) == SQLITE_INTERRUPT && state_->timed_out) {
    state_->timed_out = false;
    return core::make_error(core::ErrorKind::query,
                            fmt::format("{}: statement cancelled by the statement timeout", state_->target));
  }
  return core::make_error(kind, fmt::format("{}: {}", state_->target, sqlite3_errmsg(get())));
}

core::Expected<Statement> SqliteDb::prepare(std::string_view sql) const {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(get(), sql.data(), static_cast<int>(sql.size()), &raw, &tail);
  Statement stmt(raw);
  if (rc != SQLITE_OK) return last_error(core::ErrorKind::query, rc);
  if (!stmt) {
    return core::make_error(core::ErrorKind::query, fmt::format("{}: no statement to run", state_->target));
  }
  return stmt;
}

core::Status SqliteDb::exec(const std::string& sql) const {
  char* message = nullptr;
  int rc = sqlite3_exec(get(), sql.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // the same text is available from sqlite3_errmsg
  if (rc != SQLITE_OK) return last_error(core::ErrorKind::query, rc);
  return core::ok();
}

core::Expected<int> SqliteDb::step(sqlite3_stmt* stmt) const {
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) return rc;
  return last_error(core::ErrorKind::query, rc);
}

std::string column_string(sqlite3_stmt* stmt, int column) {
  const auto* text = sqlite3_column_text(stmt, column);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
}

}  // namespace dbvet::engines::sqlite
