#include "analyzer/history/history.hpp"

#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <memory>

#include "analyzer/history/postgres_history.hpp"
#include "analyzer/util/time.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::history {
namespace {

using core::ErrorKind;

// Each migration takes the schema from version i to i + 1. Never edit one that shipped; add another.
const char* const kMigrations[] = {
    // 1: one row per run, the whole JSON result kept as text.
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL,"
    " started_at TEXT NOT NULL,"
    " target TEXT NOT NULL DEFAULT '',"
    " result TEXT NOT NULL);",
    // 2: the dbvet version that wrote a run, and an index for the report's "latest runs of a kind".
    "ALTER TABLE runs ADD COLUMN dbvet_version TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX runs_kind_time ON runs(kind, started_at);",
};
constexpr int kSchemaVersion = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

core::Error db_error(const std::string& path, sqlite3* db, const std::string& what) {
  return core::make_error(ErrorKind::input, fmt::format("history {}: {}: {}", path, what, sqlite3_errmsg(db)));
}

core::Expected<Db> open(const std::string& path, bool create) {
  sqlite3* raw = nullptr;
  int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    return core::make_error(ErrorKind::input, fmt::format("cannot open history {}: {}", path,
                                                          raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(db.get(), 10000);  // several scheduled jobs may append at once
  return db;
}

core::Status exec(const std::string& path, sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    return core::make_error(ErrorKind::input, fmt::format("history {}: {}", path, text));
  }
  return core::ok();
}

// The version recorded in the file; 0 for a new, empty file. Errors for a file that is not a history.
core::Expected<int> read_version(const std::string& path, sqlite3* db) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", -1, &raw, nullptr) !=
      SQLITE_OK) {
    return db_error(path, db, "not an SQLite database");
  }
  Stmt tables(raw);
  sqlite3_step(tables.get());
  int table_count = sqlite3_column_int(tables.get(), 0);
  if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version", -1, &raw, nullptr) != SQLITE_OK) {
    if (table_count == 0) return 0;
    return core::make_error(
        ErrorKind::input, fmt::format("{} is an SQLite file but not a dbvet history (no schema_version table)", path));
  }
  Stmt version(raw);
  if (sqlite3_step(version.get()) != SQLITE_ROW) return 0;
  return sqlite3_column_int(version.get(), 0);
}

core::Expected<int> migrate_open(const std::string& path, sqlite3* db) {
  auto version = read_version(path, db);
  if (!version) return version;
  if (*version > kSchemaVersion) {
    return core::make_error(ErrorKind::input,
                            fmt::format("history {} has schema version {}, newer than this dbvet knows ({}); "
                                        "upgrade dbvet",
                                        path, *version, kSchemaVersion));
  }
  if (*version == kSchemaVersion) return *version;
  if (auto status = exec(path, db, "BEGIN IMMEDIATE"); !status) return status.error();
  // Another process may have migrated while we waited for the lock.
  auto locked_version = read_version(path, db);
  if (!locked_version) {
    exec(path, db, "ROLLBACK");
    return locked_version;
  }
  std::string script;
  if (*locked_version == 0) {
    script += "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL);";
  }
  for (int v = *locked_version; v < kSchemaVersion; ++v) {
    script += kMigrations[v];
    script += fmt::format("INSERT INTO schema_version VALUES ({}, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));", v + 1);
  }
  if (auto status = exec(path, db, script); !status) {
    exec(path, db, "ROLLBACK");
    return status.error();
  }
  if (auto status = exec(path, db, "COMMIT"); !status) return status.error();
  return kSchemaVersion;
}

std::string target_of(const nlohmann::json& doc) {
  if (doc.contains("target")) {
    const auto& target = doc["target"];
    if (target.is_string()) return target.get<std::string>();
    if (target.is_object()) {
      if (target.contains("name") && target["name"].is_string()) return target["name"].get<std::string>();
      if (target.contains("url") && target["url"].is_string()) return target["url"].get<std::string>();
    }
  }
  // A capture (a digest of a live server) names its server under "input".
  if (doc.contains("input") && doc["input"].is_object() && doc["input"].contains("target") &&
      doc["input"]["target"].is_string())
    return doc["input"]["target"].get<std::string>();
  std::string names;
  if (doc.contains("targets") && doc["targets"].is_array()) {
    for (const auto& target : doc["targets"]) {
      std::string name = target.is_object() ? target.value("name", target.value("url", "")) : "";
      if (!name.empty()) names += (names.empty() ? "" : ",") + name;
    }
  }
  return names;
}

}  // namespace

