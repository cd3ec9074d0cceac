#pragma once
// Pure parsers for MySQL-family EXPLAIN output: text in, engine-neutral Plan out, no connection.
//   MariaDB  EXPLAIN FORMAT=JSON and ANALYZE FORMAT=JSON  (nested_loop, filesort, temporary_table, r_*)
//   MySQL 8  EXPLAIN FORMAT=JSON                          (cost_info, ordering_operation, grouping_operation,
//                                                          rows_examined_per_scan, end-marker comments)
//   MySQL 8  EXPLAIN ANALYZE (tree text)                  best effort: one node per "->" line

#include <string>

#include "analyzer/core/expected.hpp"
#include "analyzer/model/plan.hpp"

namespace dbvet::engines::mysql {

core::Expected<model::Plan> parse_mariadb_explain_json(const std::string& text);
core::Expected<model::Plan> parse_mysql8_explain_json(const std::string& text);

// Tells the dialects apart by the members only one of them writes, then parses.
core::Expected<model::Plan> parse_mysql_explain_json(const std::string& text);

// MySQL 8.0.18+ EXPLAIN ANALYZE / FORMAT=TREE text. The whole text stays in Plan::raw.
core::Expected<model::Plan> parse_mysql8_explain_tree(const std::string& text);

// Which dialect a JSON plan is written in: "mysql" or "mariadb".
std::string detect_mysql_explain_dialect(const std::string& text);

}  // namespace dbvet::engines::mysql
