#include "analyzer/engines/sandbox.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "analyzer/engines/connection.hpp"
#include "analyzer/engines/sandbox_names.hpp"
#include "analyzer/sql/render.hpp"
#include "fmt/format.h"

namespace dbvet::engines {
namespace {

core::Expected<std::unique_ptr<Connection>> admin_session(const core::TargetUrl& url) {
  engines::ConnectOptions options;
  options.allow_writes = true;
  options.statement_timeout = std::chrono::minutes(10);
  return connect(url, options);
}

core::Status copy_sqlite(const std::string& from, const std::string& to) {
  sqlite3* source = nullptr;
  sqlite3* destination = nullptr;
  auto close = [&] {
    sqlite3_close(source);
    sqlite3_close(destination);
  };
  if (sqlite3_open_v2(from.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
      sqlite3_open_v2(to.c_str(), &destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string message = fmt::format("cannot open {} or {} for the sandbox copy", from, to);
    close();
    return core::make_error(core::ErrorKind::input, message);
  }
  sqlite3_backup* backup = sqlite3_backup_init(destination, "main", source, "main");
  int rc = backup ? sqlite3_backup_step(backup, -1) : SQLITE_ERROR;
  if (backup) sqlite3_backup_finish(backup);
  std::string message = rc == SQLITE_DONE ? "" : sqlite3_errmsg(destination);
  close();
  if (rc != SQLITE_DONE) {
    return core::make_error(core::ErrorKind::input, fmt::format("sandbox copy of {} failed: {}", from, message));
  }
  return core::ok();
}

}  // namespace

core::Expected<Sandbox> Sandbox::create(const core::TargetUrl& target, const std::string& tag,
                                        const SandboxOptions& options) {
  Sandbox sandbox;
  sandbox.origin_ = target;
  sandbox.url_ = target;
  // Named so that a later run recognises it if this process dies without removing it (sandbox_names.hpp).
  auto created = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  auto name_for = [&](const std::string& database) {
    return make_sandbox_name(static_cast<long>(getpid()), created.count(), sandbox_host_id(), tag, database);
  };
  switch (target.engine) {
    case core::Engine::sqlite: {
      if (target.path == ":memory:") {
        return core::make_error(core::ErrorKind::unsupported, "an in-memory SQLite database cannot be sandboxed");
      }
      sandbox.name_ = target.path + "." + name_for("");
      sandbox.url_.path = sandbox.name_;
      sandbox.active_ = true;  // a partial copy is removed too
      if (auto copied = copy_sqlite(target.path, sandbox.name_); !copied) return copied.error();
      return sandbox;
    }
    case core::Engine::postgres: {
      auto session = admin_session(target);
      if (!session) return session.error();
      sandbox.name_ = name_for(target.database.empty() ? std::string("postgres") : target.database);
      auto create = sql::create_database(sql::Dialect::postgres, sandbox.name_, target.database);
      if (!create) return create.error();
      auto created = (*session)->execute_script(*create);
      if (!created) {
        return core::make_error(created.error().kind,
                                fmt::format("{} (a PostgreSQL sandbox copies the target with CREATE DATABASE ... "
                                            "TEMPLATE, which needs no other session on it)",
                                            created.error().message));
      }
      sandbox.active_ = true;
      sandbox.url_.database = sandbox.name_;
      return sandbox;
    }
    case core::Engine::mysql: {
      auto session = admin_session(target);
      if (!session) return session.error();
      sandbox.name_ = name_for(target.database);
      auto database = sql::quote_literal(sql::Dialect::mysql, target.database);
      auto create = sql::create_database(sql::Dialect::mysql, sandbox.name_);
      if (!database) return database.error();
      if (!create) return create.error();
      auto tables = (*session)->execute(
          fmt::format("SELECT table_name FROM information_schema.tables WHERE table_schema = {} AND "
                      "table_type = 'BASE TABLE'",
                      *database));
      if (!tables) return tables.error();
      auto created = (*session)->execute_script(*create);
      if (!created) return created.error();
      sandbox.active_ = true;
      sandbox.url_.database = sandbox.name_;
      for (const auto& row : tables->rows) {
        if (row.empty() || !row[0]) continue;
        auto from_name = sql::quote_qualified(sql::Dialect::mysql, target.database, *row[0]);
        auto to_name = sql::quote_qualified(sql::Dialect::mysql, sandbox.name_, *row[0]);
        if (!from_name) return from_name.error();
        if (!to_name) return to_name.error();
        const std::string& from = *from_name;
        const std::string& to = *to_name;
        auto created_table = (*session)->execute_script(fmt::format("CREATE TABLE {} LIKE {}", to, from));
        if (!created_table) return created_table.error();
        std::string limit = options.max_rows_per_table ? fmt::format(" LIMIT {}", *options.max_rows_per_table) : "";
        auto copied = (*session)->execute_script(fmt::format("INSERT INTO {} SELECT * FROM {}{}", to, from, limit));
        if (!copied) return copied.error();
        if (options.analyze) {
          // ANALYZE answers with a result set, which execute() reads (execute_script would leave it).
          auto analyzed = (*session)->execute(fmt::format("ANALYZE TABLE {} PERSISTENT FOR ALL", to));
          if (!analyzed) return analyzed.error();
        }
      }
      return sandbox;
    }
    case core::Engine::redis:
      break;
  }
  return core::make_error(core::ErrorKind::unsupported, "a Redis target cannot be sandboxed");
}

Sandbox::Sandbox(Sandbox&& other) noexcept
    : origin_(std::move(other.origin_)),
      url_(std::move(other.url_)),
      name_(std::move(other.name_)),
      active_(other.active_) {
  other.active_ = false;
}

Sandbox::~Sandbox() { (void)remove(); }

core::Status Sandbox::remove() {
  if (!active_) return core::ok();
  active_ = false;
  if (origin_.engine == core::Engine::sqlite) {
    std::error_code ignored;
    for (const char* extra : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(name_ + extra, ignored);
    return core::ok();
  }
  auto session = admin_session(origin_);
  if (!session) return session.error();
  auto drop = sql::drop_database(
      origin_.engine == core::Engine::postgres ? sql::Dialect::postgres : sql::Dialect::mysql, name_);
  if (!drop) return drop.error();
  return (*session)->execute_script(*drop);
}

}  // namespace dbvet::engines
