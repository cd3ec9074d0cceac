#pragma once
// Loads the Virtual Pet sample into an SQLite database with the raw sqlite3 API, for unit tests
// that need the data before (or without) the SQLite engine.

#include <sqlite3.h>

#include <string>

#include "analyzer/sample/generator.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::sample::testing {

inline std::string exec_sqlite(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = rc == SQLITE_OK ? "" : (error ? error : "error");
  sqlite3_free(error);
  return message;
}

// Returns an error message, empty on success.
inline std::string load_sample_sqlite(sqlite3* db, double scale, uint64_t seed) {
  auto plan = plan_load(core::Engine::sqlite, std::nullopt, dbvet::testing::source_dir() / "samples/virtualpet");
  if (!plan) return plan.error().message;
  if (auto error = exec_sqlite(db, dbvet::testing::read_file(plan->schema_files[0])); !error.empty()) return error;
  exec_sqlite(db, "BEGIN");
  const SampleSize size = SampleSize::for_scale(scale);
  for (const TableSpec* table : plan->tables) {
    std::string sql = "INSERT INTO " + table->name + " (";
    std::string marks;
    for (size_t i = 0; i < table->columns.size(); ++i) {
      sql += (i ? ", " : "") + table->columns[i].name;
      marks += i ? ", ?" : "?";
    }
    sql += ") VALUES (" + marks + ")";
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      return table->name + ": " + sqlite3_errmsg(db);
    }
    TableRows rows(*table, size, seed, core::Engine::sqlite);
    std::vector<std::vector<std::optional<std::string>>> batch;
    while (rows.next_batch(batch, 500)) {
      for (const auto& row : batch) {
        for (size_t i = 0; i < row.size(); ++i) {
          if (row[i]) {
            sqlite3_bind_text(statement, static_cast<int>(i + 1), row[i]->data(), static_cast<int>(row[i]->size()),
                              SQLITE_STATIC);
          } else {
            sqlite3_bind_null(statement, static_cast<int>(i + 1));
          }
        }
        if (sqlite3_step(statement) != SQLITE_DONE) {
          std::string error = table->name + ": " + sqlite3_errmsg(db);
          sqlite3_finalize(statement);
          return error;
        }
        sqlite3_reset(statement);
      }
      batch.clear();
    }
    sqlite3_finalize(statement);
  }
  exec_sqlite(db, "COMMIT");
  return exec_sqlite(db, dbvet::testing::read_file(plan->index_files[0]));
}

}  // namespace dbvet::sample::testing