int current_schema_version() { return kSchemaVersion; }

core::Expected<int> migrate(const std::string& path) {
  if (postgres::is_url(path)) return postgres::migrate(path);
  auto db = open(path, true);
  if (!db) return db.error();
  return migrate_open(path, db->get());
}

core::Expected<int64_t> append(const std::string& path, const std::string& kind, const std::string& result_json) {
  auto doc = nlohmann::json::parse(result_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return core::make_error(ErrorKind::internal, "history: the result to append is not a JSON object");
  }
  std::string run_kind = doc.value("kind", kind);
  if (run_kind.empty()) run_kind = kind;
  std::string started_at = doc.contains("started_at") && doc["started_at"].is_string()
                               ? doc["started_at"].get<std::string>()
                               : util::now_iso8601();
  std::string version = doc.value("dbvet_version", "");
  std::string target = target_of(doc);
  if (postgres::is_url(path)) {
    Run run;
    run.kind = run_kind;
    run.started_at = started_at;
    run.target = target;
    run.dbvet_version = version;
    run.result = result_json;
    return postgres::append(path, run);
  }

  auto db = open(path, true);
  if (!db) return db.error();
  if (auto migrated = migrate_open(path, db->get()); !migrated) return migrated.error();

  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db->get(),
                         "INSERT INTO runs (kind, started_at, target, result, dbvet_version) VALUES (?, ?, ?, ?, ?)",
                         -1, &raw, nullptr) != SQLITE_OK) {
    return db_error(path, db->get(), "cannot prepare the insert");
  }
  Stmt insert(raw);
  const std::string* values[] = {&run_kind, &started_at, &target, &result_json, &version};
  for (int i = 0; i < 5; ++i) {
    sqlite3_bind_text(insert.get(), i + 1, values[i]->data(), static_cast<int>(values[i]->size()), SQLITE_TRANSIENT);
  }
  if (sqlite3_step(insert.get()) != SQLITE_DONE) return db_error(path, db->get(), "cannot append the run");
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db->get()));
}

core::Expected<std::vector<Run>> load(const std::string& path, const Query& query) {
  if (postgres::is_url(path)) return postgres::load(path, query);
  auto db = open(path, false);
  if (!db) return db.error();
  auto version = read_version(path, db->get());
  if (!version) return version.error();
  if (*version == 0) return std::vector<Run>{};
  if (*version > kSchemaVersion) {
    return core::make_error(ErrorKind::input, fmt::format("history {} has schema version {}, newer than this dbvet "
                                                          "knows ({}); upgrade dbvet",
                                                          path, *version, kSchemaVersion));
  }
  // Older files are read as they are (read-only); columns added later read as empty.
  std::string version_column = *version >= 2 ? "dbvet_version" : "''";
  std::string sql = fmt::format(
      "SELECT id, kind, started_at, target, {}, result FROM (SELECT * FROM runs {} ORDER BY started_at DESC, id DESC "
      "{}) ORDER BY started_at, id",
      version_column, query.kind ? "WHERE kind = ?" : "", query.limit ? fmt::format("LIMIT {}", query.limit) : "");
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db->get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return db_error(path, db->get(), "cannot read runs");
  }
  Stmt select(raw);
  if (query.kind) sqlite3_bind_text(select.get(), 1, query.kind->c_str(), -1, SQLITE_TRANSIENT);
  std::vector<Run> runs;
  auto text = [&](int column) {
    const auto* value = reinterpret_cast<const char*>(sqlite3_column_text(select.get(), column));
    return value ? std::string(value, static_cast<size_t>(sqlite3_column_bytes(select.get(), column))) : std::string();
  };
  int rc;
  while ((rc = sqlite3_step(select.get())) == SQLITE_ROW) {
    Run run;
    run.id = sqlite3_column_int64(select.get(), 0);
    run.kind = text(1);
    run.started_at = text(2);
    run.target = text(3);
    run.dbvet_version = text(4);
    run.result = text(5);
    runs.push_back(std::move(run));
  }
  if (rc != SQLITE_DONE) return db_error(path, db->get(), "cannot read runs");
  return runs;
}

}  // namespace dbvet::history
