#include "analyzer/engines/description.hpp"

namespace dbvet::engines::sqlite {
namespace {

constexpr std::string_view kSchemes[] = {"sqlite", "sqlite3"};
constexpr std::string_view kFileSuffixes[] = {".db", ".sqlite", ".sqlite3", ":memory:"};

constexpr model::Dialect kDialect{
    .name = "sqlite",
    .prefix_like_collation = "NOCASE",
    .secondary_index_holds_primary_key = true,
    .held_primary_key_method = "rowid",
    .partial_indexes = true,
    .expression_indexes = true,
    .random_function = "random",
    .substring_search_fix = "an FTS5 table serves word searches",
    .row_estimate_source = "sqlite_stat1",
    .statistics_advice = "run ANALYZE so that sqlite_stat1/sqlite_stat4 describe the data",
    .case_insensitive_fix = "index the expression ({expression}) or declare the column COLLATE NOCASE",
};
constexpr const model::Dialect* kDialects[] = {&kDialect};

}  // namespace

const EngineDescription& description() {
  static const EngineDescription row{
      .engine = core::Engine::sqlite,
      .name = "sqlite",
      .title = "SQLite",
      .schemes = kSchemes,
      .shown_schemes = 1,
      .url = {.engine = core::Engine::sqlite, .file_path = true},
      .file_suffixes = kFileSuffixes,
      .default_port = std::nullopt,
      .ddl_dialect = sql::Dialect::sqlite,
      .dialects = kDialects,
  };
  return row;
}

}  // namespace dbvet::engines::sqlite
