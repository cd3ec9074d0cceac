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

struct TargetUrl {
  Engine engine = Engine::sqlite;
  std::string scheme;  // as written: postgresql, postgres, mysql, mariadb, sqlite, redis
  std::string user;
  std::optional<std::string> password;  // never printed; see redacted()
  std::string host;
  std::optional<int> port;
  std::string database;  // PostgreSQL/MySQL database, Redis db number as text
  std::string path;      // SQLite file path (":memory:" allowed)
  std::map<std::string, std::string> params;  // query string, decoded

  // The URL as the user may see it: password replaced by "***".
  std::string redacted() const;
};

// Parses a target; errors are ErrorKind::usage and name what was expected.
Expected<TargetUrl> parse_target_url(std::string_view text);

// Percent-decoding as used in URLs; returns nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace dbvet::core
