#include "analyzer/history/postgres_history.hpp"

#ifdef DBVET_WITH_POSTGRES
#include <pqxx/pqxx>
#endif

#include "analyzer/core/redact.hpp"
#include "fmt/format.h"

namespace dbvet::history::postgres {

bool is_url(std::string_view location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

#ifndef DBVET_WITH_POSTGRES
namespace {
core::Error unsupported(const std::string& url) {
  return core::make_error(core::ErrorKind::unsupported,
                          "history " + core::redact_url(url) + ": this dbvet was built without PostgreSQL support");
}
}  // namespace
core::Expected<int64_t> append(const std::string& url, const Run&) { return unsupported(url); }
core::Expected<std::vector<Run>> load(const std::string& url, const Query&) { return unsupported(url); }
core::Expected<int> migrate(const std::string& url) { return unsupported(url); }
#else
namespace {

using core::ErrorKind;

// Each migration takes the schema from version i to i + 1, as the SQLite file's do. Never edit
// one that shipped; add another.
const char* const kMigrations[] = {
    "CREATE TABLE dbvet_runs ("
    " id BIGSERIAL PRIMARY KEY,"
    " kind TEXT NOT NULL,"
    " started_at TEXT NOT NULL,"
    " target TEXT NOT NULL DEFAULT '',"
    " result TEXT NOT NULL,"
    " dbvet_version TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX dbvet_runs_kind_time ON dbvet_runs(kind, started_at);",
};
constexpr int kSchemaVersion = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);
// pg_advisory_xact_lock's key for the migration: "dbvet" in ASCII.
constexpr long long kMigrationLock = 0x6462766574LL;

// The URL as messages show it: never with its password.
std::string shown(const std::string& url) { return core::redact_url(url); }

core::Error error_of(const std::string& url, ErrorKind kind, const std::string& what) {
  // libpq's messages name host and user, never the password; the URL is redacted anyway.
  std::string text = core::redact_url(what);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return core::make_error(kind, fmt::format("history {}: {}", shown(url), text));
}

// Opens a session whose statements time out: a history must never hang a scheduled run.
std::unique_ptr<pqxx::connection> connect(const std::string& url) {
  auto connection = std::make_unique<pqxx::connection>(url);
  pqxx::nontransaction tx(*connection);
  tx.exec("SET statement_timeout = '60s'");
  tx.exec("SET lock_timeout = '30s'");
  return connection;
}

int read_version(pqxx::transaction_base& tx) {
  const auto exists = tx.exec("SELECT to_regclass('dbvet_schema_version') IS NOT NULL");
  if (!exists[0][0].as<bool>()) return 0;
  const auto version = tx.exec("SELECT coalesce(max(version), 0) FROM dbvet_schema_version");
  return version[0][0].as<int>();
}

std::string newer_message(int version) {
  return fmt::format("has schema version {}, newer than this dbvet knows ({}); upgrade dbvet", version, kSchemaVersion);
}

// Migrated to the current schema; the version, or an error for a newer one.
core::Expected<int> migrate_on(const std::string& url, pqxx::connection& connection) {
  {
    pqxx::read_transaction tx(connection);
    const int version = read_version(tx);
    if (version > kSchemaVersion) return error_of(url, ErrorKind::input, newer_message(version));
    if (version == kSchemaVersion) return version;
  }
  pqxx::work tx(connection);
  tx.exec(fmt::format("SELECT pg_advisory_xact_lock({})", kMigrationLock));
  const int version = read_version(tx);  // another writer may have migrated while we waited
  if (version > kSchemaVersion) return error_of(url, ErrorKind::input, newer_message(version));
  if (version == 0) {
    tx.exec(
        "CREATE TABLE IF NOT EXISTS dbvet_schema_version (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL)");
  }
  for (int v = version; v < kSchemaVersion; ++v) {
    tx.exec(kMigrations[v]);
    tx.exec(fmt::format("INSERT INTO dbvet_schema_version VALUES ({}, now())", v + 1));
  }
  tx.commit();
  return kSchemaVersion;
}

template <class F>
auto guarded(const std::string& url, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const pqxx::broken_connection& e) {
    return error_of(url, ErrorKind::connection, e.what());
  } catch (const pqxx::sql_error& e) {
    return error_of(url, ErrorKind::query, e.what());
  } catch (const std::exception& e) {
    return error_of(url, ErrorKind::connection, e.what());
  }
}

}  // namespace

core::Expected<int> migrate(const std::string& url) {
  return guarded(url, [&]() -> core::Expected<int> {
    auto connection = connect(url);
    return migrate_on(url, *connection);
  });
}

core::Expected<int64_t> append(const std::string& url, const Run& run) {
  return guarded(url, [&]() -> core::Expected<int64_t> {
    auto connection = connect(url);
    if (auto version = migrate_on(url, *connection); !version) return version.error();
    pqxx::work tx(*connection);
    const auto row = tx.exec_params1(
        "INSERT INTO dbvet_runs (kind, started_at, target, result, dbvet_version) VALUES ($1, $2, $3, $4, $5) "
        "RETURNING id",
        run.kind, run.started_at, run.target, run.result, run.dbvet_version);
    tx.commit();
    return row[0].as<int64_t>();
  });
}

core::Expected<std::vector<Run>> load(const std::string& url, const Query& query) {
  return guarded(url, [&]() -> core::Expected<std::vector<Run>> {
    auto connection = connect(url);
    pqxx::read_transaction tx(*connection);
    const int version = read_version(tx);
    if (version == 0) return std::vector<Run>{};
    if (version > kSchemaVersion) return error_of(url, ErrorKind::input, newer_message(version));
    const std::string sql = fmt::format(
        "SELECT id, kind, started_at, target, dbvet_version, result FROM (SELECT * FROM dbvet_runs {} ORDER BY "
        "started_at DESC, id DESC {}) AS recent ORDER BY started_at, id",
        query.kind ? "WHERE kind = $1" : "", query.limit ? fmt::format("LIMIT {}", query.limit) : "");
    const pqxx::result rows = query.kind ? tx.exec_params(sql, *query.kind) : tx.exec(sql);
    std::vector<Run> runs;
    for (const auto& row : rows) {
      Run run;
      run.id = row[0].as<int64_t>();
      run.kind = row[1].as<std::string>();
      run.started_at = row[2].as<std::string>();
      run.target = row[3].as<std::string>();
      run.dbvet_version = row[4].as<std::string>();
      run.result = row[5].as<std::string>();
      runs.push_back(std::move(run));
    }
    return runs;
  });
}

#endif  // DBVET_WITH_POSTGRES

}  // namespace dbvet::history::postgres
