// libFuzzer target for the plan parsers: PostgreSQL EXPLAIN (FORMAT JSON and TEXT), MySQL/MariaDB
// EXPLAIN FORMAT=JSON and MySQL 8's tree format, and SQLite's EXPLAIN QUERY PLAN text and detail
// lines. Plans come from servers dbvet does not control (and from files users pass).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/engines/mysql/mysql_explain.hpp"
#include "analyzer/engines/postgres/explain_postgres_json.hpp"
#include "analyzer/engines/postgres/explain_postgres_text.hpp"
#include "analyzer/engines/sqlite/sqlite_plan_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dbvet::engines;
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)postgres::parse_postgres_explain_json(text);
  (void)postgres::parse_postgres_explain_text(text);
  (void)mysql::detect_mysql_explain_dialect(text);
  (void)mysql::parse_mysql_explain_json(text);
  (void)mysql::parse_mysql8_explain_tree(text);
  (void)sqlite::parse_sqlite_plan_text(text);
  (void)sqlite::parse_sqlite_eqp_detail(text);
  return 0;
}
