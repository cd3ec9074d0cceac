#pragma once
// The run history: an SQLite file that every command given --history FILE.db appends its result
// to (health, audit, digest, bench...), read back by `dbvet report --history`. The schema is
// versioned (schema_version table) and migrated forward on open; a file from a newer dbvet is
// refused rather than damaged. A postgresql:// URL instead of a file keeps the same history in
// that database (history/postgres_history.hpp), shared by every host of a fleet.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"

namespace dbvet::history {

// The schema this dbvet writes.
int current_schema_version();

struct Run {
  int64_t id = 0;
  std::string kind;        // the result's "kind": health, audit, digest, bench...
  std::string started_at;  // ISO 8601 UTC
  std::string target;      // the target(s) it concerns, comma-separated
  std::string dbvet_version;
  std::string result;  // the JSON document, whole
};

// Appends one run. `result_json` is the command's JSON document; kind, time, version and target are
// read from it when present ("kind", "started_at", "dbvet_version", "target"/"targets") and the
// arguments fill what it lacks. Creates the file and its schema on first use.
core::Expected<int64_t> append(const std::string& path, const std::string& kind, const std::string& result_json);

struct Query {
  std::optional<std::string> kind;  // only runs of this kind
  size_t limit = 0;                 // the most recent N (0: all), returned oldest first
};
// Reads runs back, oldest first. The file must exist.
core::Expected<std::vector<Run>> load(const std::string& path, const Query& query = {});

// Opens (creating when `create`) and migrates the file to the current schema; returns its version.
core::Expected<int> migrate(const std::string& path);

}  // namespace dbvet::history
