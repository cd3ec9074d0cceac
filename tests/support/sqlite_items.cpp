#include "tests/support/sqlite_items.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

namespace dbvet::testing {

void make_sqlite_items(const std::filesystem::path& path, int rows, bool with_index) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string sql =
      "CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER NOT NULL, v TEXT NOT NULL);"
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
      std::to_string(rows) + ") INSERT INTO t SELECT i, i % 2000, printf('value-%d', i) FROM n;";
  if (with_index) sql += "CREATE INDEX t_k ON t(k);";
  char* error = nullptr;
  int status = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(status, SQLITE_OK) << message;
}

}  // namespace dbvet::testing
