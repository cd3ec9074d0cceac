#include "analyzer/engines/description.hpp"

namespace dbvet::engines::postgres {
namespace {

constexpr std::string_view kSchemes[] = {"postgresql", "postgres"};

constexpr model::Dialect kDialect{
    .name = "postgres",
    .qualifies_index_schema = true,
    .default_schema = "public",
    // Without the C collation a B-tree serves LIKE 'abc%' only with this operator class.
    .prefix_like_opclass = "text_pattern_ops",
    .partial_indexes = true,
    .expression_indexes = true,
    .index_include_columns = true,
    .random_function = "random",
    .random_sample_hint = " or TABLESAMPLE SYSTEM_ROWS",
    .substring_search_fix = "a pg_trgm GIN index (CREATE INDEX ... USING gin (col gin_trgm_ops)) serves it",
    .row_estimate_source = "pg_class.reltuples",
    .statistics_advice =
        "run ANALYZE {table} (raise the column's statistics target if it persists) and, for "
        "correlated columns, CREATE STATISTICS ... (dependencies, ndistinct, mcv)",
    .spill_fix =
        "raise work_mem for this query (SET LOCAL work_mem = '{mb}MB') or avoid the sort with an index "
        "that returns rows in order",
    .spill_fix_sizes_memory = true,
    .case_insensitive_fix = "index the expression (CREATE INDEX ... ({expression})) or use citext",
};
constexpr const model::Dialect* kDialects[] = {&kDialect};

}  // namespace

const EngineDescription& description() {
  static const EngineDescription row{
      .engine = core::Engine::postgres,
      .name = "postgres",
      .title = "PostgreSQL",
      .schemes = kSchemes,
      .shown_schemes = 1,
      .url = {.engine = core::Engine::postgres},
      .file_suffixes = {},
      .default_port = 5432,
      .ddl_dialect = sql::Dialect::postgres,
      .dialects = kDialects,
  };
  return row;
}

}  // namespace dbvet::engines::postgres
