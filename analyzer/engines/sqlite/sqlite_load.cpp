// Writing paths of the SQLite session: scripts and bulk loads, refused unless writes are allowed.

#include "analyzer/engines/sqlite/sqlite_connection.hpp"
#include "analyzer/sql/render.hpp"
#include "fmt/format.h"

namespace dbvet::engines::sqlite {
namespace {

// Reads a PRAGMA's current value so that a load can put it back.
std::string pragma_value(const SqliteDb& db, const char* pragma) {
  auto stmt = db.prepare(fmt::format("PRAGMA {}", pragma));
  if (!stmt) return {};
  auto rc = db.step(stmt->get());
  return rc && *rc == SQLITE_ROW ? column_string(stmt->get(), 0) : std::string{};
}

}  // namespace

Status SqliteConnection::execute_script(const std::string& sql) {
  if (auto refused = refuse_writes("a script"); !refused) return refused;
  DeadlineScope deadline(db_, options_.statement_timeout);
  return db_.exec(sql);
}

Expected<int64_t> SqliteConnection::load_rows(const std::string& table, const std::vector<std::string>& columns,
                                              RowSource& rows) {
  if (auto refused = refuse_writes("a bulk load"); !refused) return refused.error();
  if (columns.empty()) {
    return core::make_error(core::ErrorKind::usage, fmt::format("{}: load into {} names no column", describe(), table));
  }
  auto quoted_table = sql::quote_identifier(sql::Dialect::sqlite, table);
  if (!quoted_table) return quoted_table.error();
  std::string insert = "INSERT INTO " + *quoted_table + " (";
  std::string values;
  for (size_t i = 0; i < columns.size(); ++i) {
    auto column = sql::quote_identifier(sql::Dialect::sqlite, columns[i]);
    if (!column) return column.error();
    insert += (i ? ", " : "") + *column;
    values += i ? ", ?" : "?";
  }
  insert += ") VALUES (" + values + ")";

  // Durability is relaxed for the load only, then put back as it was.
  std::string journal = pragma_value(db_, "journal_mode");
  std::string synchronous = pragma_value(db_, "synchronous");
  auto restore = [&] {
    if (!synchronous.empty()) (void)db_.exec("PRAGMA synchronous = " + synchronous);
    if (!journal.empty() && journal != "memory") (void)db_.exec("PRAGMA journal_mode = " + journal);
  };
  if (auto status = db_.exec("PRAGMA synchronous = OFF"); !status) return status.error();
  if (auto status = db_.exec("PRAGMA journal_mode = MEMORY"); !status) {
    restore();
    return status.error();
  }
  if (auto status = db_.exec("BEGIN"); !status) {
    restore();
    return status.error();
  }
  auto fail = [&](core::Error error) -> Expected<int64_t> {
    (void)db_.exec("ROLLBACK");
    restore();
    return error;
  };
  auto stmt = db_.prepare(insert);
  if (!stmt) return fail(stmt.error());
  sqlite3_stmt* s = stmt->get();
  int64_t loaded = 0;
  std::vector<std::vector<std::optional<std::string>>> batch;
  for (;;) {
    batch.clear();
    bool more = rows.next_batch(batch, 10000);
    for (const auto& row : batch) {
      if (row.size() != columns.size()) {
        return fail(core::make_error(core::ErrorKind::input,
                                     fmt::format("{}: row {} for {} has {} values, expected {}", describe(), loaded + 1,
                                                 table, row.size(), columns.size())));
      }
      for (size_t i = 0; i < row.size(); ++i) {
        int index = static_cast<int>(i) + 1;
        if (row[i]) {
          sqlite3_bind_text(s, index, row[i]->data(), static_cast<int>(row[i]->size()), SQLITE_STATIC);
        } else {
          sqlite3_bind_null(s, index);
        }
      }
      int rc = sqlite3_step(s);
      if (rc != SQLITE_DONE) {
        auto error = db_.last_error(core::ErrorKind::query, rc);
        error.message += fmt::format(" (loading row {} into {})", loaded + 1, table);
        return fail(error);
      }
      sqlite3_reset(s);
      ++loaded;
    }
    if (!more) break;
  }
  stmt->reset();
  if (auto status = db_.exec("COMMIT"); !status) return fail(status.error());
  restore();
  return loaded;
}

}  // namespace dbvet::engines::sqlite
