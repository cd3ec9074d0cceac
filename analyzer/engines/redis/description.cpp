#include "analyzer/engines/description.hpp"

namespace dbvet::engines::redis {
namespace {

constexpr std::string_view kSchemes[] = {"redis"};

}  // namespace

// Redis has no SQL: no DDL dialect and no rule dialect (its plans do not exist).
const EngineDescription& description() {
  static const EngineDescription row{
      .engine = core::Engine::redis,
      .name = "redis",
      .title = "Redis",
      .schemes = kSchemes,
      .shown_schemes = 1,
      .url = {.engine = core::Engine::redis, .numeric_database = true},
      .file_suffixes = {},
      .default_port = 6379,
      .ddl_dialect = sql::Dialect::generic,
      .dialects = {},
  };
  return row;
}

}  // namespace dbvet::engines::redis
