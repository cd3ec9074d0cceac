// The read-only statements behind the MariaDB/MySQL checks, paired with their evaluations. They look
// at the target's own database (DATABASE()), as the sys schema views do when filtered on it.
#include "analyzer/health/mysql/checks.hpp"
#include "analyzer/health/sql_check.hpp"

namespace dbvet::health {
namespace {

const std::string kStatusSql =
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('Created_tmp_disk_tables', 'Created_tmp_tables', "
    "'Innodb_buffer_pool_read_requests', 'Innodb_buffer_pool_reads', 'Threads_connected', 'Max_used_connections', "
    "'Connection_errors_max_connections')";
const std::string kVariablesSql =
    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('max_connections', 'slow_query_log', 'performance_schema', "
    "'long_query_time')";

const std::string kUnusedIndexesSql =
    "SELECT t.object_schema AS `schema`, t.object_name AS `table`, t.index_name AS `index`, t.count_star AS uses, "
    "MIN(s.non_unique) AS non_unique FROM performance_schema.table_io_waits_summary_by_index_usage t "
    "JOIN information_schema.statistics s ON s.table_schema = t.object_schema AND s.table_name = t.object_name "
    "AND s.index_name = t.index_name WHERE t.index_name IS NOT NULL AND t.index_name <> 'PRIMARY' "
    "AND t.object_schema = DATABASE() GROUP BY t.object_schema, t.object_name, t.index_name, t.count_star "
    "ORDER BY 1, 2, 3";

const std::string kIndexesSql =
    "SELECT table_schema AS `schema`, table_name AS `table`, index_name AS `index`, index_type AS method, "
    "MIN(non_unique) AS non_unique, GROUP_CONCAT(CONCAT(column_name, IFNULL(CONCAT('(', sub_part, ')'), '')) "
    "ORDER BY seq_in_index SEPARATOR ',') AS columns FROM information_schema.statistics "
    "WHERE table_schema = DATABASE() GROUP BY table_schema, table_name, index_name, index_type ORDER BY 1, 2, 3";

const std::string kDigestsSql =
    "SELECT DIGEST AS digest, LEFT(DIGEST_TEXT, 1000) AS query, COUNT_STAR AS calls, SUM_NO_INDEX_USED AS no_index, "
    "SUM_TIMER_WAIT / 1e12 AS total_seconds, SUM_ROWS_EXAMINED AS rows_examined, SUM_ROWS_SENT AS rows_sent, "
    "SUM_CREATED_TMP_DISK_TABLES AS tmp_disk FROM performance_schema.events_statements_summary_by_digest "
    "WHERE SCHEMA_NAME = DATABASE() AND DIGEST_TEXT IS NOT NULL AND DIGEST_TEXT NOT LIKE '%performance_schema%' "
    "AND DIGEST_TEXT NOT LIKE '%information_schema%' AND DIGEST_TEXT NOT LIKE 'SHOW %' AND DIGEST_TEXT NOT LIKE 'SET %' "
    "ORDER BY SUM_TIMER_WAIT DESC LIMIT 100";

const std::string kAutoIncrementSql =
    "SELECT t.table_schema AS `schema`, t.table_name AS `table`, c.column_name AS `column`, c.column_type, "
    "t.auto_increment FROM information_schema.tables t JOIN information_schema.columns c "
    "ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.extra LIKE '%auto_increment%' "
    "WHERE t.table_schema = DATABASE() AND c.table_schema = DATABASE() AND t.auto_increment IS NOT NULL ORDER BY 1, 2";

const std::string kNoPrimaryKeySql =
    "SELECT t.table_schema AS `schema`, t.table_name AS `table`, t.table_rows AS `rows` FROM information_schema.tables "
    "t "
    "LEFT JOIN information_schema.table_constraints c ON c.table_schema = t.table_schema "
    "AND c.table_name = t.table_name AND c.constraint_type = 'PRIMARY KEY' "
    "WHERE t.table_type = 'BASE TABLE' AND t.table_schema = DATABASE() AND c.constraint_name IS NULL ORDER BY 1, 2";

const std::string kTableSizesSql =
    "SELECT table_name AS `table`, data_length + index_length AS bytes, table_rows AS `rows` "
    "FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' "
    "ORDER BY data_length + index_length DESC LIMIT 20";

}  // namespace

std::vector<SqlCheck> mysql_checks() {
  namespace my = mysql;
  std::vector<SqlCheck> checks = {
      single_query_check("mysql-unused-index", "Indexes unused since the server started", kUnusedIndexesSql,
                         my::evaluate_unused_indexes),
      single_query_check("mysql-redundant-index", "Indexes covered by another index", kIndexesSql,
                         my::evaluate_redundant_indexes),
      single_query_check("mysql-full-scan-statement", "Statements with full table scans", kDigestsSql,
                         my::evaluate_full_scans),
      single_query_check("mysql-tmp-disk-tables", "Temporary tables on disk", kStatusSql, my::evaluate_tmp_disk_tables),
      single_query_check("mysql-buffer-pool-hit-ratio", "InnoDB buffer pool hit ratio", kStatusSql,
                         my::evaluate_buffer_pool),
  };
  checks.push_back(two_query_check("mysql-connections", "Connections against max_connections", kStatusSql,
                                   kVariablesSql, my::evaluate_connections));
  checks.push_back(single_query_check("mysql-auto-increment-overflow", "AUTO_INCREMENT near the end of its range",
                                      kAutoIncrementSql, my::evaluate_auto_increment));
  checks.push_back(single_query_check("mysql-no-primary-key", "Tables without a primary key", kNoPrimaryKeySql,
                                      my::evaluate_missing_primary_keys));
  checks.push_back(single_query_check("mysql-instrumentation", "Slow log and performance_schema on", kVariablesSql,
                                      my::evaluate_instrumentation));
  checks.push_back(
      single_query_check("mysql-top-queries", "Top statements by total time", kDigestsSql, my::evaluate_top_queries));
  checks.push_back(
      single_query_check("mysql-table-sizes", "Largest tables (for trends)", kTableSizesSql, evaluate_table_sizes));
  return checks;
}

}  // namespace dbvet::health
