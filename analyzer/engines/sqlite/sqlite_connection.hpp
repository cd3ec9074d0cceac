#pragma once
// SQLite through the sqlite3 C API. Files are opened read-only unless the session allows writes;
// `explain --analyze` of a writing statement runs on a second read-write handle inside a savepoint
// that is always rolled back.

#include <memory>
#include <string>
#include <vector>

#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/sqlite/sqlite_handle.hpp"

namespace dbvet::engines::sqlite {

Expected<std::unique_ptr<Connection>> connect_sqlite(const core::TargetUrl& url, const ConnectOptions& options);

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(core::TargetUrl url, ConnectOptions options, SqliteDb db)
      : url_(std::move(url)), options_(options), db_(std::move(db)) {}

  core::Engine engine() const override { return core::Engine::sqlite; }
  std::string server_version() override;
  std::string describe() const override { return url_.redacted(); }

  Expected<model::Schema> introspect() override;  // sqlite_introspect.cpp
  Expected<model::Plan> explain(const std::string& sql, const ExplainOptions& options) override;
  Expected<ResultSummary> execute(const std::string& sql, const ExecuteOptions& options = {}) override;
  Status execute_script(const std::string& sql) override;  // sqlite_load.cpp
  Expected<int64_t> load_rows(const std::string& table, const std::vector<std::string>& columns,
                              RowSource& rows) override;  // sqlite_load.cpp

  // Tables bigger than this are not counted with COUNT(*) when sqlite_stat1 has no row count.
  static constexpr int64_t kCountRowsBound = 200000;

 private:
  Status refuse_writes(const char* what) const;
  Status run_analyzed(const std::string& sql, model::Plan& plan);

  core::TargetUrl url_;
  ConnectOptions options_;
  SqliteDb db_;
};

// FNV-1a 64-bit, the result hash of ResultSummary.
class Fnv1a64 {
 public:
  void add(const void* data, size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) {
      hash_ ^= bytes[i];
      hash_ *= 1099511628211ULL;
    }
  }
  uint64_t value() const { return hash_; }

 private:
  uint64_t hash_ = 14695981039346656037ULL;
};

}  // namespace dbvet::engines::sqlite
