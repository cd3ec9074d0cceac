// SQLite's row of the driver table (engines/registry.hpp): a file, copied with the backup API for
// a sandbox and for verified index advice.

#include <sqlite3.h>

#include <filesystem>

#include "analyzer/engines/registry.hpp"
#include "analyzer/engines/sqlite/sqlite_connection.hpp"
#include "analyzer/engines/sqlite/what_if_sqlite.hpp"
#include "fmt/format.h"

namespace dbvet::engines::sqlite {
namespace {

Expected<std::unique_ptr<model::WhatIf>> open_what_if(const core::TargetUrl& url, const WhatIfRequest&,
                                                      std::vector<std::string>&) {
  auto what_if = SqliteWhatIf::open(url.path, url.redacted());
  if (!what_if) return what_if.error();
  return std::unique_ptr<model::WhatIf>(std::move(*what_if));
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

Status create_sandbox(const core::TargetUrl& target, const SandboxOptions&, const SandboxNamer& name_for,
                      SandboxState& state) {
  if (target.path == ":memory:") {
    return core::make_error(core::ErrorKind::unsupported, "an in-memory SQLite database cannot be sandboxed");
  }
  state.name = target.path + "." + name_for("");
  state.url.path = state.name;
  state.active = true;  // a partial copy is removed too
  return copy_sqlite(target.path, state.name);
}

Status remove_sandbox(const core::TargetUrl&, const std::string& name) {
  std::error_code ignored;
  for (const char* extra : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(name + extra, ignored);
  return core::ok();
}

constexpr SampleLoad kSample{
    .list_tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table'",
    .before_drops = "",
    .after_drops = "",
    .bulk_session_setup = "",  // a large page cache measured slower
    .several_writers = false,  // SQLite has one writer
    .pipelined_indexes = false,
    .identity_reset = "",
    .analyze_tables_prefix = "",
};

}  // namespace

const EngineDescription& description();

const Driver& driver() {
  static const Driver row{
      .description = &description(),
      .connect = connect_sqlite,
      .open_what_if = open_what_if,
      .create_sandbox = create_sandbox,
      .remove_sandbox = remove_sandbox,
      .sample = &kSample,
  };
  return row;
}

}  // namespace dbvet::engines::sqlite
