#pragma once
// What dbvet knows about an engine without its client library: the URL schemes it answers to, how
// its URLs read, its DDL dialect and its rule dialects. Each engine defines its description in its
// own folder (engines/<engine>/description.cpp), compiled even when the engine itself is not
// (DBVET_WITH_*=OFF), so that its URLs still parse and its plans still read the same; the driver
// table (engines/registry.hpp) adds what needs the client library.

#include <optional>
#include <span>
#include <string_view>

#include "analyzer/core/target_url.hpp"
#include "analyzer/model/dialect.hpp"
#include "analyzer/sql/lexer.hpp"

namespace dbvet::engines {

struct EngineDescription {
  core::Engine engine{};
  std::string_view name{};   // as core::engine_name spells it
  std::string_view title{};  // for people: PostgreSQL, MariaDB/MySQL
  // URL schemes; the first ones up to `shown_schemes` are the ones error messages suggest.
  std::span<const std::string_view> schemes{};
  size_t shown_schemes = 1;
  core::SchemeInfo url{};  // how the URL after the scheme reads
  // A bare path ending in one of these (or equal to one without a dot, ":memory:") is a target of
  // this engine.
  std::span<const std::string_view> file_suffixes{};
  std::optional<int> default_port{};                 // applied by the engine's client library when the URL has none
  sql::Dialect ddl_dialect = sql::Dialect::generic;  // analyzer/sql/render.hpp renders its DDL
  // Rule dialects: the first is the engine's own (its name), the others flavours (mariadb).
  std::span<const model::Dialect* const> dialects{};
  // Index advice is verified in a scratch copy only when asked (--sandbox), not by default.
  bool what_if_in_sandbox = false;
};

// Every engine dbvet knows, compiled in or not, in a stable order (postgres, mysql, sqlite, redis):
// the explicit list in engines/catalog.cpp.
std::span<const EngineDescription* const> descriptions();
const EngineDescription& description(core::Engine engine);

}  // namespace dbvet::engines
