#pragma once
// Targets are URLs (DESIGN.md, "The contract"): postgresql://, mysql:// (mariadb://), sqlite:PATH
// (or a bare .db/.sqlite/.sqlite3 path) and redis://. The password is kept apart so that nothing
// that prints a target can print it.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/core/expected.hpp"

namespace dbvet::core {

enum class Engine { postgres, mysql, sqlite, redis };

std::string_view engine_name(Engine engine);  // "postgres", "mysql", "sqlite", "redis"

// How an engine's URLs read after the scheme.
struct SchemeInfo {
  Engine engine = Engine::sqlite;
  bool file_path = false;         // scheme:PATH (SQLite) rather than scheme://user@host:port/database
  bool numeric_database = false;  // the path is a database number (Redis)
};

// The URL schemes are each engine's (analyzer/engines/<engine>/description.cpp); core cannot include
// an engine, so analyzer/engines/catalog.cpp defines these lookups over every engine's description.
std::optional<SchemeInfo> find_scheme(std::string_view scheme);
const SchemeInfo& scheme_info(Engine engine);
// The engine of a bare path target (pets.db), by its suffix.
std::optional<Engine> engine_of_bare_path(std::string_view text);
// For messages: "postgresql://, mysql://, mariadb://, redis://, sqlite:PATH or a file ending in .db,
// .sqlite or .sqlite3" (urls) or "postgresql, mysql, mariadb, sqlite or redis" (schemes).
std::string expected_targets_text();
std::string expected_schemes_text();

struct TargetUrl {
  Engine engine = Engine::sqlite;
  std::string scheme;  // as written: postgresql, postgres, mysql, mariadb, sqlite, redis
  std::string user;
  std::optional<std::string> password;  // never printed; see redacted()
  std::string host;
  std::optional<int> port;
  std::string database;                       // PostgreSQL/MySQL database, Redis db number as text
  std::string path;                           // SQLite file path (":memory:" allowed)
  std::map<std::string, std::string> params;  // query string, decoded

  // The URL as the user may see it: password replaced by "***".
  std::string redacted() const;
};

// Parses a target; errors are ErrorKind::usage and name what was expected.
Expected<TargetUrl> parse_target_url(std::string_view text);

// Percent-decoding as used in URLs; returns nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace dbvet::core
