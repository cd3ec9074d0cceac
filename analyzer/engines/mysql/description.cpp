#include "analyzer/engines/description.hpp"

namespace dbvet::engines::mysql {
namespace {

constexpr std::string_view kSchemes[] = {"mysql", "mariadb"};

// MySQL and MariaDB share the engine and the client library; their statistics commands differ.
constexpr model::Dialect kMysql{
    .name = "mysql",
    .clusters_on_hidden_row_id = true,
    .estimates_count_rows_read = true,
    .online_ddl_by_algorithm = true,
    .secondary_index_holds_primary_key = true,
    .expression_indexes = true,
    .random_function = "RAND",
    .statistics_advice = "run ANALYZE TABLE {table} UPDATE HISTOGRAM ON the filtered columns",
};
constexpr model::Dialect kMariadb{
    .name = "mariadb",
    .clusters_on_hidden_row_id = true,
    .estimates_count_rows_read = true,
    .online_ddl_by_algorithm = true,
    .secondary_index_holds_primary_key = true,
    .random_function = "RAND",
    .statistics_advice =
        "collect histograms with ANALYZE TABLE {table} PERSISTENT FOR ALL (use_stat_tables, histogram_size)",
};
constexpr const model::Dialect* kDialects[] = {&kMysql, &kMariadb};

}  // namespace

const EngineDescription& description() {
  static const EngineDescription row{
      .engine = core::Engine::mysql,
      .name = "mysql",
      .title = "MariaDB/MySQL",
      .schemes = kSchemes,
      .shown_schemes = 2,
      .url = {.engine = core::Engine::mysql},
      .file_suffixes = {},
      .default_port = 3306,
      .ddl_dialect = sql::Dialect::mysql,
      .dialects = kDialects,
      .what_if_in_sandbox = true,
  };
  return row;
}

}  // namespace dbvet::engines::mysql
