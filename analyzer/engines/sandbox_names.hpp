#pragma once
// How sandboxes are named, so that one left behind by a crash (kill -9, a power cut) is recognised
// by a later run: `dbvet_sandbox_<pid>_<unix time in base 36>_<host>_<tag>[_<database>]`, a database on
// PostgreSQL and MariaDB, a file `<original>.dbvet_sandbox_...` beside an SQLite original. <host>
// is 6 hex digits of a hash of the host name: a pid only says whether the owner is alive when the
// sandbox was made on this host. Only names that parse here are ever dropped by `sandbox clean`,
// and they consist of [A-Za-z0-9_.] only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/core/target_url.hpp"

namespace dbvet::engines {

inline constexpr std::string_view kSandboxPrefix = "dbvet_sandbox_";

struct SandboxName {
  long pid = 0;
  int64_t created = 0;  // unix seconds
  std::string host;     // 6 hex digits
  std::string tag;
  std::string database;  // the end of the original database's name ([A-Za-z0-9_]); empty for SQLite
};

// 6 hex digits of this machine's host name.
std::string sandbox_host_id();

// The name of a new sandbox database (at most 63 bytes, PostgreSQL's limit; of the database's name,
// reduced to [A-Za-z0-9_], as much of its end as fits) or, with an empty database, the suffix of an SQLite copy.
std::string make_sandbox_name(long pid, int64_t created, const std::string& host, const std::string& tag,
                              const std::string& database);

// Parses a database name, or the part of a file name after "<original>.", as make_sandbox_name
// builds it; nullopt for anything else.
std::optional<SandboxName> parse_sandbox_name(std::string_view name);

// A sandbox found on a target.
struct SandboxEntry {
  std::string name;  // database name, or the SQLite copy's path
  SandboxName parsed;
  bool this_host = false;    // made on this machine, so owner_alive means something
  bool owner_alive = false;  // this host and its pid is a running process
  // May `sandbox clean` drop it: made here by a process that is gone.
  bool orphaned() const { return this_host && !owner_alive; }
};

// Every sandbox of `target`: databases named as above on its server (PostgreSQL, MariaDB), or
// copies beside the SQLite file.
core::Expected<std::vector<SandboxEntry>> list_sandboxes(const core::TargetUrl& target);

// Drops one sandbox that list_sandboxes() found; refuses a name that does not parse.
core::Status drop_sandbox(const core::TargetUrl& target, const SandboxEntry& entry);

}  // namespace dbvet::engines
